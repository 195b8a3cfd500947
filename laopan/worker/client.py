"""What `laopan SUBCOMMAND …` does first: hand the command to the warm process of its data dir.

Standard library only, and nothing from laopan but this package: this is the part every scripted call pays
(~50 ms with the interpreter). When no worker takes the command — none running yet (this call then starts one
for the next), one busy with another caller's command, one of other code or on another clock, a command that
reads stdin or manages the worker itself — `relay` returns None and the launcher runs the command in this
process, as it always did. Nothing a user sees depends on which of the two ran it.

A command is handed over in two steps: the request, answered `ready` by a worker that takes it up, then `go`.
Until `go` is sent nothing has run in the worker, so the caller may still run it here; after it, never.
"""

import hashlib
import json
import os
import socket
import sys
import time
from pathlib import Path

from laopan.worker import ENV_NO_WORKER, VALUED, WORKER_FILE
# Only what the command sees through the environment crosses over; the worker's own environment is not the
# caller's (it may have been started from another shell).
ENV_PREFIX = "LAOPAN_"
CONNECT_TIMEOUT_S = 2.0
# How long a worker may take to take up a command. Longer, it is running another caller's (a long import, say):
# this call runs in its own process rather than wait behind it.
READY_WAIT_S = 0.5
# How long a call waits for a worker that an earlier call is starting (its warm-up takes ~0.6 s here).
STARTING_WAIT_S = 1.0
# Commands that set a desk up once (and run before there is a desk to serve): they start no worker.
NOT_STARTING = frozenset({"init", "demo"})
EXIT_LOST = 1


def subcommand(argv: list[str]) -> str | None:
    """The first word that is neither an option nor an option's value."""
    words = iter(argv)
    for word in words:
        if word in VALUED:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def data_dir(argv: list[str]) -> Path:
    """The data dir the command names, resolved as laopan.paths does (--data-dir, LAOPAN_DATA_DIR, platform)."""
    chosen = None
    words = iter(argv)
    for word in words:
        if word == "--data-dir":
            chosen = next(words, None)
        elif word.startswith("--data-dir="):
            chosen = word.partition("=")[2]
    chosen = chosen or os.environ.get("LAOPAN_DATA_DIR")
    if chosen:
        return Path(chosen).expanduser().resolve()
    from laopan import paths  # platformdirs: only when neither names the folder

    return paths.data_dir()


def code_stamp() -> str:
    """Which code would run the command: this interpreter and every laopan module's size and mtime. A worker
    started before an upgrade (or an edit) has another stamp and is not used."""
    import laopan

    digest = hashlib.blake2b(sys.executable.encode(), digest_size=16)
    for folder, subfolders, files in os.walk(Path(laopan.__file__).parent):
        subfolders.sort()
        for name in sorted(files):
            if name.endswith(".py"):
                status = os.stat(os.path.join(folder, name))
                digest.update(f"{folder}/{name}:{status.st_size}:{status.st_mtime_ns};".encode())
    return digest.hexdigest()


def read_info(folder: Path) -> dict | None:
    """The running worker's port, token and pid, as it wrote them (None: no worker was started here)."""
    try:
        info = json.loads((folder / WORKER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) and {"port", "token", "pid"} <= info.keys() else None


def ask(folder: Path, request: dict) -> dict | None:
    """One short request (status, stop) to the worker of `folder`: its answer, or None when none answers."""
    info = read_info(folder)
    if info is None:
        return None
    try:
        with socket.create_connection(("127.0.0.1", info["port"]), timeout=CONNECT_TIMEOUT_S) as connection:
            connection.sendall(_line({**request, "token": info["token"]}))
            answer = connection.makefile("r", encoding="utf-8").readline()
    except OSError:
        return None
    try:
        return json.loads(answer)
    except ValueError:
        return None


def relay(argv: list[str]) -> int | None:
    """Runs `laopan ARGV` in the warm process, writing its output here as it comes: its exit code, or None
    when the command must run in this process (nothing has run elsewhere then).

    A call that finds no worker starts one for the calls after it and runs here: a script's first call pays
    the cold start once, and every later one within the idle time starts in ~0.1 s without the script doing
    anything (issue 16 item 6). A call that finds one busy with another caller's command runs here as well."""
    if os.environ.get(ENV_NO_WORKER) or "-" in argv:
        return None
    command = subcommand(argv)
    if command in (None, "worker"):
        return None
    folder = data_dir(argv)
    info = read_info(folder) or _being_started(folder)
    connection = _connect(info) if info else None
    if connection is None:  # none, or one stopped without cleaning up (a reboot, a kill)
        if command not in NOT_STARTING:
            from laopan.worker.starting import start_in_background

            start_in_background(folder, code_stamp())
        return None
    with connection:
        request = {"op": "run", "token": info["token"], "stamp": code_stamp(), "clock": process_clock(),
                   "argv": argv, "cwd": os.getcwd(),
                   "env": {key: value for key, value in os.environ.items() if key.startswith(ENV_PREFIX)}}
        try:
            connection.sendall(_line(request))
            frames = connection.makefile("r", encoding="utf-8")
            connection.settimeout(READY_WAIT_S)
            if not _ready(frames.readline()):
                return None  # refused (another token, other code, another clock): nothing ran, so it runs here
            connection.sendall(_line({"go": True}))  # from here on the command is the worker's: never run it twice
        except OSError:  # busy with another caller's command, or gone: it never got the go
            return None
        connection.settimeout(None)  # a long command (an import, a demo) answers when it is done
        return _copy_output(frames)


def process_clock() -> float:
    """This process's wall clock, sent with each command: a worker on another one (started under faketime, say)
    refuses it. Not the program's clock (laopan.clock): LAOPAN_NOW reaches the command in its environment."""
    return time.time()  # the process's clock, not a date


def _being_started(folder: Path) -> dict | None:
    """The worker an earlier call is starting (it holds the lock, its file is not written yet), waited for a
    little: it is ready sooner than this process could load the stack itself."""
    from laopan.worker.starting import held, pause

    if not held(folder):
        return None
    deadline = time.monotonic() + STARTING_WAIT_S
    while time.monotonic() < deadline:
        pause(0.02)
        if (info := read_info(folder)) is not None:
            return info
    return None


def _connect(info: dict) -> socket.socket | None:
    try:
        return socket.create_connection(("127.0.0.1", info["port"]), timeout=CONNECT_TIMEOUT_S)
    except OSError:
        return None


def _frame(line: str) -> dict:
    """One frame the worker sent ({} for anything else)."""
    try:
        frame = json.loads(line)
    except ValueError:
        return {}
    return frame if isinstance(frame, dict) else {}


def _ready(line: str) -> bool:
    # Anything else: refused, or not a laopan worker on that port (its file outlived it, the port was reused).
    return "ready" in _frame(line)


def _copy_output(frames) -> int:
    """The command's output, written here as it comes. Our own stdout closing (`laopan cases | head`) raises
    BrokenPipeError to the launcher, which ends quietly; the worker's command then stops at its next write."""
    while True:
        try:
            line = frames.readline()
        except OSError:
            line = ""
        if not line:
            return _lost()  # the command may have run: never run it a second time here
        frame = _frame(line)
        if "out" in frame:
            sys.stdout.write(frame["out"])
            sys.stdout.flush()
        elif "err" in frame:
            sys.stderr.write(frame["err"])
            sys.stderr.flush()
        elif "exit" in frame:
            return int(frame["exit"])


def _lost() -> int:
    # Whatever the command had not committed was rolled back with its process; what it had, stays.
    print("常驻进程在执行命令时退出了：命令可能没有完成，请查看结果后再试（laopan worker status）", file=sys.stderr)
    return EXIT_LOST


def _line(message: dict) -> bytes:
    return json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n"
