"""CLI start-up: `laopan cases --search X` as a script would call it, beside a bare Python start (DESIGN §6: ≤ 0.3 s):
a script's first call (which starts the warm process, laopan/worker), its later calls (which the warm process
runs), and a call that never uses one.

Measured on a real desk: an encrypted copy of the cached database with its key file, opened with the admin's
password as a script gives it (LAOPAN_PASSWORD), so the figure includes the login (argon2id) and the unwrapping
of the database key — what every scripted call pays.
"""

import os
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench import BENCH_PASSWORD


def _median_s(argv: list[str], repeat: int, env: dict[str, str] | None = None) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def _laopan() -> str:
    return str(Path(sys.executable).with_name("laopan"))


def startup_desk(db_path: Path) -> str:
    """An encrypted desk made once from the cached database (its first login with a password encrypts it)."""
    from bench import bench_desk
    from laopan.clock import FixedClock
    from laopan.storage import make_engine

    folder = db_path.parent / "startup"
    target = folder / "laopan.db"
    url = f"sqlite:///{target.resolve()}"
    if target.exists() and target.with_name("laopan.db.keys").exists():
        return url
    print(f"making an encrypted desk from {db_path} in {folder} (once)…", flush=True)
    folder.mkdir(exist_ok=True)
    for stale in folder.glob("laopan.db*"):
        stale.unlink()
    source, copy = sqlite3.connect(db_path), sqlite3.connect(target)
    source.backup(copy)
    copy.close()
    source.close()
    engine = make_engine(f"sqlite:///{target}")
    bench_desk(engine, clock=FixedClock()).engine.dispose()  # the admin gets the bench password
    engine.dispose()
    subprocess.run([_laopan(), "--database", url, "--as", "admin", "cases", "--count"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**_desk_env(folder), "LAOPAN_NO_WORKER": "1"})
    for plain in folder.glob("laopan-未加密-*.db"):  # the conversion's plain copy: not needed for a bench desk
        plain.unlink()
    return url


def _desk_env(folder: Path) -> dict[str, str]:
    """The startup desk keeps its own desk settings: the other bench desks' (the district's last committee, say)
    would make it ask which committee to open."""
    return {**os.environ, "LAOPAN_PASSWORD": BENCH_PASSWORD, "LAOPAN_DATA_DIR": str(folder / "home")}


def _bytecode_env(url: str) -> dict[str, str]:
    # As on a user's machine, the modules' bytecode is cached after the first start: a shell that sets
    # PYTHONDONTWRITEBYTECODE (CI images, some sandboxes) would make every start recompile laopan's ~190
    # modules from source (~0.7 s here) and measure that instead. A warm-up start writes the cache.
    folder = Path(url.removeprefix("sqlite:///")).parent
    return {key: value for key, value in _desk_env(folder).items() if key != "PYTHONDONTWRITEBYTECODE"}


def _ready_ms(url: str, env: dict[str, str]) -> int:
    """One window start (offscreen, the password as a script gives it): the ms its `laopan: ready` line reports
    (process start → the first page of the case list on screen)."""
    process = subprocess.Popen([_laopan(), "--database", url, "--as", "admin"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, env={**env, "QT_QPA_PLATFORM": "offscreen"})
    try:
        assert process.stderr is not None
        for line in process.stderr:
            if line.startswith("laopan: ready"):
                return int(line.rsplit("ms=", 1)[1].split()[0])
        raise RuntimeError(f"the window stopped before it was ready (exit {process.wait()})")
    finally:
        process.kill()
        process.wait()


def measure_window_start(db_path: Path, repeat: int = 5) -> float:
    """Median seconds from process start to the window's first page on the encrypted 100k desk (target ≤ 1.0 s)."""
    url = startup_desk(db_path)
    env = _bytecode_env(url)
    _ready_ms(url, env)
    return statistics.median(_ready_ms(url, env) for _ in range(repeat)) / 1000


# What the stack costs before any of laopan runs: the ORM the product card fixes (SQLModel, with SQLAlchemy and
# pydantic) and the password hash a login needs. A CLI start cannot be cheaper than this.
STACK_IMPORTS = "import sqlite3, sqlmodel, argon2"


@dataclass(frozen=True)
class Startup:
    """Median wall seconds of `laopan cases --search 王 --limit 1` on the encrypted desk, started as a script
    starts it, and of bare Python starts beside it."""

    script: float  # a script's calls after its first: handed to the worker the first call started
    first: float  # a script's first call: the stack loaded in its own process, and a worker started for the rest
    cold: float  # with LAOPAN_NO_WORKER=1: every call in its own process
    bare: float  # python -c 'import sqlite3'
    stack: float  # python -c STACK_IMPORTS


def measure_startup(db_path: Path, repeat: int = 7, runs: int = 3, calls: int = 10) -> Startup:
    """`runs` times a script of `calls` calls from no worker (nothing started by hand), and `repeat` one-off
    calls that never use a worker."""
    url = startup_desk(db_path)
    env = _bytecode_env(url)
    argv = [_laopan(), "cases", "--database", url, "--as", "admin", "--search", "王", "--limit", "1"]
    stop = [_laopan(), "worker", "stop"]
    cold_env = {**env, "LAOPAN_NO_WORKER": "1"}
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=cold_env)
    cold = _median_s(argv, repeat, cold_env)
    firsts, laters = [], []
    try:
        for _ in range(runs):
            subprocess.run(stop, check=True, stdout=subprocess.DEVNULL, env=env)
            samples = [_median_s(argv, 1, env) for _ in range(calls)]
            firsts.append(samples[0])
            laters.extend(samples[1:])
    finally:
        subprocess.run(stop, check=True, stdout=subprocess.DEVNULL, env=env)
    bare = _median_s([sys.executable, "-c", "import sqlite3"], repeat)
    stack = _median_s([sys.executable, "-c", STACK_IMPORTS], repeat, env)
    return Startup(script=statistics.median(laters), first=statistics.median(firsts), cold=cold, bare=bare,
                   stack=stack)
