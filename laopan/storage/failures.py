"""Why the database could not be used, as one Chinese sentence with the next step (issue 10).

The CLI and the window both pass a failed storage call through `explain`, so a locked, read-only, damaged or
misplaced database reads the same everywhere, and no driver message (which may quote SQL parameters: ID
numbers, phones) reaches the user. Places are named by path or by a URL with its password masked.
"""

import os
import stat
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from laopan.errors import StorageError

BUSY = "另一台电脑正在保存，请稍后重试"


class DatabaseBusy(StorageError):
    def __init__(self) -> None:
        super().__init__(BUSY)


class NotOurDatabase(StorageError):
    pass


class DatabaseEncrypted(StorageError):
    """An encrypted database opened without its key, or with a key that is not its own."""


ENCRYPTED = "数据库已加密：需要正确的用户名和密码才能打开"


class DatabaseUnavailable(StorageError):
    """Read-only, missing folder, under a file, unreachable server, disk error."""


def describe(url: str | URL | None) -> str:
    """"文件 /path/laopan.db" or "postgresql+psycopg://user:***@host/db" — never a password."""
    if url is None:
        return "数据库"
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() == "sqlite":
        return f"文件 {parsed.database or ':memory:'}"
    return parsed.render_as_string(hide_password=True)


def _mode(path: Path) -> str:
    try:
        return stat.filemode(path.stat().st_mode)
    except OSError:
        return "未知"


def _file_ancestor(path: Path) -> Path | None:
    """The first ancestor of `path` that exists but is a file (a data dir "under a file")."""
    for parent in reversed(path.parents):
        if parent.exists() and not parent.is_dir():
            return parent
    return None


def location_problem(path: Path) -> StorageError | None:
    """Why the SQLite file `path` cannot be where it is said to be, if it cannot: its folder is a file, or missing."""
    blocker = _file_ancestor(path)
    if blocker is not None:
        return DatabaseUnavailable(f"数据目录无法使用：{blocker} 是一个文件，不是文件夹。请用 --data-dir 指向一个文件夹")
    if not path.parent.is_dir():
        return DatabaseUnavailable(f"文件夹 {path.parent} 不存在：请检查数据库路径（--database 或 --data-dir）")
    return None


def read_only(path: Path) -> StorageError:
    """Which of the file or its folder lacks the write permission SQLite needs (WAL writes beside the file)."""
    if path.exists() and not os.access(path, os.W_OK):
        return DatabaseUnavailable(f"数据库文件 {path} 是只读的（权限 {_mode(path)}）：需要读写权限，请修改文件权限或联系管理员")
    folder = path.parent
    if folder.exists() and not os.access(folder, os.W_OK):
        return DatabaseUnavailable(
            f"数据目录 {folder} 没有写权限（权限 {_mode(folder)}）：本程序需要在其中写入 {path.name}-wal 等文件，请修改文件夹权限"
        )
    return DatabaseUnavailable(f"数据库 {path} 只能读不能写：请检查文件及其文件夹的写权限和磁盘空间")


def _sqlite_path(url: str | URL | None) -> Path | None:
    if url is None:
        return None
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _has_key_file(path: Path) -> bool:
    from laopan.security import keyfile

    return keyfile.exists(path)


def explain(exc: BaseException, url: str | URL | None = None) -> StorageError | None:
    """The sentence for a failed storage call, or None when `exc` is not a storage failure."""
    from sqlalchemy.exc import DBAPIError

    if isinstance(exc, StorageError):
        return exc
    if not isinstance(exc, DBAPIError):
        return None
    text = str(exc.orig).lower()
    path = _sqlite_path(url)
    where = describe(url)
    if "database is locked" in text or "database is busy" in text or "lock timeout" in text or "deadlock" in text:
        return DatabaseBusy()
    if "file is not a database" in text or "malformed" in text or "not a database" in text:
        if path is not None and _has_key_file(path):
            return DatabaseEncrypted(f"{ENCRYPTED}（{where}）")
        return NotOurDatabase(f"{where} 不是本程序的数据库（文件已损坏、不是数据库文件，或是加密的数据库而缺少它的 .keys 密钥文件）"
                              "：请检查路径，或从备份恢复")
    if "readonly database" in text or "read-only" in text:
        return read_only(path) if path else DatabaseUnavailable(f"{where} 只读：请检查数据库权限")
    if "unable to open database file" in text:
        if path is not None:
            return location_problem(path) or read_only(path)
        return DatabaseUnavailable(f"无法打开 {where}：请检查路径和权限")
    if "disk i/o error" in text or "database or disk is full" in text:
        return DatabaseUnavailable(f"读写{where}时出错（磁盘已满或损坏）：请检查磁盘空间，必要时从备份恢复")
    if "permission denied" in text or "insufficientprivilege" in type(exc.orig).__name__.lower():
        return DatabaseUnavailable(f"没有权限读写 {where}：请联系数据库管理员授予权限")
    if exc.connection_invalidated or "connection" in text or "could not connect" in text or "server" in text:
        return DatabaseUnavailable(f"无法连接 {where}：请检查网络、服务器地址、用户名和密码")
    return None
