"""Engine and session factories for the embedded SQLite file and a shared PostgreSQL server."""

import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

SQLITE_BUSY_TIMEOUT_MS = 15_000
# A writer that does not get SQLite's write lock within this first try says it is waiting (issue 10 item 1):
# `waiting_for_lock` callbacks run once, then it waits the rest of the busy timeout as before.
FIRST_TRY_MS = 300
_lock_waiters: list = []
_opened: "weakref.WeakSet[Engine]" = weakref.WeakSet()
_keys: "weakref.WeakKeyDictionary[Engine, bytes]" = weakref.WeakKeyDictionary()


def opened_engines() -> set[Engine]:
    """Every engine made so far that is still alive (the CLI disposes those its command made)."""
    return set(_opened)


def database_key(engine: Engine) -> bytes | None:
    """The SQLCipher key `engine` was made with (None: a plain SQLite file or PostgreSQL). A backup or a second
    engine on the same encrypted file needs it; it is never written anywhere in clear. A session's bind may be an
    engine with execution options (a read session's): its key is that of the engine it was derived from."""
    while engine is not None:
        key = _keys.get(engine)
        if key is not None:
            return key
        engine = getattr(engine, "_proxied", None)
    return None


def make_engine(url: str, *, echo: bool = False, key: bytes | None = None) -> Engine:
    """An engine configured for the desk.

    SQLite: WAL (readers never block the writer), foreign keys enforced, a busy timeout, and write
    transactions opened with BEGIN IMMEDIATE so two desks writing at once wait instead of failing with
    "database is locked" (PITFALLS). PostgreSQL: psycopg 3 with pre-ping, for desks on a shared server.

    With `key` (the 32-byte database key, laopan.security.keyfile), SQLite connections are made by SQLCipher and
    `PRAGMA key` is the first statement on each of them; the key is not used for PostgreSQL.
    """
    from laopan.storage import limits

    limits.install()
    # hide_parameters: an error's text never quotes the row it failed on (ID numbers, phones) — issue 10.
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if key is not None:
            from laopan.storage import cipher

            engine = create_engine(url, echo=echo, hide_parameters=True, module=cipher.dbapi(),
                                   creator=cipher.connector(parsed.database or ":memory:", key, SQLITE_BUSY_TIMEOUT_MS / 1000))
        else:
            engine = create_engine(url, echo=echo, hide_parameters=True, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        _opened.add(engine)
        if key is not None:
            _keys[engine] = key
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() != "psycopg":
        raise ValueError("PostgreSQL 请使用 psycopg 3 驱动：postgresql+psycopg://用户@主机/数据库")
    engine = create_engine(url, echo=echo, hide_parameters=True, pool_pre_ping=True, pool_size=5, max_overflow=5)
    _opened.add(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own handling defers it).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        if connection.get_execution_options().get("laopan_read_only"):
            connection.exec_driver_sql("BEGIN DEFERRED")
            return
        if _lock_waiters:
            took = _took_lock_at_once(connection)
            if took:
                return
            if took is False:
                for waiter in list(_lock_waiters):
                    waiter()
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # waits up to the busy timeout; errors are SQLAlchemy's


def _took_lock_at_once(connection) -> bool | None:
    """BEGIN IMMEDIATE with a short busy timeout: True when begun, False (nothing begun) while another desk holds
    the write lock; None (nothing tried) on a connection told not to wait that long anyway (a login's audit entry
    is written only if the lock is free at once)."""
    raw = connection.connection.dbapi_connection
    patience = raw.execute("PRAGMA busy_timeout").fetchone()[0]
    if patience <= FIRST_TRY_MS:
        return None
    raw.execute(f"PRAGMA busy_timeout={FIRST_TRY_MS}")
    try:
        raw.execute("BEGIN IMMEDIATE")
        return True
    except connection.dialect.dbapi.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            return False
        raise
    finally:
        raw.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")


@contextmanager
def waiting_for_lock(callback: Callable[[], None]) -> Iterator[None]:
    """While the block runs, a write that finds another desk (another process) holding SQLite's write lock calls
    `callback` once before it waits on: the CLI prints "正在等待另一台电脑保存…", the window shows it."""
    _lock_waiters.append(callback)
    try:
        yield
    finally:
        _lock_waiters.remove(callback)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A unit of work: committed when the block ends, rolled back (leaving the last good state) on error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A read-only unit of work; on SQLite it does not take the write lock, so it never waits for a writer."""
    with Session(engine.execution_options(laopan_read_only=True)) as session:
        try:
            yield session
        finally:
            session.rollback()


def backend_label(engine: Engine) -> str:
    """What the status bar shows: "SQLite /path/laopan.db" or "PostgreSQL host/db" (never a password)."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        return f"SQLite {url.database or ':memory:'}"
    return f"PostgreSQL {url.host or 'localhost'}{':' + str(url.port) if url.port else ''}/{url.database}"
