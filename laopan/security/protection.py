"""What opening an SQLite desk needs from the key file, and the first encryption of a desk (issue 11).

`before_open` runs before the database is touched: it unwraps the key with the user's password (counting a
wrong one in the key file) or says that a plain database is to be converted once the login has succeeded.
`protect_new` makes the key file of a database about to be created; `convert` encrypts a plain one, a plain
copy written to the backups folder first. PostgreSQL desks have no key: every function is a no-op there.
"""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url

from laopan import paths
from laopan.clock import Clock
from laopan.errors import DomainError, PermissionDenied
from laopan.security import keyfile
from laopan.security.passwords import normalize_login
from laopan.security.unlocking import unlock_desk
from laopan.storage import cipher

NEEDS_PASSWORD = "数据库已加密：需要用户名和密码"
RECOVERY_NOTICE = "请抄下恢复密钥并妥善保管（不要存放在这台电脑上）；所有密码都遗忘时，只有它能打开数据库："


@dataclass(frozen=True)
class Protection:
    key: bytes | None = None  # the SQLCipher key; None: PostgreSQL, a new file, or a plain file
    pending_failures: list[dict] = field(default_factory=list)  # wrong passwords tried while the desk was closed
    convert: bool = False  # a plain SQLite desk: encrypt it once the login has succeeded
    recovery_code: str | None = None  # set when this open had to (re)issue the recovery key


def sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:") or parsed.query.get("mode") == "memory":
        return None
    return Path(parsed.database)


def _has_data(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def has_key_file(url: str) -> bool:
    """An encrypted SQLite desk: nothing in it can be read before a login and its password unwrap the key."""
    path = sqlite_file(url)
    return path is not None and keyfile.exists(path)


def before_open(url: str, *, login: str | None, password: str | None, clock: Clock) -> Protection:
    path = sqlite_file(url)
    if path is None:
        return Protection()
    if keyfile.exists(path):
        if password is None or not login:
            raise keyfile.WrongSecret(NEEDS_PASSWORD)
        unlocked = unlock_desk(path, login=login, password=password, clock=clock)
        code = None
        if _has_data(path) and cipher.is_plain_sqlite(path):
            # A conversion was cut short after the key file was written: finish it, and issue a recovery key
            # (the one made then was never shown).
            cipher.encrypt_in_place(path, unlocked.key, backup_to=_backup_name(path, clock))
            code = keyfile.new_recovery(path, unlocked.key)
        return Protection(key=unlocked.key, pending_failures=unlocked.pending_failures, recovery_code=code)
    if _has_data(path) and cipher.is_plain_sqlite(path):
        return Protection(convert=password is not None and bool(login))
    return Protection()


def protect_new(url: str, *, login: str, password: str) -> tuple[bytes | None, str | None]:
    """For a database `init`/`demo`/the first start is about to create: its key file, (key, recovery code).

    A desk that already exists is left as it is (None, None): `before_open` deals with it."""
    path = sqlite_file(url)
    if path is None or keyfile.exists(path) or _has_data(path):
        return None, None
    if not path.parent.is_dir():
        if path != paths.database_file() or any(parent.exists() and not parent.is_dir() for parent in path.parents):
            return None, None  # a missing folder in an explicit path is a typo: open_database says so
        path.parent.mkdir(parents=True, exist_ok=True)
    return keyfile.create(path, login=login, password=password)


def discard_new(url: str) -> None:
    """Undo `protect_new` after the new desk could not be set up: its key file and the (encrypted) file begun
    with that key, which nothing else could ever open."""
    path = sqlite_file(url)
    if path is None:
        return
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"), keyfile.key_path(path)):
        leftover.unlink(missing_ok=True)


def _backup_name(path: Path, clock: Clock) -> Path:
    stamp = clock.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = paths.backups_dir() if path == paths.database_file() else path.parent
    return folder / f"{path.stem}-未加密-{stamp}{path.suffix or '.db'}"


def convert(url: str, *, login: str, password: str, clock: Clock) -> tuple[bytes, str, Path]:
    """Encrypt the plain desk at `url` (nothing may have it open): (key, recovery code, the plain backup).

    The key file is written first, so the key is never lost: a conversion cut short is finished at the next
    login (`before_open`)."""
    path = sqlite_file(url)
    assert path is not None
    backup = _backup_name(path, clock)
    key, code = keyfile.create(path, login=login, password=password)
    cipher.encrypt_in_place(path, key, backup_to=backup)
    return key, code, backup


def _key_file_of(desk) -> Path | None:
    path = sqlite_file(desk.engine.url.render_as_string(hide_password=True))
    return path if path is not None and keyfile.exists(path) else None


def is_encrypted(desk) -> bool:
    return _key_file_of(desk) is not None


def enroll_user(desk, *, login: str, password: str) -> bool:
    """Give `login` a wrap of the desk's database key under `password` (user add, passwd): an administrator for
    anyone, a user for themselves. False on a desk without a key file (PostgreSQL, not yet encrypted)."""
    actor = desk.actor
    if actor.role != "admin" and normalize_login(actor.login) != normalize_login(login):
        raise PermissionDenied("只有管理员可以设置其他用户的密码")
    path = _key_file_of(desk)
    if path is None:
        return False
    if desk.database_key is None:
        raise DomainError("数据库已加密：请用密码登录后再设置密码（--as 与 LAOPAN_PASSWORD 或 --password-file）")
    keyfile.enroll(path, desk.database_key, login=login, password=password)
    return True


def forget_user(desk, login: str) -> None:
    """Remove `login`'s wrap (a disabled user can no longer unlock the database)."""
    path = _key_file_of(desk)
    if path is not None:
        keyfile.remove(path, login)
