"""Schema upgrades through Alembic: the only way the schema changes (DESIGN §2 "Schema upgrades").

A desk upgrades the database when it opens it and refuses a database newer than itself. On PostgreSQL the
upgrade runs under an advisory lock so two desks starting together do not both migrate.

Alembic is imported only to upgrade (or to compare schemas): opening an up-to-date database reads the version
with one query and compares it with the head read from the migration files' own `revision =` lines (importing
Alembic cost ~0.35 s of every CLI call, issue 16 item 6; a test keeps it out of a read-only command).
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import String, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from laopan.errors import StorageError

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*['\"]?([0-9A-Za-z_]+|None)['\"]?\s*$", re.M)
_PG_LOCK_KEY = 0x6C616F70616E  # "laopan"


class DatabaseTooNew(StorageError):
    def __init__(self, revision: str):
        super().__init__(f"数据库由更新版本的程序创建（结构版本 {revision}），请升级本程序后再打开")
        self.revision = revision


def alembic_config(connection: Connection | None = None) -> "Config":
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


@cache
def quick_head() -> str | None:
    """The head from the migration files' `revision =` / `down_revision =` lines, without Alembic (None when
    the files do not make one plain chain: then Alembic decides)."""
    revisions: set[str] = set()
    downs: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict(_REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        if "revision" not in found:
            return None
        revisions.add(found["revision"])
        downs.add(found.get("down_revision", "None"))
    heads = revisions - downs
    return next(iter(heads)) if len(heads) == 1 else None


def current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def _version_row(connection: Connection) -> str | None:
    """alembic_version's one row with one query; None when the table is absent (or holds no row)."""
    try:
        rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except DBAPIError:
        connection.rollback()
        return None
    return rows[0] if len(rows) == 1 else None


def _known(script: "ScriptDirectory", revision: str) -> bool:
    from alembic.util.exc import CommandError

    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def read_revision(engine: Engine) -> str | None:
    """The schema version with a plain read: on SQLite a deferred transaction that never waits for a writer."""
    with engine.execution_options(laopan_read_only=True).connect() as connection:
        try:
            return _version_row(connection)
        finally:
            connection.rollback()


def is_empty(engine: Engine) -> bool:
    """No table at all: a database nobody has set up yet (as opposed to someone else's database)."""
    from sqlalchemy import inspect

    with engine.execution_options(laopan_read_only=True).connect() as connection:
        try:
            return not inspect(connection).get_table_names()
        finally:
            connection.rollback()


def upgrade(engine: Engine) -> bool:
    """Bring the schema to head. Returns True when something was applied.

    The version is checked first with a plain read, so opening an up-to-date database never takes the write
    lock (a desk importing for minutes does not hold every other desk at the door). Only when an upgrade is
    due is the lock taken (BEGIN IMMEDIATE / the advisory lock) and the version checked again under it.
    """
    current = read_revision(engine)
    if current is not None and current == quick_head():
        return False  # the usual case, decided without importing Alembic
    from alembic import command
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    if current is not None and not _known(script, current):
        raise DatabaseTooNew(current)
    if current == head:
        return False
    if current is not None:
        _backup_before_upgrade(engine, current)
    with engine.connect() as connection:
        is_pg = connection.dialect.name == "postgresql"
        if is_pg:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _PG_LOCK_KEY})
            connection.commit()
        try:
            current = current_revision(connection)
            connection.commit()
            if current is not None and not _known(script, current):
                raise DatabaseTooNew(current)
            if current == head:
                return False
            with _foreign_keys_deferred(connection):
                command.upgrade(alembic_config(connection), "head")
                connection.commit()
            return True
        finally:
            if is_pg:
                connection.rollback()
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _PG_LOCK_KEY})
                connection.commit()


def _backup_before_upgrade(engine: Engine, current: str) -> None:
    """Copy an SQLite file to the backups dir before its schema changes; a copy that fails stops the upgrade."""
    import logging

    from laopan import paths
    from laopan.clock import system_clock
    from laopan.storage.backup import backup_into, sqlite_path

    if sqlite_path(engine) is None:
        return
    try:
        written = backup_into(engine, paths.backups_dir(), clock=system_clock(), kind="upgrade")
    except Exception as exc:  # any failure to copy (disk full, the encrypted desk's key): do not upgrade uncopied
        raise StorageError(f"升级数据库结构前备份失败，未升级：{exc}") from exc
    logging.getLogger(__name__).info("升级数据库结构（%s → %s）前已备份到 %s", current, head_revision(), written)


@contextmanager
def _foreign_keys_deferred(connection: Connection) -> Iterator[None]:
    """SQLite: foreign keys off while migrations rebuild tables, checked once afterwards.

    A batch rebuild drops the old table; with foreign keys on, SQLite checks every row of every table that
    references it, and a self-reference (an agreement naming the one it supersedes) made that 82k × 82k on the
    100k bench database — over 15 minutes instead of 2 s. SQLite's documented procedure for schema changes is
    to turn the check off outside the transaction and run `PRAGMA foreign_key_check` before committing.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = connection.connection.driver_connection  # autocommit (isolation_level None): the PRAGMA takes effect
    connection.commit()
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
        broken = raw.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"升级后外键不一致：{broken[:5]}")
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def pending_differences(engine: Engine) -> list:
    """What the models have that the migrated schema lacks (empty when they agree)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=configure_kwargs())
        return compare_metadata(context, target_metadata())


def target_metadata():
    from sqlmodel import SQLModel

    from laopan.models import load_all

    load_all()  # registers every table

    return SQLModel.metadata


def _render_item(type_, obj, autogen_context):
    """Render our column types as plain SQLAlchemy ones, so a landed migration never depends on app code."""
    from sqlmodel.sql.sqltypes import AutoString

    from laopan.models.types import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    return False


def _compare_type(_context, _inspected_column, _metadata_column, inspected_type, metadata_type):
    # AutoString is a String; UTCDateTime stores a DateTime(timezone=True). Let Alembic compare the impls.
    from sqlmodel.sql.sqltypes import AutoString

    if isinstance(metadata_type, AutoString) and isinstance(inspected_type, String):
        return (metadata_type.length or None) != (inspected_type.length or None)
    return None


def configure_kwargs() -> dict:
    return {
        "target_metadata": target_metadata(),
        "render_as_batch": True,
        "compare_type": _compare_type,
        "render_item": _render_item,
    }
