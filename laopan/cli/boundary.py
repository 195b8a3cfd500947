"""The command line's one error boundary (issue 10): every failure becomes a Chinese sentence on stderr with
the next step, and an exit code by kind; the technical detail goes only to a log file in the data dir.

Exit codes: 0 done; 1 a fault of the program itself (see the log); 2 bad input, usage or a refused value;
3 storage (the database cannot be opened, read or written); 4 a conflict or a missing permission.
Neither stderr nor the log carries personal data: engines hide SQL parameters, and the log masks long digit
runs (ID numbers, phones) that a driver message may still quote.
"""

import re
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from laopan.errors import Conflict, DomainError, InvalidTransition, PermissionDenied, Refused, StorageError

EXIT_INTERNAL = 1
EXIT_INPUT = 2
EXIT_STORAGE = 3
EXIT_CONFLICT = 4
WAITING = "正在等待另一台电脑保存…"

_LONG_NUMBER = re.compile(r"\d[\d\s-]{5,}[\dXx]")


def redact(text: str) -> str:
    """Masks every run of six or more digits (ID numbers, phones, bank accounts) in technical text."""
    return _LONG_NUMBER.sub("<已隐去>", text)


def run(handler: Callable[[object], int | None], args, *, database: Callable[[], str | None]) -> int:
    """`handler(args)`, with every exception it raises turned into a sentence and an exit code."""
    from laopan.storage.engine import opened_engines, waiting_for_lock

    before = opened_engines()
    said = []

    def say_waiting() -> None:  # another desk is saving: say so once, then wait on (up to the busy timeout)
        if not said:
            said.append(True)
            print(WAITING, file=sys.stderr, flush=True)

    try:
        with waiting_for_lock(say_waiting):
            return _run(handler, args, database)
    finally:
        for engine in opened_engines() - before:  # close the command's connections, not left to the GC
            engine.dispose()


def _run(handler: Callable[[object], int | None], args, database: Callable[[], str | None]) -> int:
    try:
        return handler(args) or 0
    except Refused as exc:
        for warning in exc.warnings:
            print(f"警告：{warning}", file=sys.stderr)
        for error in exc.errors:
            print(error, file=sys.stderr)
        print(f"未保存任何内容（{len(exc.errors)} 处错误）", file=sys.stderr)
        return EXIT_INPUT
    except StorageError as exc:
        return _say(str(exc), EXIT_STORAGE, exc if exc.__cause__ is not None else None)
    except (PermissionDenied, Conflict, InvalidTransition) as exc:
        return _say(str(exc), EXIT_CONFLICT)
    except DomainError as exc:  # ValidationError, NotFound and the other refusals of what was typed
        return _say(str(exc), EXIT_INPUT)
    except BrokenPipeError:  # `laopan … | head`: the launcher ends quietly (exit 141), not "读写文件时出错"
        raise
    except KeyboardInterrupt:
        print("已取消", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the boundary: nothing gets past as a traceback
        return _unexpected(exc, database)


def _unexpected(exc: Exception, database: Callable[[], str | None]) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from laopan.storage.failures import explain

    if isinstance(exc, SQLAlchemyError):
        try:
            url = database()
        except Exception:  # noqa: BLE001 - only used to name the database in the sentence
            url = None
        explained = explain(exc, url)
        if explained is not None:
            return _say(str(explained), EXIT_STORAGE, exc)
        log = _log(exc)
        return _say(f"数据库操作失败，未保存任何内容。{_see(log)}", EXIT_STORAGE)
    if isinstance(exc, FileNotFoundError):
        return _say(f"文件不存在：{exc.filename}", EXIT_INPUT)
    if isinstance(exc, IsADirectoryError):
        return _say(f"{exc.filename} 是文件夹，不是文件", EXIT_INPUT)
    if isinstance(exc, NotADirectoryError):
        return _say(f"路径 {exc.filename} 中有一段是文件，不是文件夹", EXIT_INPUT)
    if isinstance(exc, PermissionError):
        return _say(f"没有权限读写 {exc.filename}：请检查文件和文件夹的权限", EXIT_CONFLICT)
    if isinstance(exc, OSError):
        return _say(f"读写 {exc.filename or '文件'} 时出错（{exc.strerror or '系统错误'}）：请检查磁盘空间和路径", EXIT_STORAGE, exc)
    if isinstance(exc, (RecursionError, MemoryError)):
        log = _log(exc)
        return _say(f"输入过于庞大或嵌套过深，已停止，未保存任何内容。{_see(log)}", EXIT_INPUT)
    log = _log(exc)
    return _say(f"程序内部错误（{type(exc).__name__}），未保存任何内容。{_see(log)}", EXIT_INTERNAL)


def _say(sentence: str, code: int, logged: BaseException | None = None) -> int:
    if logged is not None:
        _log(logged)
    print(f"错误：{sentence}", file=sys.stderr)
    return code


def _see(log: Path | None) -> str:
    return f"详细信息已记入 {log}，请交给维护人员" if log else "请重试，或联系维护人员"


def _log(exc: BaseException) -> Path | None:
    """Append the traceback to logs/laopan.log in the data dir — only if the data dir already exists (a
    mistyped --data-dir must not appear because something failed) and is writable."""
    from laopan import paths
    from laopan.clock import system_clock

    try:
        if not paths.data_dir().is_dir():
            return None
        log = paths.logs_dir() / "laopan.log"
        detail = redact("".join(traceback.format_exception(exc)))
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"--- {system_clock().now().isoformat()} ---\n{detail}\n")
        return log
    except Exception:  # noqa: BLE001 - failing to log must not hide the sentence the user needs
        return None
