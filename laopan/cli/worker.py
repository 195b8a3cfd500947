"""`laopan worker start|stop|status`: the warm process that lets a script's repeated calls start in ~0.1 s
(laopan/worker). It needs no login: it opens no desk itself, and every command it runs logs in as usual."""

import datetime as dt
import os
import time

from laopan import paths
from laopan.errors import StorageError, ValidationError
from laopan.worker.starting import DEFAULT_IDLE_MINUTES, pause

START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0


def register(sub, command) -> None:
    group = sub.add_parser("worker", help="常驻进程：让脚本反复调用的命令不必每次重新加载程序").add_subparsers(
        dest="worker_command", metavar="ACTION", required=True)
    p = command("start", cmd_start, "启动常驻进程（之后本数据目录的命令约 0.1 秒启动；每条命令照常登录）", group)
    p.add_argument("--idle-minutes", type=float, default=DEFAULT_IDLE_MINUTES,
                   help=f"闲置多少分钟后自动退出（默认 {DEFAULT_IDLE_MINUTES:g}）")
    command("stop", cmd_stop, "让常驻进程立即退出", group)
    command("status", cmd_status, "显示常驻进程是否在运行", group)


def cmd_start(args) -> int:
    from laopan.worker import FAILED_FILE
    from laopan.worker.client import ask, code_stamp
    from laopan.worker.starting import held

    if not 0 < args.idle_minutes <= 24 * 60:
        raise ValidationError("--idle-minutes", "应在 0 到 1440 分钟之间")
    folder = paths.data_dir()
    running = ask(folder, {"op": "status"})
    if running and running.get("stamp") == code_stamp():
        print(f"常驻进程已在运行（进程 {running['pid']}）")
        return 0
    if running:  # loaded before an upgrade: replace it
        _stop(folder)
    (folder / FAILED_FILE).unlink(missing_ok=True)  # asked for by hand: try again even if it failed before
    # A scripted call may be starting one at this moment: then that one is waited for, not a second spawned.
    pid = None if held(folder) else _spawned(folder, args.idle_minutes * 60)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        answer = ask(folder, {"op": "status"})
        if answer and answer.get("stamp") == code_stamp():
            idle = answer["idle_seconds"] / 60
            print(f"常驻进程已启动（进程 {answer['pid']}）：本数据目录的命令由它执行，"
                  f"闲置 {idle:g} 分钟后自动退出，laopan worker stop 立即退出")
            return 0
        if not held(folder) and (pid is None or not _alive(pid)):
            break  # it left before it was ready (another worker won the lock and then left, or it failed)
        pause(0.05)
    raise StorageError(f"常驻进程没能启动，详见 {paths.logs_dir() / 'worker.log'}")


def _spawned(folder, idle_seconds: float) -> int:
    from laopan.worker.starting import spawn

    try:
        return spawn(folder, idle_seconds)
    except OSError as exc:
        raise StorageError(str(exc)) from None


def _alive(pid: int) -> bool:
    if os.name != "posix":
        return True  # Windows: the deadline decides
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def cmd_stop(args) -> int:
    if _stop(paths.data_dir()):
        print("常驻进程已退出")
    else:
        print("没有在运行的常驻进程")
    return 0


def _stop(folder) -> bool:
    """Asks the worker of `folder` to leave and waits until its port is closed; False when none was running."""
    from laopan.worker.client import ask, read_info

    answer = ask(folder, {"op": "stop"})
    if not answer or "stopping" not in answer:
        return False
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while time.monotonic() < deadline and (read_info(folder) or {}).get("pid") == answer["stopping"]:
        pause(0.02)  # it removes worker.json as the last thing it does
    return True


def cmd_status(args) -> int:
    from laopan.worker.client import ask, code_stamp

    answer = ask(paths.data_dir(), {"op": "status"})
    if not answer or "pid" not in answer:
        print("没有在运行的常驻进程")
        return 0
    since = dt.datetime.fromisoformat(answer["started"]).astimezone().strftime("%Y年%m月%d日 %H:%M")
    current = "" if answer.get("stamp") == code_stamp() else "；程序已更新，下一条命令会让它退出，请重新启动"
    print(f"常驻进程 {answer['pid']} 在运行：{since}起已执行 {answer['served']} 条命令，"
          f"闲置 {answer['idle_seconds'] / 60:g} 分钟后自动退出{current}")
    return 0
