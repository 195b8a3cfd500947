"""Issue 11 item 2 at the desk: a plain desk is encrypted at the first login with a password; an encrypted one
opens only with a password, and wrong ones tried while it was closed reach the audit."""

import re
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlmodel import select

from laopan.desk import create_desk, open_desk
from laopan.errors import DomainError
from laopan.models import AuditEntry
from laopan.security import keyfile
from laopan.security.unlocking import unlock_desk
from laopan.services.cases import case_detail
from laopan.services.login import LoginFailed
from laopan.storage import cipher, make_engine
from tests.helpers.accounts import TEST_PASSWORD
from tests.helpers.scenarios import ZHANG_ID, register

PASSWORD = TEST_PASSWORD


@pytest.fixture
def plain_desk(plain_db_url, clock) -> tuple[str, int]:
    """A plain desk (as every desk was before issue 11) holding 张伟's case: (url, case id)."""
    engine = make_engine(plain_db_url)  # an open engine: no conversion yet
    case_id = register(open_desk(engine=engine, login="admin", password=PASSWORD, clock=clock))
    engine.dispose()
    return plain_db_url, case_id


@pytest.fixture
def cli(capsys, plain_desk, clock):
    """`laopan ARGS… --database <this test's desk>` in-process: (exit code, stdout, stderr)."""
    from laopan.cli.main import main

    def cli(*args: str) -> tuple[int, str, str]:
        code = main([*args, "--database", plain_desk[0]], clock=clock)
        out, err = capsys.readouterr()
        return code, out, err

    return cli


def _path(url: str) -> Path:
    return Path(make_url(url).database)


def test_the_first_login_with_a_password_encrypts_a_plain_desk_and_shows_a_recovery_key(plain_desk, clock):
    url, case_id = plain_desk
    path = _path(url)

    desk = open_desk(url=url, login="admin", password=PASSWORD, clock=clock)

    assert desk.recovery_code and keyfile.unlock_with_recovery(path, desk.recovery_code)
    with desk.reading() as session:
        assert case_detail(session, actor=desk.actor, case_id=case_id).parties[0].name == "张伟"
    desk.engine.dispose()
    assert not cipher.is_plain_sqlite(path) and ZHANG_ID.encode() not in path.read_bytes()
    backups = list(path.parent.glob(f"{path.stem}-未加密-*"))
    assert len(backups) == 1 and sqlite3.connect(backups[0]).execute("SELECT count(*) FROM mediation_case").fetchone()[0] == 1

    again = open_desk(url=url, login="admin", password=PASSWORD, clock=clock)
    assert again.recovery_code is None  # shown once, at the conversion
    again.engine.dispose()


def test_an_encrypted_desk_refuses_a_missing_or_wrong_password_in_one_sentence(plain_desk, clock):
    url, _ = plain_desk
    open_desk(url=url, login="admin", password=PASSWORD, clock=clock).engine.dispose()

    with pytest.raises(LoginFailed, match="^请提供密码"):
        open_desk(url=url, login="admin", clock=clock)
    with pytest.raises(keyfile.WrongSecret, match="^用户名或密码错误$"):
        open_desk(url=url, login="admin", password="not-it", clock=clock)
    with pytest.raises(keyfile.WrongSecret, match="^用户名或密码错误$"):
        open_desk(url=url, login="nobody", password=PASSWORD, clock=clock)


def test_wrong_passwords_tried_while_closed_are_audited_at_the_next_open(plain_desk, clock):
    url, _ = plain_desk
    open_desk(url=url, login="admin", password=PASSWORD, clock=clock).engine.dispose()
    for attempt in ("guess-1", "guess-2"):
        with pytest.raises(keyfile.WrongSecret):
            open_desk(url=url, login="Admin", password=attempt, clock=clock)

    desk = open_desk(url=url, login="admin", password=PASSWORD, clock=clock)
    with desk.reading() as session:
        failed = [(entry.changes, entry.note) for entry in
                  session.exec(select(AuditEntry).where(AuditEntry.action == "login.failed")).all()]
    desk.engine.dispose()
    assert [changes["login"] for changes, _ in failed] == ["admin", "admin"]
    assert "guess" not in repr(failed)


def test_a_conversion_cut_short_after_the_key_file_is_finished_at_the_next_login(plain_desk, clock):
    url, case_id = plain_desk
    path = _path(url)
    keyfile.create(path, login="admin", password=PASSWORD)  # … and then the power went off

    desk = open_desk(url=url, login="admin", password=PASSWORD, clock=clock)

    assert not cipher.is_plain_sqlite(path)
    assert desk.recovery_code and keyfile.unlock_with_recovery(path, desk.recovery_code)
    with desk.reading() as session:
        assert case_detail(session, actor=desk.actor, case_id=case_id).parties[0].name == "张伟"
    desk.engine.dispose()


def test_a_new_desk_is_encrypted_from_its_first_byte(tmp_path, clock):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    created = create_desk(url, admin_password=PASSWORD, clock=clock)
    key, code = created.database_key, created.recovery_code
    created.engine.dispose()

    assert key and code
    assert not cipher.is_plain_sqlite(tmp_path / "new.db")
    assert unlock_desk(tmp_path / "new.db", login="admin", password=PASSWORD, clock=clock).key == key
    assert keyfile.unlock_with_recovery(tmp_path / "new.db", code) == key
    desk = open_desk(url=url, login="admin", password=PASSWORD, clock=clock)
    assert desk.recovery_code is None and desk.committee_name and desk.database_key == key
    desk.engine.dispose()


def test_a_second_committee_on_an_encrypted_desk_gives_its_administrator_a_wrap(tmp_path, clock):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    create_desk(url, admin_password=PASSWORD, clock=clock).engine.dispose()

    with pytest.raises(keyfile.WrongSecret):  # the key is unwrapped with an existing user's wrap, never without
        create_desk(url, committee="西湖街道人民调解委员会", admin_login="boss", admin_password="老板的密码-2026",
                    unlock_as="admin", clock=clock)
    other = create_desk(url, committee="西湖街道人民调解委员会", admin_login="boss", admin_password=PASSWORD,
                        unlock_as="admin", clock=clock)
    other.engine.dispose()

    assert other.recovery_code is None and keyfile.logins(tmp_path / "new.db") == ["admin", "boss"]
    boss = open_desk(url=url, login="boss", password=PASSWORD, committee="西湖街道人民调解委员会", clock=clock)
    assert boss.actor.role == "admin" and boss.committee_name == "西湖街道人民调解委员会"
    boss.engine.dispose()


def test_a_new_desk_that_cannot_be_set_up_leaves_no_file_behind(tmp_path, clock):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    with pytest.raises(DomainError):
        create_desk(url, committee="   ", admin_password=PASSWORD, clock=clock)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_recover_resets_the_admin_password_with_the_recovery_key(plain_desk, cli, clock, tmp_path):
    url, _ = plain_desk
    desk = open_desk(url=url, login="admin", password=PASSWORD, clock=clock)
    desk.engine.dispose()
    path = _path(url)
    for attempt in range(5):  # every password lost, and the login locked out trying
        with pytest.raises(keyfile.WrongSecret):
            open_desk(url=url, login="admin", password=f"forgotten-{attempt}", clock=clock)
    (tmp_path / "code.txt").write_text(desk.recovery_code.lower() + "\n")
    (tmp_path / "new.txt").write_text("新的密码-2026\n")
    (tmp_path / "wrong.txt").write_text("0000-0000-0000-0000-0000-0000-0000-0000\n")

    code, _, err = cli("recover", "--recovery-file", str(tmp_path / "wrong.txt"), "--new-password-file", str(tmp_path / "new.txt"))
    assert code == 2 and "恢复密钥不正确" in err and "Traceback" not in err

    code, out, err = cli("recover", "--recovery-file", str(tmp_path / "code.txt"), "--new-password-file", str(tmp_path / "new.txt"))
    assert code == 0, err
    assert "已用恢复密钥重设管理员 admin 的密码" in out
    assert unlock_desk(path, login="admin", password="新的密码-2026", clock=clock).key
    with pytest.raises(keyfile.WrongSecret):
        keyfile.unlock(path, login="admin", password=PASSWORD)


def test_init_with_a_password_makes_an_encrypted_desk_that_commands_open_only_with_it(tmp_path, monkeypatch, capsys, clock):
    from laopan.cli.main import main

    url = f"sqlite:///{tmp_path / 'desk.db'}"
    (tmp_path / "pw.txt").write_text(PASSWORD + "\n")
    monkeypatch.delenv("LAOPAN_PASSWORD", raising=False)

    def run(*args):
        code = main([*args, "--database", url], clock=clock)
        return code, capsys.readouterr().err

    assert run("init", "--committee", "东柳街道人民调解委员会", "--password-file", str(tmp_path / "pw.txt"))[0] == 0
    assert not cipher.is_plain_sqlite(tmp_path / "desk.db")
    assert run("cases", "--as", "admin") == (2, "错误：请提供密码（环境变量 LAOPAN_PASSWORD 或 --password-file）\n")
    monkeypatch.setenv("LAOPAN_PASSWORD", PASSWORD)
    assert run("cases", "--as", "admin", "--count") == (0, "")
    monkeypatch.setenv("LAOPAN_PASSWORD", "wrong")
    assert run("cases", "--as", "admin") == (2, "错误：用户名或密码错误\n")


def test_init_prints_the_recovery_key_once(tmp_path, monkeypatch, capsys, clock):
    from laopan.cli.main import main

    monkeypatch.setenv("LAOPAN_PASSWORD", PASSWORD)
    assert main(["init", "--database", f"sqlite:///{tmp_path / 'desk.db'}"], clock=clock) == 0
    out = capsys.readouterr().out
    printed = re.search(r"\b([0-9A-Z]{4}(?:-[0-9A-Z]{4}){7})\b", out)
    assert "请抄下恢复密钥并妥善保管" in out and printed
    assert keyfile.unlock_with_recovery(tmp_path / "desk.db", printed.group(1))


def test_user_add_passwd_and_disable_change_that_users_wrap_only(plain_desk, cli, clock, tmp_path, monkeypatch):
    url, _ = plain_desk
    open_desk(url=url, login="admin", password=PASSWORD, clock=clock).engine.dispose()
    path = _path(url)
    (tmp_path / "wang.txt").write_text("王的密码-123\n")
    (tmp_path / "wang2.txt").write_text("王的新密码-456\n")
    monkeypatch.setenv("LAOPAN_PASSWORD", PASSWORD)

    code, _, err = cli("user", "add", "wang", "--role", "mediator", "--name", "王芳", "--as", "admin")
    assert code == 0 and "尚未设置密码" in err
    assert "wang" not in keyfile.logins(path)  # no password, no wrap: wang can open nothing yet
    code, _, err = cli("user", "passwd", "wang", "--as", "admin", "--new-password-file", str(tmp_path / "wang.txt"))
    assert code == 0, err
    admin_wrap = keyfile.read(path)["users"]["admin"]

    monkeypatch.setenv("LAOPAN_PASSWORD", "王的密码-123")
    code, _, err = cli("user", "passwd", "admin", "--as", "wang", "--new-password-file", str(tmp_path / "wang2.txt"))
    assert code == 4 and "管理员" in err
    assert cli("user", "passwd", "wang", "--as", "wang", "--new-password-file", str(tmp_path / "wang2.txt"))[0] == 0

    assert keyfile.read(path)["users"]["admin"] == admin_wrap
    assert unlock_desk(path, login="wang", password="王的新密码-456", clock=clock).key
    with pytest.raises(keyfile.WrongSecret):
        keyfile.unlock(path, login="wang", password="王的密码-123")

    monkeypatch.setenv("LAOPAN_PASSWORD", PASSWORD)
    assert cli("user", "disable", "wang", "--as", "admin")[0] == 0
    assert keyfile.logins(path) == ["admin"] and keyfile.read(path)["users"]["admin"] == admin_wrap
    with pytest.raises(keyfile.WrongSecret):  # a disabled user's password no longer opens the file at all
        open_desk(url=url, login="wang", password="王的新密码-456", clock=clock)


def test_a_user_added_with_a_password_opens_the_encrypted_desk_with_it(plain_desk, cli, clock, tmp_path):
    url, _ = plain_desk
    open_desk(url=url, login="admin", password=PASSWORD, clock=clock).engine.dispose()
    (tmp_path / "li.txt").write_text("李的密码-789\n")

    code, _, err = cli("user", "add", "li", "--role", "supervisor", "--name", "李主任", "--as", "admin",
                       "--new-password-file", str(tmp_path / "li.txt"))

    assert (code, err) == (0, "")
    desk = open_desk(url=url, login="LI", password="李的密码-789", clock=clock)
    assert (desk.actor.login, desk.actor.display_name) == ("li", "李主任")
    desk.engine.dispose()
