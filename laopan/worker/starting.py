"""Starting the warm process of a data dir: by `laopan worker start`, or by a scripted call that finds none.

Which process is the worker is decided by an exclusive lock on `worker.lock`, taken by the worker as its first
step and released by the system when it exits, however it exits (a kill, a crash, a reboot): unlike a pid or a
file's presence it never goes stale, and two callers that start a worker at the same moment end with one.

Standard library only: this runs in the client, before any of the stack is loaded.
"""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from laopan.worker import FAILED_FILE, LOCK_FILE

DEFAULT_IDLE_MINUTES = 15.0
# A worker that finds the lock taken tries again for this long before it leaves: a caller testing the lock holds
# it for an instant (`held`), which must not turn away the worker that is just starting.
LOCK_PATIENCE_S = 0.25
# Not handed down to the worker: a command gets them from its caller each time, the process itself keeps none.
PRIVATE_ENV = ("LAOPAN_PASSWORD", "LAOPAN_USER")


class Lock:
    """The worker lock of a data dir, held until `release` or the process's exit."""

    def __init__(self, descriptor: int) -> None:
        self._descriptor = descriptor

    def release(self) -> None:
        if os.name != "posix":
            import msvcrt

            os.lseek(self._descriptor, 0, os.SEEK_SET)
            msvcrt.locking(self._descriptor, msvcrt.LK_UNLCK, 1)
        os.close(self._descriptor)


def take(folder: Path) -> Lock | None:
    """The lock of `folder`, without waiting: None when another process holds it."""
    descriptor = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if os.name == "posix":
            import fcntl

            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            import msvcrt

            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
    except OSError:
        os.close(descriptor)
        return None
    return Lock(descriptor)


def take_patiently(folder: Path) -> Lock | None:
    """The lock, waiting out a caller that only tests it; None when a worker holds it."""
    deadline = time.monotonic() + LOCK_PATIENCE_S
    while (lock := take(folder)) is None and time.monotonic() < deadline:
        pause(0.01)
    return lock


def held(folder: Path) -> bool:
    """Is a worker of `folder` starting or running (tested by taking the lock for an instant)?"""
    if not (folder / LOCK_FILE).exists():
        return False
    lock = take(folder)
    if lock is None:
        return True
    lock.release()
    return False


def spawn(folder: Path, idle_seconds: float) -> int:
    """Starts the worker detached from the caller (its own session, not our child: nothing waits for it or is left
    to reap it) and returns its pid. The server module's --detach step does the second spawn and exits at once."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    logs = folder / "logs"
    logs.mkdir(mode=0o700, exist_ok=True)
    environment = {key: value for key, value in os.environ.items() if key not in PRIVATE_ENV}
    done = subprocess.run(
        [sys.executable, "-m", "laopan.worker.server", "--detach", "--data-dir", str(folder),
         "--idle-seconds", str(idle_seconds), "--log", str(logs / "worker.log")],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, cwd=folder, env=environment)
    if done.returncode != 0 or not done.stdout.strip().isdigit():
        raise OSError(f"常驻进程没能启动：{done.stderr.strip()[-300:]}")
    return int(done.stdout)


def start_in_background(folder: Path, stamp: str) -> bool:
    """A scripted call found no worker: start one for the calls after it, and return at once (this call runs in
    its own process). Not when one is starting or running, or when a worker of this very code failed to start
    here before (its log says why; `laopan worker start` tries again): a broken install must not spawn a
    doomed process on every call. A data dir that does not exist yet (a desk on PostgreSQL keeps nothing else
    there) is made private to its owner, as laopan.paths makes it."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if held(folder) or failed_before(folder, stamp):
        return False
    try:
        spawn(folder, DEFAULT_IDLE_MINUTES * 60)
    except OSError:
        return False
    return True


def failed_before(folder: Path, stamp: str) -> bool:
    try:
        return (folder / FAILED_FILE).read_text(encoding="utf-8").strip() == stamp
    except OSError:
        return False


def pause(seconds: float) -> None:
    """A short wait. Not time.sleep: under faketime (the suite's later-date runs, PITFALLS) Python's sleep on the
    monotonic clock fails with EINVAL, while a timed wait on an event does not."""
    threading.Event().wait(seconds)
