"""What `laopan SUBCOMMAND …` does first: hand the command to the warm process of its data dir, when one runs.

Standard library only, and nothing from laopan but this package: this is the part every scripted call pays
(~50 ms with the interpreter). When no worker answers — none started, one of other code, a command that reads
stdin or manages the worker itself — `relay` returns None and the launcher runs the command in this process,
as it always did. Nothing a user sees depends on which of the two ran it.
"""

import hashlib
import json
import os
import socket
import sys
from pathlib import Path

from laopan.worker import ENV_NO_WORKER, VALUED, WORKER_FILE
# Only what the command sees through the environment crosses over; the worker's own environment is not the
# caller's (it may have been started from another shell).
ENV_PREFIX = "LAOPAN_"
CONNECT_TIMEOUT_S = 2.0
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
    when the command must run in this process (nothing has been written then)."""
    if os.environ.get(ENV_NO_WORKER) or "-" in argv or subcommand(argv) in (None, "worker"):
        return None
    info = read_info(data_dir(argv))
    if info is None:
        return None
    try:
        connection = socket.create_connection(("127.0.0.1", info["port"]), timeout=CONNECT_TIMEOUT_S)
    except OSError:
        return None  # it was stopped without cleaning up (a reboot, a kill): its file stays until the next start
    with connection:
        request = {"op": "run", "token": info["token"], "stamp": code_stamp(), "argv": argv, "cwd": os.getcwd(),
                   "env": {key: value for key, value in os.environ.items() if key.startswith(ENV_PREFIX)}}
        try:
            connection.sendall(_line(request))
            connection.settimeout(None)  # a long command (an import, a demo) answers when it is done
            frames = connection.makefile("r", encoding="utf-8")
            return _copy_output(frames)
        except ConnectionError:
            return _lost()


def _copy_output(frames) -> int | None:
    started = False
    for line in frames:
        try:
            frame = json.loads(line)
        except ValueError:
            if started:
                continue
            return None  # not a laopan worker on that port (its file outlived it, the port went to another program)
        if "out" in frame:
            sys.stdout.write(frame["out"])
            sys.stdout.flush()
        elif "err" in frame:
            sys.stderr.write(frame["err"])
            sys.stderr.flush()
        elif "exit" in frame:
            return int(frame["exit"])
        elif not started:  # refused (another token, other code) before anything ran: run it here instead
            return None
        started = True
    # Once the request is sent the command may have run: never run it a second time here.
    return _lost()


def _lost() -> int:
    # Whatever the command had not committed was rolled back with its process; what it had, stays.
    print("常驻进程在执行命令时退出了：命令可能没有完成，请查看结果后再试（laopan worker status）", file=sys.stderr)
    return EXIT_LOST


def _line(message: dict) -> bytes:
    return json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n"
