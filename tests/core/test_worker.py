"""`laopan worker start` (issue 16 item 6): a script's repeated calls are run by a warm process of the data dir,
and nothing the caller sees — output, refusals, exit codes, paths, the login — differs from a fresh process."""

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from laopan.cli.main import main
from laopan.worker import WORKER_FILE, client
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
def folder(tmp_path) -> Path:
    return tmp_path / "data"


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

