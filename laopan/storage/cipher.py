"""SQLCipher connections and the one-time conversion of a plain SQLite desk into an encrypted one (issue 11).

SQLCipher 4 (the `sqlcipher3` module) is SQLite with every page — and every WAL frame — encrypted with
AES-256 and authenticated by HMAC. The key is the raw 32-byte database key (laopan.security.keyfile), given as
`PRAGMA key = "x'…'"`, so SQLCipher's own password KDF is skipped: the argon2id work is done once at login,
not on every connection.
"""

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from laopan.errors import StorageError

SQLITE_HEADER = b"SQLite format 3\x00"
CACHE_KIB = 65_536


def dbapi():
    import sqlcipher3.dbapi2

    return sqlcipher3.dbapi2


def _key_pragma(key: bytes) -> str:
    if len(key) != 32:
        raise ValueError("database key must be 32 bytes")
    return f"PRAGMA key = \"x'{key.hex()}'\""


def connect(path: str, key: bytes, timeout: float = 15.0):
    """A SQLCipher connection whose first statement is `PRAGMA key`."""
    connection = dbapi().connect(path, timeout=timeout, check_same_thread=False)
    connection.execute(_key_pragma(key))
    # A wrong key is reported to the caller as an exception; SQLCipher's own log lines on stderr add nothing.
    connection.execute("PRAGMA cipher_log_level = NONE")
    # Every page read from disk is decrypted and its HMAC checked; a larger page cache keeps the pages a desk
    # reads again and again (indexes, recent cases) decrypted in memory (make bench: list and statistics pages).
    connection.execute(f"PRAGMA cache_size = -{int(os.environ.get('LAOPAN_CIPHER_CACHE_KIB', CACHE_KIB))}")
    connection.execute("PRAGMA temp_store = MEMORY")
    return connection


def connector(path: str, key: bytes, timeout: float) -> Callable[[], object]:
    """The `creator` for SQLAlchemy: the key is set inside connect, before any event or dialect query runs."""
    return lambda: connect(path, key, timeout)


def is_plain_sqlite(path: str | os.PathLike) -> bool:
    """The file starts with SQLite's clear-text header (an encrypted file starts with random bytes)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def _fsync_dir(folder: Path) -> None:
    if hasattr(os, "O_DIRECTORY"):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _tables(connection) -> dict[str, int]:
    names = [row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def encrypt_in_place(db_path: str | os.PathLike, key: bytes, *, backup_to: str | os.PathLike) -> dict[str, int]:
    """Encrypt the plain SQLite file `db_path` with `key`; returns the rows per table it holds.

    Steps: checkpoint the WAL into the file; copy the plain database to `backup_to` (online backup API); export
    it into an encrypted file beside it (`sqlcipher_export`); check the copy holds the same rows per table and
    passes `integrity_check`; remove the (now empty) WAL and shared-memory files; rename the encrypted file over
    the original. Until that rename the original is untouched, so an interrupted conversion leaves the plain
    database as it was (the half-written copy is removed by the next attempt). Nothing else may have the
    database open meanwhile.
    """
    path = Path(db_path)
    backup = Path(backup_to)
    if not is_plain_sqlite(path):
        raise StorageError(f"{path} 不是未加密的 SQLite 数据库，无法转换")
    work = path.with_name(f".{path.name}.encrypting")
    work.unlink(missing_ok=True)

    plain = sqlite3.connect(path, isolation_level=None)
    try:
        plain.execute("PRAGMA busy_timeout=15000")
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        expected = _tables(plain)
        version = plain.execute("PRAGMA user_version").fetchone()[0]
        backup.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(backup)
        try:
            plain.backup(target)
        finally:
            target.close()
        os.chmod(backup, 0o600)
        _fsync_file(backup)
    finally:
        plain.close()

    # sqlcipher3 without a key on the main database reads a plain file; the attached one is encrypted.
    exporter = dbapi().connect(str(path), isolation_level=None)
    try:
        exporter.execute("PRAGMA cipher_log_level = NONE")
        exporter.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(work),))
        exporter.execute("SELECT sqlcipher_export('encrypted')")
        exporter.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        exporter.execute("DETACH DATABASE encrypted")
    finally:
        exporter.close()

    check = connect(str(work), key)
    try:
        check.execute("PRAGMA journal_mode=WAL")
        found = _tables(check)
        verdict = check.execute("PRAGMA integrity_check").fetchone()[0]
        check.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        check.close()
    if found != expected or verdict != "ok":
        work.unlink(missing_ok=True)
        raise StorageError(f"加密 {path} 时校验失败（{verdict}）：原数据库未改动，备份在 {backup}")
    os.chmod(work, 0o600)
    _fsync_file(work)
    for leftover in (work.with_name(work.name + "-wal"), work.with_name(work.name + "-shm")):
        leftover.unlink(missing_ok=True)
    # The plain WAL is empty after the checkpoint; it must not survive to be replayed onto the encrypted file.
    for stale in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    os.replace(work, path)
    _fsync_dir(path.parent)
    return found

