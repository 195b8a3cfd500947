"""Backing up and restoring the desk's database: admin and supervisor only, every backup and restore audited.

The CLI (`laopan backup`, `laopan restore`) and the window's 备份 page both come here; the copying itself is
laopan.storage.backup (SQLite's online backup API; pg_dump for PostgreSQL).
"""

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine

from laopan import paths
from laopan.security.permissions import Action
from laopan.services.actor import Actor
from laopan.services.audit import record
from laopan.storage import session_scope
from laopan.storage.engine import database_key
from laopan.storage import backup as store

KIND_LABELS = {"manual": "手动", "upgrade": "升级前", "daily": "每日", "exit": "退出时"}


@dataclass(frozen=True)
class BackupRow:
    """One backup file as the list shows it."""

    path: str
    name: str
    made_at: str  # 2026年12月04日 15:30:00
    kind: str  # 手动 / 升级前 / 每日 / 退出时
    size_bytes: int
    size: str
    case_count: int | None  # None: the file could not be read
    committees: str


@dataclass(frozen=True)
class RestoreResult:
    verified: str  # BackupInfo.describe()
    kept: str | None  # where the replaced database was kept


def _row(path: Path, info: store.BackupInfo | None) -> BackupRow:
    stamp = store.made_at(path)
    size = path.stat().st_size
    return BackupRow(
        path=str(path), name=path.name, made_at=stamp.strftime("%Y年%m月%d日 %H:%M:%S") if stamp else "",
        kind=KIND_LABELS.get(store.kind_of(path), "手动"), size_bytes=size, size=store._size(size),
        case_count=info.case_count if info else None, committees="、".join(info.committees) if info else "",
    )


def backups_folder() -> Path:
    return paths.backups_dir()


def make_backup(*, engine: Engine, actor: Actor, folder: Path | None = None, kind: str = "manual",
                keep: int | None = None, time_zone: str | None = None, key: bytes | None = None) -> BackupRow:
    """Copy the database into `folder` (default: the backups dir, rotated to the newest `keep`); audited.

    PostgreSQL: a pg_dump -Fc file when pg_dump is on PATH, else a DomainError saying what to run."""
    actor.require(Action.MANAGE_BACKUPS)
    key = key if key is not None else database_key(engine)
    tz = time_zone or _time_zone(engine, actor)
    target = Path(folder) if folder else backups_folder()
    if store.sqlite_path(engine) is None:
        written = store.pg_dump(engine.url.render_as_string(hide_password=False), target, clock=actor.clock, tz=tz)
        info = None
    else:
        written = store.backup_into(engine, target, clock=actor.clock, kind=kind, tz=tz,
                                    keep=keep if folder is None else None, key=key)
        info = store.verify(written, key)
    with session_scope(engine) as session:
        record(session, actor=actor, action="backup", entity="database", entity_id=None,
               changes={"file": str(written), "size": written.stat().st_size}, note=KIND_LABELS.get(kind, kind))
    return _row(written, info)


def list_backups(*, actor: Actor, folder: Path | None = None, key: bytes | None = None,
                 engine: Engine | None = None) -> list[BackupRow]:
    """The backups in `folder` (default the backups dir), newest first, each with its case count (read with
    `key`, or the key of the desk's `engine` when it is encrypted)."""
    actor.require(Action.MANAGE_BACKUPS)
    key = key if key is not None or engine is None else database_key(engine)
    rows = []
    for path in store.list_backups(Path(folder) if folder else backups_folder()):
        try:
            info = store.verify(path, key)
        except store.BackupError:
            info = None
        rows.append(_row(path, info))
    return rows


def verify_backup(path: str | Path, *, actor: Actor, key: bytes | None = None, engine: Engine | None = None) -> str:
    """What a backup holds (raises BackupError when it is damaged, not ours or newer than this program)."""
    actor.require(Action.MANAGE_BACKUPS)
    key = key if key is not None or engine is None else database_key(engine)
    return store.verify(path, key).describe()


def restore_backup(path: str | Path, *, engine: Engine, actor: Actor, key: bytes | None = None,
                   time_zone: str | None = None) -> RestoreResult:
    """Replace the desk's SQLite database with a verified backup. `engine` is disposed first (the desk must be
    reopened afterwards); refused while any other desk has the database open. The restore is audited in the
    restored database."""
    from laopan.errors import DomainError

    actor.require(Action.MANAGE_BACKUPS)
    database = store.sqlite_path(engine)
    if database is None:
        raise DomainError("PostgreSQL 数据库请用 pg_restore 恢复（见 README“备份与恢复”）")
    tz = time_zone or _time_zone(engine, actor)
    key = key if key is not None else database_key(engine)
    engine.dispose()
    info, kept = store.restore(path, database=database, clock=actor.clock, tz=tz, key=key)
    return audit_restore(engine=engine, actor=actor, info=info, kept=kept)


def audit_restore(*, engine: Engine, actor: Actor, info: store.BackupInfo, kept: Path | None) -> RestoreResult:
    """Record a restore in the restored database. Also how a restore onto a lost database is authorised: the
    file is put back first, then the user must be an administrator or supervisor in it."""
    actor.require(Action.MANAGE_BACKUPS)
    with session_scope(engine) as session:
        record(session, actor=actor, action="restore", entity="database", entity_id=None,
               changes={"file": str(info.path), "kept": str(kept) if kept else None}, note=info.describe())
    return RestoreResult(verified=info.describe(), kept=str(kept) if kept else None)


def _time_zone(engine: Engine, actor: Actor) -> str:
    from laopan.services.committee import committee_settings
    from laopan.storage import read_session

    with read_session(engine) as session:
        return committee_settings(session, actor.committee_id).time_zone


def automatic_backup(session, *, actor: Actor, kind: str, keep: int = store.DEFAULT_KEEP) -> BackupRow | None:
    """The window's own backups, whoever is logged in (the desk backs itself up, as before an upgrade): "daily"
    only when no automatic backup in the backups dir is younger than a day, "exit" on closing. SQLite only;
    None when nothing was due. Runs on the worker; `session` only names the database. Not audited, like the
    copy before an upgrade: the program does it, not the user."""
    engine = session.get_bind()
    if store.sqlite_path(engine) is None:
        return None
    tz = committee_time_zone(session, actor)
    folder = backups_folder()
    if kind == "daily" and not store.daily_due(folder, clock=actor.clock, tz=tz):
        return None
    written = store.backup_into(engine, folder, clock=actor.clock, kind=kind, tz=tz, keep=keep)
    return _row(written, None)


def backup_now(session, *, actor: Actor, folder: str | None = None, keep: int | None = None) -> BackupRow:
    """立即备份 / 备份到… from the window's worker (`session` names the database)."""
    engine = session.get_bind()
    return make_backup(engine=engine, actor=actor, folder=Path(folder) if folder else None, keep=keep,
                       time_zone=committee_time_zone(session, actor))


def committee_time_zone(session, actor: Actor) -> str:
    from laopan.services.committee import committee_settings

    return committee_settings(session, actor.committee_id).time_zone
