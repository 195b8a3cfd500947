"""Opening never creates by accident, and a database that cannot be used says why in one sentence (issue 10).

Only `init`, `demo` and the window's answered first-start dialog create a database; every other command on a
missing or empty one stops with "数据库尚未初始化" and leaves no file or folder behind. A newer, damaged,
locked, read-only or misplaced database each gets its own sentence, exit code 3, and no traceback.
"""

import os
import shutil
import sqlite3

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from laopan.cli.boundary import WAITING
from laopan.cli.main import main
from laopan.storage.failures import BUSY, explain
from tests.helpers.databases import engine_for, sqlite_connection


@pytest.fixture
def run(capsys, clock):
    def run(*args: str) -> tuple[int, str, str]:
        code = main([*args, *([] if "--as" in args else ["--as", "admin"])], clock=clock)
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        return code, out, err

    return run


def test_a_read_command_on_a_mistyped_data_dir_creates_nothing(run, tmp_path):
    nowhere = tmp_path / "mistyped" / "desk"
    code, out, err = run("--data-dir", str(nowhere), "cases", "--count")
    assert (code, out) == (3, "")
    assert err.startswith(f"错误：数据库尚未初始化：文件 {nowhere / 'laopan.db'}。请先运行 laopan init")
    assert not (tmp_path / "mistyped").exists(), "no data dir, no logs folder, no database file"


def test_a_read_command_on_a_missing_sqlite_url_creates_no_file(run, tmp_path):
    target = tmp_path / "typo.db"
    assert run("--database", f"sqlite:///{target}", "cases")[0] == 3
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_an_empty_file_is_not_initialised_and_stays_empty(run, tmp_path):
    target = tmp_path / "empty.db"
    target.touch()
    code, _out, err = run("--database", f"sqlite:///{target}", "user", "list")
    assert code == 3 and "数据库尚未初始化" in err
    assert target.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"], "no -wal/-shm either"


def test_init_creates_the_data_dir_it_is_pointed_at(run, tmp_path):
    desk = tmp_path / "new" / "desk"
    assert run("--data-dir", str(desk), "init")[0] == 0
    assert (desk / "laopan.db").is_file()
    assert run("--data-dir", str(desk), "cases", "--count")[1] == "0\n"


def test_a_database_newer_than_the_program_gives_only_the_sentence(run, db_url):
    engine = engine_for(db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff0000ffff'"))
    engine.dispose()
    assert run("--database", db_url, "cases") == (
        3, "", "错误：数据库由更新版本的程序创建（结构版本 ffff0000ffff），请升级本程序后再打开\n")


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_garbage_or_truncated_file_is_not_our_database(run, template_db, tmp_path, damage):
    target = tmp_path / "laopan.db"
    if damage == "garbage":
        target.write_bytes(b"this is a letter, not a database\n" * 200)
    else:
        shutil.copyfile(template_db, target)
        with target.open("r+b") as handle:
            handle.truncate(2048)
    for command in (("cases",), ("user", "add", "x", "--role", "admin")):
        code, out, err = run("--database", f"sqlite:///{target}", *command)
        assert (code, out) == (3, "")
        assert f"{target} 不是本程序的数据库" in err


def test_a_sqlite_url_in_a_missing_folder_names_the_folder(run, tmp_path):
    folder = tmp_path / "no-such-folder"
    for command in (("cases",), ("init",)):
        code, _out, err = run("--database", f"sqlite:///{folder / 'laopan.db'}", *command)
        assert code == 3
        assert err == f"错误：文件夹 {folder} 不存在：请检查数据库路径（--database 或 --data-dir）\n"
    assert not folder.exists()


def test_a_data_dir_under_a_file_names_the_file(run, tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("x", encoding="utf-8")
    for command in (("cases",), ("init",)):
        code, _out, err = run("--data-dir", str(blocker / "desk"), *command)
        assert code == 3
        assert err == f"错误：数据目录无法使用：{blocker} 是一个文件，不是文件夹。请用 --data-dir 指向一个文件夹\n"


def test_a_writer_kept_waiting_past_the_busy_timeout_is_told_in_chinese(run, db_url, monkeypatch):
    monkeypatch.setattr("laopan.storage.engine.SQLITE_BUSY_TIMEOUT_MS", 600)  # past the 300 ms first try
    holder = sqlite_connection(db_url)
    try:
        holder.execute("BEGIN IMMEDIATE")
        assert run("--database", db_url, "cases", "--count")[:2] == (0, "0\n"), "reading does not wait"
        # First it says it is waiting, then, the other desk still saving past the timeout, that nothing was saved.
        assert run("--database", db_url, "user", "add", "x", "--role", "admin") == (3, "", f"{WAITING}\n错误：{BUSY}\n")
    finally:
        holder.rollback()
        holder.close()
    assert run("--database", db_url, "user", "add", "x", "--role", "admin")[0] == 0


def test_read_only_names_the_file_or_the_folder_and_its_permission(tmp_path, monkeypatch):
    """Checked through the translation (the suite may run as root, for whom chmod does not bite)."""
    target = tmp_path / "laopan.db"
    target.write_bytes(b"")
    refused = OperationalError("INSERT …", {}, sqlite3.OperationalError("attempt to write a readonly database"))
    monkeypatch.setattr(os, "access", lambda path, mode: os.fspath(path) != os.fspath(target))
    assert str(explain(refused, f"sqlite:///{target}")).startswith(f"数据库文件 {target} 是只读的（权限 -")
    monkeypatch.setattr(os, "access", lambda path, mode: os.fspath(path) != os.fspath(tmp_path))
    message = str(explain(refused, f"sqlite:///{target}"))
    assert message.startswith(f"数据目录 {tmp_path} 没有写权限（权限 d") and "laopan.db-wal" in message


def test_a_damaged_settings_file_is_named(run, _isolated_paths):
    (_isolated_paths / "settings.json").write_text("{not json", encoding="utf-8")
    code, _out, err = run("cases")
    assert code == 3 and err.startswith(f"错误：设置文件 {_isolated_paths / 'settings.json'} 已损坏")


def test_an_unexpected_fault_is_a_sentence_and_the_traceback_goes_to_the_log(run, db_url, _isolated_paths, monkeypatch):
    def broken(*_args, **_kwargs):
        raise KeyError("13812345678")

    monkeypatch.setattr("laopan.services.users.list_users", broken)
    code, _out, err = run("--database", db_url, "user", "list")
    log = _isolated_paths / "logs" / "laopan.log"
    assert code == 1 and err == f"错误：程序内部错误（KeyError），未保存任何内容。详细信息已记入 {log}，请交给维护人员\n"
    written = log.read_text(encoding="utf-8")
    assert "Traceback" in written and "KeyError" in written
    assert "13812345678" not in written, "long digit runs (phones, ID numbers) are masked in the log"


def test_a_server_url_is_named_with_its_password_masked(run):
    code, _out, err = run("--database", "postgresql+psycopg://laopan:s3cret@127.0.0.1:1/nothing", "cases")
    assert code == 3 and "s3cret" not in err
    assert err == "错误：无法连接 postgresql+psycopg://laopan:***@127.0.0.1:1/nothing：请检查网络、服务器地址、用户名和密码\n"
