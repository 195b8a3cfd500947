"""The warm process: `python -m laopan.worker.server --data-dir D --idle-seconds N`, one per data dir, started
by a scripted call that found none or by `laopan worker start` (laopan/worker/starting.py).

Its first step is to take the data dir's worker lock: a second worker started at the same moment finds it taken
and leaves. It listens on 127.0.0.1 at a port of the system's choosing and writes the port, its pid and a random
token to `worker.json` in the data dir (readable by its owner only, like the rest of the folder): a caller must
show the token, so only the account that owns the desk can hand it commands. It serves one command at a time (a
caller that finds it busy runs its command itself), each as `laopan.cli.main.main(argv)` in the caller's working
directory and with the caller's LAOPAN_* environment, its output streamed back as it is written. It leaves after
`idle_seconds` without a command, on `worker stop`, or when a caller runs other code than it loaded (an
upgrade). It refuses a caller whose wall clock is not its own: a worker started under faketime must not date
another caller's records.
"""

import argparse
import contextlib
import hmac
import io
import json
import os
import secrets
import socket
import sys
import traceback
from pathlib import Path

from laopan.clock import system_clock
from laopan.worker import FAILED_FILE, WORKER_FILE
from laopan.worker.client import ENV_PREFIX, code_stamp, process_clock
from laopan.worker.starting import take_patiently

REQUEST_TIMEOUT_S = 5.0
CLOCK_SKEW_S = 5.0  # more than this between the caller's wall clock and ours: refused, the caller runs it itself
# What a relayed `cases`, `case show` or a write needs, imported once at the start rather than by the first call.
WARM_MODULES = ("laopan.cli.main", "laopan.cli.format", "laopan.desk", "laopan.services.cases",
                "laopan.services.search_audit", "laopan.storage.engine", "laopan.models")


class _Stream(io.TextIOBase):
    """stdout or stderr of the command, sent to the caller in frames: buffered like a file, flushed when the
    command flushes, when it writes to the other stream (so the two keep their order) and when it ends."""

    def __init__(self, connection: socket.socket, kind: str) -> None:
        self._connection = connection
        self._kind = kind
        self._pending: list[str] = []
        self._size = 0
        self.other: "_Stream | None" = None

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if self.other is not None and self.other._pending:
            self.other.flush()
        self._pending.append(text)
        self._size += len(text)
        if self._size > 8192:
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self._pending:
            text, self._pending, self._size = "".join(self._pending), [], 0
            _send(self._connection, {self._kind: text})


def _send(connection: socket.socket, message: dict) -> None:
    try:
        connection.sendall(json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n")
    except OSError as exc:  # the caller went away (`laopan cases | head`, Ctrl-C): the command stops here
        raise BrokenPipeError(str(exc)) from None


class Worker:
    def __init__(self, folder: Path, idle_seconds: float) -> None:
        self.folder = folder
        self.idle_seconds = idle_seconds
        self.token = secrets.token_hex(32)
        self.stamp = code_stamp()
        self.started = system_clock().now().isoformat()  # shown by `laopan worker status`
        self.served = 0
        self.parser = None

    def warm_up(self) -> None:
        import importlib

        for name in WARM_MODULES:
            importlib.import_module(name)
        from laopan.cli.main import build_parser
        from laopan.models import load_all

        load_all()
        self.parser = build_parser()  # reused: parsing does not change it, and building it costs ~70 ms

    def serve(self) -> None:
        os.umask(0o077)
        lock = take_patiently(self.folder)
        if lock is None:
            print("本数据目录已有常驻进程在运行或正在启动，本进程退出", flush=True)
            return
        listener = socket.create_server(("127.0.0.1", 0))
        try:
            try:
                self.warm_up()
            except Exception:
                # A scripted call would otherwise start a doomed worker every time; `worker start` tries again.
                (self.folder / FAILED_FILE).write_text(self.stamp, encoding="utf-8")
                raise
            (self.folder / FAILED_FILE).unlink(missing_ok=True)
            self._announce(listener.getsockname()[1])
            listener.settimeout(self.idle_seconds)
            while True:
                try:
                    connection, _ = listener.accept()
                except TimeoutError:
                    return
                with connection:
                    if self._handle(connection) == "stop":
                        return
        finally:
            listener.close()
            self._withdraw()
            lock.release()  # last: a worker started now finds no file of ours to replace

    def _announce(self, port: int) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        info = {"pid": os.getpid(), "port": port, "token": self.token, "stamp": self.stamp, "started": self.started,
                "idle_seconds": self.idle_seconds}
        staged = self.folder / f"{WORKER_FILE}.{os.getpid()}"
        staged.write_text(json.dumps(info), encoding="utf-8")
        os.replace(staged, self.folder / WORKER_FILE)  # a caller reads the old file or the new one, never half

    def _withdraw(self) -> None:
        """Removes worker.json if it is still ours (a newer worker may have replaced it)."""
        path = self.folder / WORKER_FILE
        try:
            if json.loads(path.read_text(encoding="utf-8")).get("token") == self.token:
                path.unlink()
        except (OSError, ValueError):
            pass

    def _handle(self, connection: socket.socket) -> str | None:
        connection.settimeout(REQUEST_TIMEOUT_S)
        try:
            reader = connection.makefile("r", encoding="utf-8")
            request = json.loads(reader.readline())
            if not hmac.compare_digest(str(request.get("token", "")), self.token):
                return _send(connection, {"refused": "token"})
            op = request.get("op")
            if op == "status":
                return _send(connection, {"pid": os.getpid(), "served": self.served, "started": self.started,
                                          "idle_seconds": self.idle_seconds, "stamp": self.stamp})
            if op == "stop":
                _send(connection, {"stopping": os.getpid()})
                return "stop"
            if op != "run":
                return _send(connection, {"refused": "op"})
            if request.get("stamp") != self.stamp:
                _send(connection, {"refused": "stamp"})  # laopan was upgraded since: this process is of no more use
                return "stop"
            if abs(process_clock() - float(request.get("clock", 0))) > CLOCK_SKEW_S:
                return _send(connection, {"refused": "clock"})
            _send(connection, {"ready": os.getpid()})
            if json.loads(reader.readline() or "{}").get("go") is not True:
                return None  # the caller gave up waiting (we were busy) and ran it itself
            connection.settimeout(None)
            self._run(connection, request)
        except (OSError, ValueError, TypeError, AttributeError):
            pass  # a caller that went away or spoke garbage: nothing ran for it
        return None

    def _run(self, connection: socket.socket, request: dict) -> None:
        from laopan import paths
        from laopan.cli.main import main

        out, err = _Stream(connection, "out"), _Stream(connection, "err")
        out.other, err.other = err, out
        saved_env = {key: value for key, value in os.environ.items() if key.startswith(ENV_PREFIX)}
        saved_stdin = sys.stdin
        try:
            for key in saved_env:
                del os.environ[key]
            os.environ.update({key: str(value) for key, value in request.get("env", {}).items()
                               if key.startswith(ENV_PREFIX)})
            os.chdir(request["cwd"])
            sys.stdin = io.StringIO()  # a relayed command never reads stdin (the client keeps "-" for itself)
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = _main_exit_code(main, [str(word) for word in request["argv"]], self.parser)
                out.flush()
                err.flush()
            self.served += 1
            _send(connection, {"exit": code})
        except BrokenPipeError:
            pass
        finally:
            sys.stdin = saved_stdin
            for key in [key for key in os.environ if key.startswith(ENV_PREFIX)]:
                del os.environ[key]
            os.environ.update(saved_env)
            os.chdir(self.folder)
            paths.configure(None)


def _main_exit_code(main, argv: list[str], parser) -> int:
    """What the process `laopan ARGV` would exit with: argparse's own exits (usage, --help) included."""
    try:
        return main(argv, parser=parser)
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=sys.stderr)
        return 1
    except BrokenPipeError:
        raise
    except Exception:  # noqa: BLE001 - the boundary already turned every command's failure into a sentence
        traceback.print_exc(file=sys.__stderr__)  # the worker's log, not the caller
        print("程序内部错误，详情见常驻进程的日志（logs/worker.log）", file=sys.stderr)
        return 1


def _detach(argv: list[str], log: str) -> int:
    """Starts the worker proper in its own session (a new process group on Windows) and prints its pid. This
    step exits at once, so the worker belongs to no command: `laopan worker start` waits only for this step."""
    import subprocess

    detached = ({"start_new_session": True} if os.name == "posix" else
                {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.DETACHED_PROCESS})
    with open(log, "ab") as output:
        process = subprocess.Popen([sys.executable, "-m", "laopan.worker.server", *argv], stdin=subprocess.DEVNULL,
                                   stdout=output, stderr=output, close_fds=True, **detached)
    print(process.pid)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m laopan.worker.server")
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--idle-seconds", type=float, required=True)
    parser.add_argument("--detach", action="store_true", help="start the worker in its own session, print its pid")
    parser.add_argument("--log", help="with --detach: the worker's stdout and stderr (appended)")
    args = parser.parse_args(argv)
    if args.detach:
        return _detach(["--data-dir", args.data_dir, "--idle-seconds", str(args.idle_seconds)], args.log or os.devnull)
    folder = Path(args.data_dir).resolve()
    os.chdir(folder)
    Worker(folder, args.idle_seconds).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
