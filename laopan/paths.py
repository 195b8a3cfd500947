"""One module owns every path the desk writes: data dir, database, settings, backups, exports, logs.

Resolution order: an explicit `configure(data_dir)` (the CLI's --data-dir, or a test fixture), then the
LAOPAN_DATA_DIR environment variable, then the platform's user data dir (platformdirs).
Nothing is computed at import time, and nothing is created by asking for a path: a read-only command on a
mistyped --data-dir must leave no folder behind (issue 10). Folders are made by whoever writes into them.
"""

import os
from pathlib import Path

import platformdirs

APP_NAME = "laopan"
ENV_DATA_DIR = "LAOPAN_DATA_DIR"

_configured: Path | None = None


def configure(data_dir: str | os.PathLike[str] | None) -> None:
    """Point every path at `data_dir` (None returns to the environment/platform default)."""
    global _configured
    _configured = Path(data_dir).expanduser().resolve() if data_dir else None


def data_dir() -> Path:
    if _configured is not None:
        base = _configured
    elif os.environ.get(ENV_DATA_DIR):
        base = Path(os.environ[ENV_DATA_DIR]).expanduser().resolve()
    else:
        base = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return base


def _sub(name: str) -> Path:
    path = data_dir() / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_file() -> Path:
    return data_dir() / "laopan.db"


def settings_file() -> Path:
    return data_dir() / "settings.json"


def backups_dir() -> Path:
    return _sub("backups")


def exports_dir() -> Path:
    return _sub("exports")


def logs_dir() -> Path:
    return _sub("logs")


def keep_private() -> None:
    """Makes every file and folder this process creates from now on readable by its owner only (POSIX).

    One `umask(0o077)` at the start of the CLI and of the window, rather than a `write_private` helper at each
    write: the writes that matter are mostly not ours — SQLite's database, -wal and -shm files, its online
    backups, openpyxl's .xlsx, reportlab's PDFs, python-docx — and a helper would miss any new one; the umask
    covers them all, and a new folder (the data dir, exports/) is 0700. A data dir and database left 0755/0644
    by an older version are tightened too (only when the folder holds our database, so a folder the user
    pointed us at is not changed otherwise).
    """
    if os.name != "posix":
        return
    os.umask(0o077)
    base = data_dir()
    database = base / "laopan.db"
    if database.is_file():
        for path, mode in ((base, 0o700), *((base / name, 0o600) for name in
                           ("laopan.db", "laopan.db-wal", "laopan.db-shm", "settings.json"))):
            try:
                if path.exists() and path.stat().st_mode & 0o077:
                    path.chmod(mode)
            except OSError:
                pass  # not ours to change (another owner): the umask still covers what we write
