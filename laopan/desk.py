"""Opening a desk: the database (upgraded on open), the committee it works in and who is acting.

The CLI and the window both start here, so they open the same database the same way.
"""

from collections.abc import Iterator
import contextlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, select

from laopan import paths
from laopan.clock import Clock, system_clock
from laopan.errors import DomainError, StorageError
from laopan.models import Committee
from laopan.models.enums import DEFAULT_COMMITTEE
from laopan.services.actor import Actor
from laopan.services.login import LoginFailed, authenticate, authenticate_reading, record_login
from laopan.settings import DeskSettings, database_url, load_desk
from laopan.storage import backend_label, database_key, make_engine, read_session, session_scope
from laopan.storage.failures import NotOurDatabase, describe, explain, location_problem, read_only
from laopan.storage.migrate import is_empty, read_revision, upgrade


class NotInitialised(StorageError):
    pass


@dataclass
class Desk:
    engine: Engine
    committee_id: int
    committee_name: str
    actor: Actor
    login_unaudited: bool = False
    """The login's audit entry could not be written at once (another desk was saving): the next unit of work writes it."""
    recovery_code: str | None = None
    """Shown once, then forgotten: the recovery key of a database this open encrypted (issue 11)."""
    database_key: bytes | None = field(default=None, repr=False)
    """The SQLCipher key this desk was unlocked with (None: plain SQLite or PostgreSQL): an administrator enrolls
    new users' wraps with it, and a backup copy of the file needs it (also `laopan.storage.database_key(engine)`)."""

    @contextmanager
    def session(self) -> Iterator[Session]:
        with session_scope(self.engine) as session:
            if self.login_unaudited:
                record_login(session, actor=self.actor)
            yield session
        self.login_unaudited = False

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with read_session(self.engine) as session:
            yield session

    @staticmethod
    def waiting_for_lock(callback) -> "contextlib.AbstractContextManager[None]":
        """While the block runs, a save that finds another desk saving calls `callback` once, then waits on
        (laopan.storage.engine.waiting_for_lock)."""
        from laopan.storage.engine import waiting_for_lock

        return waiting_for_lock(callback)

    def explain_failure(self, exc: BaseException) -> "StorageError | None":
        """The Chinese sentence for a failed storage call on this desk's database, or None if it is no such failure."""
        from laopan.storage.failures import explain

        return explain(exc, self.engine.url)

    @property
    def label(self) -> str:
        return backend_label(self.engine)


def open_database(url: str | None = None, *, desk_settings: DeskSettings | None = None, create: bool = False,
                  key: bytes | None = None) -> Engine:
    """An engine on the configured database, its schema upgraded to this program's version.

    `key`: the SQLCipher key of an encrypted SQLite desk (laopan.security.protection.before_open unwraps it).

    Only `create=True` (init, demo, the window's first start) makes a new database; otherwise a missing or
    empty one is refused with `NotInitialised`, leaving no file, folder or table behind (issue 10).
    """
    url = url or database_url(desk_settings)
    path = _sqlite_file(url)
    if path is not None:
        _check_sqlite_file(path, url, create=create)
    engine = make_engine(url, key=key)
    try:
        if not create and read_revision(engine) is None:
            if not is_empty(engine):
                raise NotOurDatabase(f"{describe(url)} 不是本程序的数据库（其中已有别的表）：请检查数据库地址")
            raise NotInitialised(_not_initialised(url))
        upgrade(engine)
    except BaseException as exc:
        engine.dispose()
        explained = explain(exc, url)
        if explained is not None and explained is not exc:
            raise explained from exc
        raise
    return engine


def _not_initialised(url: str) -> str:
    return f"数据库尚未初始化：{describe(url)}。请先运行 laopan init（或启动窗口按提示设置），或检查 --data-dir / --database 是否写错"


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:") or parsed.query.get("mode") == "memory":
        return None
    return Path(parsed.database)


def _check_sqlite_file(path: Path, url: str, *, create: bool) -> None:
    """Refuse before connecting, since connecting to a missing SQLite file creates it."""
    problem = location_problem(path)
    if problem is not None:
        # A missing data dir is simply a desk not set up yet; a missing folder in an explicit URL is a typo.
        if path == paths.database_file() and _file_ancestor_free(path):
            if not create:
                raise NotInitialised(_not_initialised(url))
            path.parent.mkdir(parents=True, exist_ok=True)  # the data dir is ours to create
        else:
            raise problem
    if create:
        return
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise NotInitialised(_not_initialised(url)) from None
    except OSError as exc:
        raise read_only(path) from exc
    if size == 0:
        raise NotInitialised(_not_initialised(url))


def _file_ancestor_free(path: Path) -> bool:
    return not any(parent.exists() and not parent.is_dir() for parent in path.parents)


def open_desk(
    *,
    url: str | None = None,
    login: str | None = None,
    password: str | None = None,
    committee: str | None = None,
    clock: Clock | None = None,
    engine: Engine | None = None,
) -> Desk:
    """The desk of `login`, once `password` is its password (LoginFailed otherwise, the attempt audited), on the
    database at `url` (or `engine`, already open).

    An encrypted SQLite desk is unlocked with `login`'s password from its key file first (a wrong one counted
    there, keyfile.WrongSecret / unlocking.LockedOut); a plain one is encrypted once the login has succeeded (a
    plain copy kept in the backups folder) and the new recovery key is in `Desk.recovery_code`.
    """
    from laopan.security import protection

    desk_settings = load_desk()
    clock = clock or system_clock()
    login = login or desk_settings.current_user
    guard = protection.Protection()
    opened_here = engine is None
    if engine is None:
        url = url or database_url(desk_settings)
        if protection.has_key_file(url):
            _require_credentials(login, password)
        guard = protection.before_open(url, login=login, password=password, clock=clock)
        engine = open_database(url, desk_settings=desk_settings, key=guard.key)
    try:
        desk = _log_in(engine, desk_settings, login=login, password=password, committee=committee, clock=clock)
    except BaseException:
        if opened_here:
            engine.dispose()
        raise
    desk.database_key = database_key(engine)
    desk.recovery_code = guard.recovery_code
    if guard.pending_failures:
        _audit_failures(desk, guard.pending_failures)
    if guard.convert:
        assert url is not None and password is not None
        engine.dispose()
        key, code, _backup = protection.convert(url, login=desk.actor.login, password=password, clock=clock)
        engine = open_database(url, desk_settings=desk_settings, key=key)
        return Desk(engine=engine, committee_id=desk.committee_id, committee_name=desk.committee_name, actor=desk.actor,
                    login_unaudited=desk.login_unaudited, recovery_code=code, database_key=key)
    return desk


def _require_credentials(login: str | None, password: str | None) -> None:
    if not login:
        raise LoginFailed("请指定用户（--as 或环境变量 LAOPAN_USER）")
    if password is None:
        raise LoginFailed("请提供密码（环境变量 LAOPAN_PASSWORD 或 --password-file）")


def _audit_failures(desk: Desk, failures: list[dict]) -> None:
    """Wrong passwords tried against the key file while the desk was closed, now in the audit."""
    from laopan.services import audit

    with desk.session() as session:
        for failure in failures:
            audit.record(session, actor=desk.actor, action="login.failed", entity="user", entity_id=None,
                         changes={"login": failure.get("login"), "at": failure.get("at"), "reason": "wrong_password"},
                         note="数据库密钥：密码错误")


def is_encrypted_desk(url: str) -> bool:
    """An SQLite desk whose key file is beside it: it opens only with a login and its password."""
    from laopan.security import protection

    return protection.has_key_file(url)


def choose_committee(engine: Engine, *, committee: str | None = None, desk_settings: DeskSettings | None = None) -> tuple[int, str]:
    """(id, name) of the committee `committee` names, else the desk's, else the only one in the database."""
    desk_settings = desk_settings or load_desk()
    with read_session(engine) as session:
        committees = session.exec(select(Committee).order_by(Committee.id)).all()
        if not committees:
            raise NotInitialised("数据库尚未初始化：请先运行 laopan init（或启动窗口按提示设置）")
        wanted = committee or desk_settings.committee
        chosen = next((c for c in committees if c.name == wanted), None) if wanted else committees[0] if len(committees) == 1 else None
        if chosen is None:
            names = "、".join(c.name for c in committees)
            raise DomainError(f"请指定调委会（--committee），本数据库有：{names}")
        return chosen.id, chosen.name


def _log_in(engine: Engine, desk_settings: DeskSettings, *, login: str | None, password: str | None, committee: str | None,
            clock: Clock) -> Desk:
    committee_id, committee_name = choose_committee(engine, committee=committee, desk_settings=desk_settings)
    _require_credentials(login, password)
    with read_session(engine) as session:
        actor = authenticate_reading(session, committee_id=committee_id, login=login, password=password, clock=clock)
    if actor is None:  # a refusal (or a success that resets the failure count) is written, waiting if it must
        with Session(engine, expire_on_commit=False) as session:
            actor = authenticate(session, committee_id=committee_id, login=login, password=password, clock=clock, audit_success=False)
    return Desk(engine=engine, committee_id=committee_id, committee_name=committee_name, actor=actor,
                login_unaudited=not _audit_login_now(engine, actor))


def _audit_login_now(engine: Engine, actor: Actor) -> bool:
    """Write the login's audit entry unless that would wait for another desk's save (SQLite's write lock): a
    desk that only reads must not wait to log in. False: not written; the desk's next unit of work writes it."""
    from sqlalchemy.exc import OperationalError

    from laopan.storage.engine import SQLITE_BUSY_TIMEOUT_MS

    sqlite = engine.url.get_backend_name() == "sqlite"
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection  # not through SQLAlchemy: that would BEGIN (and wait) first
        if sqlite:
            raw.execute("PRAGMA busy_timeout=0")
        try:
            with Session(bind=connection) as session:
                record_login(session, actor=actor)
                session.commit()
            connection.commit()
            return True
        except OperationalError:
            if not sqlite:
                raise
            connection.rollback()
            return False
        finally:
            if sqlite:
                raw.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")


def set_up_desk(engine: Engine, *, committee: str = DEFAULT_COMMITTEE, admin_name: str = "管理员", admin_login: str = "admin",
                admin_password: str, clock: Clock | None = None):
    """First start, the one way in for `laopan init`, `laopan demo` on an empty database and the window's
    first-start dialog: create the committee (with its dictionaries) and its administrator with `admin_password`
    (there is no default password), and make them this desk's committee and user. Refused (DomainError) when a committee of that name already exists."""
    from laopan.services.committee import init_committee
    from laopan.settings import save_desk

    with session_scope(engine) as session:
        info = init_committee(session, name=committee, admin_login=admin_login, admin_name=admin_name, admin_password=admin_password, clock=clock)
    save_desk(load_desk().model_copy(update={"current_user": info.admin_login, "committee": info.name}))
    return info


def create_desk(url: str | None = None, *, committee: str = DEFAULT_COMMITTEE, admin_name: str = "管理员", admin_login: str = "admin",
                admin_password: str, unlock_as: str | None = None, clock: Clock | None = None) -> Desk:
    """`laopan init`, `laopan demo` on an empty database and the window's first start: `set_up_desk`, then the
    new administrator's desk.

    A new SQLite file is encrypted from its first byte: its key wrapped for the administrator's password and under
    a new recovery key, which is in `Desk.recovery_code` to be shown once. On a database already encrypted (a
    second committee), `unlock_as` (default `admin_login`) and `admin_password` unwrap its key and the new
    administrator gets a wrap of it too. If setting up fails, the key file and the file just made are removed.
    """
    from laopan.security import protection

    clock = clock or system_clock()
    url = url or database_url(load_desk())
    key, code = protection.protect_new(url, login=admin_login, password=admin_password)
    guard = protection.Protection(key=key)
    if key is None and protection.has_key_file(url):
        guard = protection.before_open(url, login=unlock_as or admin_login, password=admin_password, clock=clock)
    try:
        engine = open_database(url, create=True, key=guard.key)
        try:
            info = set_up_desk(engine, committee=committee, admin_name=admin_name, admin_login=admin_login,
                               admin_password=admin_password, clock=clock)
            desk = open_desk(engine=engine, login=info.admin_login, password=admin_password, committee=info.name, clock=clock)
        except BaseException:
            engine.dispose()
            raise
    except BaseException:
        if code is not None:
            protection.discard_new(url)
        raise
    if guard.pending_failures:
        _audit_failures(desk, guard.pending_failures)
    if code is None:
        protection.enroll_user(desk, login=desk.actor.login, password=admin_password)
    desk.recovery_code = code
    return desk
