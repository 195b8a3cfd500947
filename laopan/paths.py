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
