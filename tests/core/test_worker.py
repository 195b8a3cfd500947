"""`laopan worker start` (issue 16 item 6): a script's repeated calls are run by a warm process of the data dir,
and nothing the caller sees — output, refusals, exit codes, paths, the login — differs from a fresh process."""

import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from laopan.cli.main import main
from laopan.worker import FAILED_FILE, WORKER_FILE, client, starting
from tests.helpers.accounts import TEST_PASSWORD

FULL = Path(__file__).resolve().parents[1] / "fixtures" / "interchange" / "full.json"


def _wait_until(condition, what: str, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting after {timeout_s:g} s: {what}")
        threading.Event().wait(0.05)  # not time.sleep: it fails under faketime (the later-date runs)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    """The data dir of the test's workers. The suite keeps workers off (conftest); here they are on, and every
    one started in the folder, by hand or by a call, is gone after the test."""
    monkeypatch.delenv("LAOPAN_NO_WORKER", raising=False)
    folder = tmp_path / "data"
    yield folder
    info = client.read_info(folder)
    main(["--data-dir", str(folder), "worker", "stop"])
    if info and _alive(info["pid"]):
        os.kill(info["pid"], 9)


@pytest.fixture
def start(folder, capsys):
    """`laopan --data-dir FOLDER worker start [ARGS]` in-process; every worker started is gone after the test."""
    started: list[int] = []

    def start(*args: str) -> int:
        assert main(["--data-dir", str(folder), "worker", "start", *args]) == 0
        out = capsys.readouterr().out
        assert out.startswith("常驻进程已启动"), out
        info = client.read_info(folder)
        started.append(info["pid"])
        return info["pid"]

    yield start
    main(["--data-dir", str(folder), "worker", "stop"])
    for pid in started:
        if _alive(pid):
            os.kill(pid, 9)


@pytest.fixture
def desk_args(db_url, folder, capsys) -> list[str]:
    """The options that name a desk with two imported cases (the interchange fixture)."""
    args = ["--data-dir", str(folder), "--database", db_url, "--as", "admin"]
    assert main([*args, "case", "import", str(FULL)]) == 0
    capsys.readouterr()
    return args


def _relayed(argv: list[str], capsys) -> tuple[int | None, str, str]:
    code = client.relay(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _here(argv: list[str], capsys) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def _served(folder: Path) -> int:
    return client.ask(folder, {"op": "status"})["served"]


def test_a_relayed_command_prints_and_exits_as_a_fresh_process_would(start, desk_args, folder, capsys):
    start()
    for words in (["cases"], ["cases", "--search", "张"], ["cases", "--count"], ["dict", "list", "community"],
                  ["cases", "--mediator", "无此人"], ["cases", "--from", "2026-13-01"], ["cases", "--level", "province"],
                  ["cases", "--help"]):
        argv = [*desk_args, *words]
        relayed = _relayed(argv, capsys)
        assert relayed == _here(argv, capsys), words
    assert _relayed([*desk_args, "cases", "--mediator", "无此人"], capsys) == (2, "", "错误：调解员名册中没有“无此人”\n")
    assert _served(folder) == 9  # each of them ran in the worker, not here


def test_the_launcher_hands_a_scripted_call_to_the_worker(start, desk_args, folder):
    start()
    done = subprocess.run([sys.executable, "-m", "ui.shell.launcher", *desk_args, "cases", "--count"],
                          capture_output=True, text=True, env={**os.environ, "LAOPAN_PASSWORD": TEST_PASSWORD})
    assert (done.returncode, done.stdout, done.stderr) == (0, "2\n", "")
    assert _served(folder) == 1


def test_files_are_read_and_written_where_the_caller_stands(start, desk_args, folder, tmp_path, monkeypatch, capsys):
    start()
    number = _relayed([*desk_args, "cases"], capsys)[1].split("\t", 1)[0]
    caller = tmp_path / "caller"
    caller.mkdir()
    (caller / "pw.txt").write_text(TEST_PASSWORD + "\n", encoding="utf-8")
    monkeypatch.chdir(caller)
    monkeypatch.delenv("LAOPAN_PASSWORD")
    code, out, err = _relayed([*desk_args, "--password-file", "pw.txt", "case", "export", number, "--out", "one.json"],
                              capsys)
    assert (code, err) == (0, "已导出到 one.json\n")
    exported = json.loads((caller / "one.json").read_text(encoding="utf-8"))
    assert len(exported["cases"]) == 1 and exported["cases"][0]["parties"]
    assert not (folder / "one.json").exists()


def test_every_relayed_command_logs_in_and_the_worker_keeps_no_password(start, desk_args, folder, monkeypatch, capsys):
    pid = start()
    if Path(f"/proc/{pid}/environ").exists():
        assert b"LAOPAN_PASSWORD" not in Path(f"/proc/{pid}/environ").read_bytes()
    monkeypatch.setenv("LAOPAN_PASSWORD", "not-the-password")
    wrong = _relayed([*desk_args, "cases", "--count"], capsys)
    assert wrong == _here([*desk_args, "cases", "--count"], capsys) == (2, "", "错误：用户名或密码错误\n")
    monkeypatch.delenv("LAOPAN_PASSWORD")  # the worker must not fall back on a password it was started with
    missing = _relayed([*desk_args, "cases", "--count"], capsys)
    assert missing == _here([*desk_args, "cases", "--count"], capsys)
    assert missing[0] == 2 and "请提供密码" in missing[2]
    monkeypatch.setenv("LAOPAN_PASSWORD", TEST_PASSWORD)
    assert _relayed([*desk_args, "cases", "--count"], capsys) == (0, "2\n", "")
    assert _served(folder) == 3


def test_commands_that_read_stdin_or_manage_the_worker_run_here(start, desk_args, folder, monkeypatch):
    start()
    assert client.relay([*desk_args, "case", "import", "-"]) is None
    assert client.relay(["--data-dir", str(folder), "worker", "status"]) is None
    assert client.relay(["--data-dir", str(folder)]) is None  # the window
    monkeypatch.setenv("LAOPAN_NO_WORKER", "1")
    assert client.relay([*desk_args, "cases"]) is None
    assert _served(folder) == 0


def test_only_the_token_holder_is_served(start, folder):
    start()
    info = client.read_info(folder)
    assert oct((folder / WORKER_FILE).stat().st_mode & 0o777) == "0o600" or os.name != "posix"
    forged = {**info, "token": "0" * 64}
    (folder / WORKER_FILE).write_text(json.dumps(forged), encoding="utf-8")
    assert client.ask(folder, {"op": "status"}) == {"refused": "token"}
    assert client.relay(["--data-dir", str(folder), "cases"]) is None  # refused before anything ran: runs here
    (folder / WORKER_FILE).write_text(json.dumps(info), encoding="utf-8")
    assert client.ask(folder, {"op": "status"})["served"] == 0


def test_a_worker_of_other_code_is_not_used_and_leaves(start, desk_args, folder, monkeypatch):
    pid = start()
    monkeypatch.setattr(client, "code_stamp", lambda: "laopan after an upgrade")
    assert client.relay([*desk_args, "cases"]) is None
    _wait_until(lambda: not (folder / WORKER_FILE).exists(), "the outdated worker removes its file")
    _wait_until(lambda: not _alive(pid), "the outdated worker exits")


def test_the_worker_leaves_after_its_idle_time_and_stop_says_whether_one_ran(start, folder, capsys):
    pid = start("--idle-minutes", "0.02")
    _wait_until(lambda: not (folder / WORKER_FILE).exists(), "the idle worker removes its file")
    _wait_until(lambda: not _alive(pid), "the idle worker exits")
    assert main(["--data-dir", str(folder), "worker", "stop"]) == 0
    assert capsys.readouterr().out == "没有在运行的常驻进程\n"
    start()
    assert main(["--data-dir", str(folder), "worker", "status"]) == 0
    assert "在运行：" in capsys.readouterr().out
    assert main(["--data-dir", str(folder), "worker", "stop"]) == 0
    assert capsys.readouterr().out == "常驻进程已退出\n"
    assert client.read_info(folder) is None


def test_an_idle_time_out_of_range_is_refused_naming_the_option(folder, capsys):
    assert main(["--data-dir", str(folder), "worker", "start", "--idle-minutes", "0"]) == 2
    assert "--idle-minutes" in capsys.readouterr().err
    assert client.read_info(folder) is None



def _launch(desk_args: list[str], *words: str) -> tuple[int, str, str]:
    """`laopan ARGS…` as a script runs it: a fresh process through the console script's entry point."""
    done = subprocess.run([sys.executable, "-m", "ui.shell.launcher", *desk_args, *words], capture_output=True,
                          text=True, env={**os.environ, "LAOPAN_PASSWORD": TEST_PASSWORD})
    return done.returncode, done.stdout, done.stderr


def _worker_ready(folder: Path) -> bool:
    answer = client.ask(folder, {"op": "status"})
    return bool(answer) and "pid" in answer


def test_a_scripts_first_call_starts_the_worker_for_the_calls_after_it(desk_args, folder):
    """Nobody runs `laopan worker start`: the first call runs in its own process and leaves a worker behind,
    which serves the next call with the same output."""
    assert client.read_info(folder) is None
    assert not folder.exists()  # a desk on the server: nothing in the data dir yet
    assert _launch(desk_args, "cases", "--count") == (0, "2\n", "")
    assert oct(folder.stat().st_mode & 0o777) == "0o700" or os.name != "posix"
    _wait_until(lambda: _worker_ready(folder), "the worker the first call started")
    assert _served(folder) == 0  # the first call ran in its own process
    assert _launch(desk_args, "cases", "--count") == (0, "2\n", "")
    assert _served(folder) == 1
    pid = client.read_info(folder)["pid"]
    if Path(f"/proc/{pid}/environ").exists():  # started by a call that had the password in its environment
        assert b"LAOPAN_PASSWORD" not in Path(f"/proc/{pid}/environ").read_bytes()


def test_setting_up_a_desk_or_opting_out_starts_no_worker(db_url, folder, monkeypatch, capsys):
    folder.mkdir()
    assert client.relay(["--data-dir", str(folder), "--database", db_url, "init"]) is None
    monkeypatch.setenv("LAOPAN_NO_WORKER", "1")
    assert client.relay(["--data-dir", str(folder), "--database", db_url, "cases"]) is None
    assert not starting.held(folder) and client.read_info(folder) is None
    assert (folder / "logs").exists() is False  # nothing was spawned, not even its log


def test_workers_started_at_the_same_moment_end_as_one(folder):
    folder.mkdir()
    pids = [starting.spawn(folder, 60) for _ in range(3)]
    _wait_until(lambda: _worker_ready(folder), "one of them is ready")
    _wait_until(lambda: sum(map(_alive, pids)) == 1, "the others leave")
    (survivor,) = [pid for pid in pids if _alive(pid)]
    assert client.read_info(folder)["pid"] == survivor
    assert starting.start_in_background(folder, client.code_stamp()) is False  # and a call starts no fourth


def test_worker_start_waits_for_the_worker_a_call_is_starting(folder, capsys):
    folder.mkdir()
    spawned = starting.spawn(folder, 60)
    assert main(["--data-dir", str(folder), "worker", "start"]) == 0
    out = capsys.readouterr().out
    running = client.read_info(folder)["pid"]
    assert out.startswith(f"常驻进程已启动（进程 {running}）") or out == f"常驻进程已在运行（进程 {running}）\n"
    assert running == spawned or not _alive(spawned)


def test_a_busy_worker_leaves_the_call_to_its_own_process_and_never_runs_it_twice(start, desk_args, folder, capsys):
    start()
    info = client.read_info(folder)
    with socket.create_connection(("127.0.0.1", info["port"])):  # another caller that has not said what it wants
        assert _relayed([*desk_args, "cases", "--count"], capsys) == (None, "", "")
        code, out, _ = _here([*desk_args, "cases", "--count"], capsys)  # what the launcher does next
        assert (code, out) == (0, "2\n")
    # The worker gets to the abandoned request after the busy one: it never had the go, so it does not run it.
    assert _served(folder) == 0
    assert _relayed([*desk_args, "cases", "--count"], capsys) == (0, "2\n", "")
    assert _served(folder) == 1


def test_a_worker_on_another_clock_serves_nobody_on_this_one(start, desk_args, folder, monkeypatch, capsys):
    """A worker started under faketime (or before the clock was set) would date this caller's records wrongly."""
    start()
    real = client.process_clock
    monkeypatch.setattr(client, "process_clock", lambda: real() + 3600)
    assert client.relay([*desk_args, "cases", "--count"]) is None
    monkeypatch.setattr(client, "process_clock", real)
    assert _relayed([*desk_args, "cases", "--count"], capsys) == (0, "2\n", "")
    assert _served(folder) == 1


def test_a_worker_that_failed_to_start_is_not_started_again_by_every_call(folder, capsys):
    folder.mkdir()
    (folder / FAILED_FILE).write_text(client.code_stamp(), encoding="utf-8")
    assert starting.start_in_background(folder, client.code_stamp()) is False
    assert not starting.held(folder)
    (folder / FAILED_FILE).write_text("an older laopan", encoding="utf-8")  # fixed by an upgrade: tried again
    assert starting.start_in_background(folder, client.code_stamp()) is True
    _wait_until(lambda: _worker_ready(folder), "the worker of the new code")
    assert not (folder / FAILED_FILE).exists()


def test_a_reader_that_stops_early_ends_a_relayed_call_quietly(monkeypatch, capsys):
    """`laopan cases | head -1`: our stdout closes; the launcher ends quietly (exit 141), not with "the worker
    went away"."""
    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", Closed())
    with pytest.raises(BrokenPipeError):
        client._copy_output(io.StringIO('{"out": "DL2026-00001\\n"}\n{"exit": 0}\n'))
    assert capsys.readouterr().err == ""
    assert client._copy_output(io.StringIO('{"err": "x"}\n')) == client.EXIT_LOST  # the worker did go away
    assert "常驻进程在执行命令时退出了" in capsys.readouterr().err
