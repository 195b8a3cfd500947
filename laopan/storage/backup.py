"""Backups of the SQLite database file: copy, list, rotate, verify and restore (issue 11 item 6).

The copy goes through SQLite's online backup API (the DBAPI connection's `.backup()`), so a desk may keep
writing while it runs and the copy is still one consistent moment. An encrypted database (sqlcipher3) is
copied into a destination opened with the same module and keyed with the same key, so the copy stays
encrypted. The wrapped keys (`<db>.keys`) are copied beside it.

Backups are named by local time: `laopan-20261204-153000.db`, with a suffix naming why an automatic one was
made (`-upgrade`, `-daily`, `-exit`). Rotation keeps the newest N files of that pattern in the backups dir.

PostgreSQL is backed up with `pg_dump -Fc` (see `pg_dump_command`); restoring it is pg_restore, by hand.
"""

import datetime as dt
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine, make_url

from laopan.clock import DEFAULT_TZ, Clock
from laopan.errors import DomainError, StorageError

KEY_SUFFIX = ".keys"
NAME_PATTERN = re.compile(r"^laopan-(\d{8})-(\d{6})(?:-(upgrade|daily|exit))?\.db$")
AUTOMATIC = ("upgrade", "daily", "exit")
DEFAULT_KEEP = 10


class BackupError(StorageError):
    pass


@dataclass(frozen=True)
class BackupInfo:
    """What `verify` found in a backup file: a user reads it before replacing the live database with it."""

    path: Path
    size: int
    revision: str
    committees: tuple[str, ...]
    case_count: int
    made_at: dt.datetime | None  # local time of the name's stamp (None: not one of our names)
    kind: str  # "manual", "upgrade", "daily", "exit"

    def describe(self) -> str:
        when = self.made_at.strftime("%Y年%m月%d日 %H:%M:%S") if self.made_at else "时间不详"
        names = "、".join(self.committees) or "（无调委会）"
        return f"{self.path.name}：{when}，{names}，{self.case_count} 件案件，结构版本 {self.revision}，{_size(self.size)}"


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


def sqlite_path(engine_or_url: Engine | str) -> Path | None:
    """The database file of an SQLite URL (None for PostgreSQL or an in-memory database)."""
    url = make_url(engine_or_url.url if isinstance(engine_or_url, Engine) else engine_or_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:") or url.query.get("mode") == "memory":
        return None
    return Path(url.database)


def key_file(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + KEY_SUFFIX)


def backup_name(now: dt.datetime, *, kind: str = "manual", tz: str = DEFAULT_TZ) -> str:
    local = now.astimezone(ZoneInfo(tz))
    suffix = "" if kind == "manual" else f"-{kind}"
    return f"laopan-{local:%Y%m%d-%H%M%S}{suffix}.db"


def _connect(path: Path, key: bytes | None, timeout: float = 5.0):
    if key is None:
        return sqlite3.connect(str(path), timeout=timeout)
    import sqlcipher3  # the encrypted desk's own module; absent: no encrypted database exists to copy

    connection = sqlcipher3.connect(str(path), timeout=timeout)
    connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return connection


def backup(engine: Engine, dest_path: str | os.PathLike[str], *, key: bytes | None = None) -> Path:
    """Copy the live SQLite database to `dest_path` (written beside it as .part, then renamed: a copy that
    fails half-way never looks like a backup). Returns the path written. An encrypted desk's copy is encrypted
    with the same key (the engine's unless `key` is given)."""
    from laopan.storage.engine import database_key

    key = key if key is not None else database_key(engine)
    source = sqlite_path(engine)
    if source is None:
        raise BackupError("只能直接备份 SQLite 数据库文件；PostgreSQL 请用 laopan backup DIR（pg_dump）")
    dest = Path(dest_path)
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".part")
    partial.unlink(missing_ok=True)
    raw = engine.raw_connection()
    try:
        target = _connect(partial, key)
        try:
            raw.driver_connection.backup(target)
        finally:
            target.close()
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        raw.close()
    os.replace(partial, dest)
    keys = key_file(source)
    if keys.exists():
        shutil.copy2(keys, key_file(dest))
    return dest


def backup_into(engine: Engine, folder: Path, *, clock: Clock, kind: str = "manual", tz: str = DEFAULT_TZ,
                keep: int | None = None, key: bytes | None = None) -> Path:
    """A backup named by the clock's local time in `folder`; `keep` rotates the folder afterwards."""
    name = backup_name(clock.now(), kind=kind, tz=tz)
    written = backup(engine, folder / name, key=key)
    if keep is not None:
        rotate(folder, keep=keep)
    return written


def list_backups(folder: Path) -> list[Path]:
    """Our backup files in `folder`, newest first (by the stamp in the name)."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.is_file() and NAME_PATTERN.match(p.name)]
    return sorted(found, key=lambda p: _stamp_key(p.name), reverse=True)


def _stamp_key(name: str) -> str:
    m = NAME_PATTERN.match(name)
    return f"{m.group(1)}{m.group(2)}" if m else ""


def made_at(path: Path) -> dt.datetime | None:
    m = NAME_PATTERN.match(path.name)
    return dt.datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M%S") if m else None


def kind_of(path: Path) -> str:
    m = NAME_PATTERN.match(path.name)
    return (m.group(3) or "manual") if m else "manual"


def rotate(folder: Path, *, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups (and their key files). Returns what was deleted."""
    doomed = list_backups(folder)[max(1, keep):]
    for path in doomed:
        path.unlink(missing_ok=True)
        key_file(path).unlink(missing_ok=True)
    return doomed


def daily_due(folder: Path, *, clock: Clock, tz: str = DEFAULT_TZ) -> bool:
    """True when no automatic backup in `folder` is younger than a day."""
    now = clock.now().astimezone(ZoneInfo(tz)).replace(tzinfo=None)
    for path in list_backups(folder):
        if kind_of(path) in AUTOMATIC:
            stamp = made_at(path)
            return stamp is None or now - stamp >= dt.timedelta(days=1)
    return True


def verify(path: str | os.PathLike[str], key: bytes | None = None) -> BackupInfo:
    """Check a backup before trusting it: SQLite's integrity_check, a schema this program knows (not newer),
    the committees and the number of cases in it. Raises BackupError naming what is wrong."""
    from alembic.script import ScriptDirectory

    from laopan.storage.migrate import DatabaseTooNew, _known, alembic_config

    file = Path(path)
    if not file.is_file():
        raise BackupError(f"备份文件不存在：{file}")
    try:
        connection = _connect(file, key)
    except ImportError:
        raise BackupError("这是加密数据库的备份，本机缺少 sqlcipher3，无法检查") from None
    try:
        try:
            result = connection.execute("PRAGMA integrity_check").fetchall()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{file.name} 不是可用的数据库文件（{exc}）") from None
        if [row[0] for row in result] != ["ok"]:
            raise BackupError(f"{file.name} 已损坏：{'; '.join(str(r[0]) for r in result[:3])}")
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables or "committee" not in tables:
            raise BackupError(f"{file.name} 不是本程序的数据库")
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        if row is None:
            raise BackupError(f"{file.name} 没有结构版本")
        revision = row[0]
        if not _known(ScriptDirectory.from_config(alembic_config()), revision):
            raise BackupError(str(DatabaseTooNew(revision)))
        committees = tuple(r[0] for r in connection.execute("SELECT name FROM committee ORDER BY id"))
        cases = connection.execute("SELECT count(*) FROM mediation_case").fetchone()[0]
    finally:
        connection.close()
    return BackupInfo(path=file, size=file.stat().st_size, revision=revision, committees=committees,
                      case_count=cases, made_at=made_at(file), kind=kind_of(file))


def restore(path: str | os.PathLike[str], *, database: Path, clock: Clock, tz: str = DEFAULT_TZ,
            key: bytes | None = None) -> tuple[BackupInfo, Path | None]:
    """Replace `database` with the backup at `path` (its key file too).

    Verifies first; keeps the current database as `<db>.before-restore-<stamp>` (and its key file); copies the
    backup beside the database and renames it into place, so the database is either the old or the new one.
    Refuses while another desk has the database open (an exclusive lock cannot be taken). Returns what was
    verified and where the previous database was kept (None when there was none).
    """
    info = verify(path, key)
    database = Path(database)
    stamp = clock.now().astimezone(ZoneInfo(tz)).strftime("%Y%m%d-%H%M%S")
    staged = database.with_name(database.name + ".restoring")
    shutil.copyfile(info.path, staged)
    kept: Path | None = None
    try:
        with _exclusive(database, key) as lock:
            if lock.connection is not None:
                kept = database.with_name(f"{database.name}.before-restore-{stamp}")
                shutil.copyfile(database, kept)  # whole: the WAL was checkpointed under the lock
                if key_file(database).exists():
                    shutil.copy2(key_file(database), key_file(kept))
            for suffix in ("-wal", "-shm"):
                Path(str(database) + suffix).unlink(missing_ok=True)
            os.replace(staged, database)
    finally:
        staged.unlink(missing_ok=True)
    if key_file(info.path).exists():
        shutil.copy2(key_file(info.path), key_file(database))
    return info, kept


class _exclusive:
    """Hold an exclusive lock on the database while it is replaced: fails at once if another desk has it open
    for reading or writing (in WAL mode a reader holds a shared lock on the -shm file, which EXCLUSIVE
    locking mode needs as well: even an idle open desk makes it fail)."""

    def __init__(self, database: Path, key: bytes | None = None):
        self.database = database
        self.key = key
        self.connection = None

    def __enter__(self):
        if not self.database.exists():
            return self
        self.connection = _connect(self.database, self.key, timeout=0)
        try:
            self.connection.execute("PRAGMA locking_mode=EXCLUSIVE")
            self.connection.execute("SELECT count(*) FROM sqlite_master").fetchone()  # takes the lock, and keeps it
            self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()  # the WAL into the file
        except Exception as exc:  # sqlite3's or sqlcipher3's OperationalError: "database is locked"
            self.connection.close()
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            raise BackupError("另一台工作站（或本程序的另一个窗口）正在使用该数据库：请先关闭它们再恢复") from None
        return self

    def __exit__(self, *exc):
        if self.connection is not None:
            self.connection.close()
        return False


def pg_dump_command(url: str, dest: Path) -> list[str]:
    """The pg_dump call that writes a custom-format dump of the PostgreSQL database at `url` to `dest`."""
    parsed = make_url(url)
    command = ["pg_dump", "-Fc", "-f", str(dest)]
    if parsed.host:
        command += ["-h", parsed.host]
    if parsed.port:
        command += ["-p", str(parsed.port)]
    if parsed.username:
        command += ["-U", parsed.username]
    command.append(parsed.database or "")
    return command


def pg_dump(url: str, folder: Path, *, clock: Clock, tz: str = DEFAULT_TZ) -> Path:
    """Run pg_dump -Fc into `folder`; the password (if any) goes through PGPASSWORD, never the command line."""
    import subprocess

    if shutil.which("pg_dump") is None:
        raise DomainError(f"本机没有 pg_dump：请在数据库服务器上运行 {' '.join(pg_dump_command(url, Path('laopan.dump')))}")
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / backup_name(clock.now(), tz=tz).replace(".db", ".dump")
    env = dict(os.environ)
    password = make_url(url).password
    if password:
        env["PGPASSWORD"] = str(password)
    result = subprocess.run(pg_dump_command(url, dest), env=env, capture_output=True, text=True)
    if result.returncode != 0:
        dest.unlink(missing_ok=True)
        raise BackupError(f"pg_dump 失败：{result.stderr.strip()[:300]}")
    return dest
