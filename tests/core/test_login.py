"""Login (issue 11): passwords as argon2id hashes, one generic refusal, lock-out and its end, disabled users,
`laopan user passwd|disable|list`, and no password anywhere in the audit, the log or the output."""

import datetime as dt
import logging

import pytest
from sqlmodel import select

from laopan.desk import open_desk
from laopan.errors import PermissionDenied, ValidationError
from laopan.models import AuditEntry, User
from laopan.models.enums import Role
from laopan.security.passwords import check_new_password, hash_password, verify_password
from laopan.services.login import LoginFailed, set_password
from laopan.services.users import disable_user
from tests.helpers.accounts import TEST_PASSWORD
from tests.helpers.scenarios import user

WRONG = "用户名或密码错误"


def login(desk, name, password, clock=None):
    return open_desk(engine=desk.engine, login=name, password=password, clock=clock or desk.actor.clock)


def audit_rows(desk, action):
    with desk.reading() as session:
        rows = session.exec(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)).all()
        for row in rows:
            session.expunge(row)
        return rows


def user_row(desk, name) -> User:
    with desk.reading() as session:
        row = session.exec(select(User).where(User.login == name)).one()
        session.expunge(row)
        return row


def test_hashes_are_argon2id_salted_and_never_the_password():
    first, second = hash_password(TEST_PASSWORD), hash_password(TEST_PASSWORD)
    assert first.startswith("$argon2id$") and first != second and TEST_PASSWORD not in first
    assert verify_password(first, TEST_PASSWORD) and not verify_password(first, TEST_PASSWORD + "x")
    assert not verify_password(None, TEST_PASSWORD) and not verify_password("damaged", TEST_PASSWORD)


@pytest.mark.parametrize("password, problem", [("", "密码不能为空"), ("short1", "至少 8 个字符"), ("aaaaaaaaab", "过于简单"),
                                               (" leading-space", "首尾不能有空格")])
def test_weak_new_passwords_are_refused_naming_the_field(password, problem):
    with pytest.raises(ValidationError, match=problem) as refused:
        check_new_password(password)
    assert refused.value.field == "密码"


def test_the_right_password_logs_in_case_insensitively_and_is_audited(desk):
    pan = user(desk, "pan", Role.MEDIATOR, "潘明杰")
    assert login(desk, "PAN", TEST_PASSWORD).actor == pan
    [entry] = audit_rows(desk, "login")[-1:]
    assert (entry.login, entry.entity) == ("pan", "user")


@pytest.mark.parametrize("name, password, reason", [("admin", "wrong-password-1", "wrong_password"),
                                                     ("nobody", TEST_PASSWORD, "unknown_login")])
def test_an_unknown_login_and_a_wrong_password_get_the_same_sentence_and_the_audit_keeps_the_reason(desk, name, password, reason):
    with pytest.raises(LoginFailed) as refused:
        login(desk, name, password)
    assert str(refused.value) == WRONG
    [entry] = audit_rows(desk, "login.failed")
    assert entry.changes["reason"] == reason and entry.login == name


def test_a_user_without_a_password_cannot_log_in(desk):
    with desk.session() as session:
        from laopan.services.users import add_user

        add_user(session, actor=desk.actor, login="Zhang", display_name="张", role=Role.SUPERVISOR)
    assert user_row(desk, "zhang").password_hash is None, "logins are stored casefolded"
    with pytest.raises(LoginFailed, match=WRONG):
        login(desk, "zhang", "")
    assert audit_rows(desk, "login.failed")[-1].changes["reason"] == "no_password"


def test_repeated_failures_lock_the_login_until_the_lock_ends(desk, clock):
    pan = user(desk, "pan", Role.MEDIATOR, "潘明杰")
    for attempt in range(4):
        with pytest.raises(LoginFailed, match=WRONG):
            login(desk, "pan", f"wrong-{attempt}-password")
    assert user_row(desk, "pan").failed_logins == 4, "each failure is committed though the login fails"
    with pytest.raises(LoginFailed, match="已锁定至 2026年11月27日 09:15"):
        login(desk, "pan", "wrong-5-password")
    with pytest.raises(LoginFailed, match="已锁定至"):
        login(desk, "pan", TEST_PASSWORD)
    clock.advance(minutes=14)
    with pytest.raises(LoginFailed, match="已锁定至"):
        login(desk, "pan", TEST_PASSWORD)
    clock.advance(minutes=1, seconds=1)
    assert login(desk, "pan", TEST_PASSWORD).actor == pan
    row = user_row(desk, "pan")
    assert (row.failed_logins, row.locked_until) == (0, None)


def test_a_disabled_user_is_refused_and_an_admin_cannot_disable_themselves(desk):
    user(desk, "pan", Role.MEDIATOR, "潘明杰")
    with desk.session() as session:
        view = disable_user(session, actor=desk.actor, login="PAN")
        assert not view.active
        with pytest.raises(Exception, match="不能停用自己"):
            disable_user(session, actor=desk.actor, login="admin")
    with pytest.raises(LoginFailed, match="已停用"):
        login(desk, "pan", TEST_PASSWORD)


def test_passwd_for_oneself_by_an_admin_and_refused_for_others(desk):
    pan = user(desk, "pan", Role.MEDIATOR, "潘明杰")
    user(desk, "li", Role.POLICE_LIAISON, "李联络")
    with desk.session() as session:
        set_password(session, actor=pan, login="pan", new_password="pan-new-密码2")
        with pytest.raises(PermissionDenied):
            set_password(session, actor=pan, login="li", new_password="li-new-password")
        set_password(session, actor=desk.actor, login="li", new_password="li-new-password")
    assert login(desk, "pan", "pan-new-密码2").actor.login == "pan"
    assert login(desk, "li", "li-new-password").actor.login == "li"
    with pytest.raises(LoginFailed):
        login(desk, "pan", TEST_PASSWORD)


def test_the_cli_needs_a_password_and_never_says_which_part_was_wrong(cli, monkeypatch, tmp_path):
    monkeypatch.delenv("LAOPAN_PASSWORD")
    code, out, err = cli("user", "list")
    assert (code, out) == (2, "") and "LAOPAN_PASSWORD" in err
    monkeypatch.setenv("LAOPAN_PASSWORD", "not-the-password")
    assert cli("user", "list")[::2] == (2, f"错误：{WRONG}\n")
    assert cli("user", "list", "--as", "nobody")[::2] == (2, f"错误：{WRONG}\n")
    secret = tmp_path / "pw"
    secret.write_text(TEST_PASSWORD + "\nsecond line ignored\n", encoding="utf-8")
    code, out, _ = cli("user", "list", "--password-file", str(secret))
    assert code == 0 and out.startswith("admin\t")


def test_cli_user_add_passwd_disable_list_and_no_password_in_audit_log_or_output(cli, desk, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    new = tmp_path / "new"
    new.write_text("pan-初始-password\n", encoding="utf-8")
    outputs = [cli("user", "add", "Pan", "--role", "mediator", "--name", "潘明杰", "--new-password-file", str(new))]
    assert outputs[-1] == (0, "已添加用户 pan（调解员）\n", "")
    outputs.append(cli("user", "list", "--as", "pan", "--password-file", str(new)))
    assert outputs[-1][0] == 0
    changed = tmp_path / "changed"
    changed.write_text("pan-changed-password", encoding="utf-8")
    outputs.append(cli("user", "passwd", "pan", "--new-password-file", str(changed), "--as", "pan", "--password-file", str(new)))
    assert outputs[-1] == (0, "已设置用户 pan 的密码\n", "")
    outputs.append(cli("user", "passwd", "admin", "--new-password-file", str(new), "--as", "pan", "--password-file", str(changed)))
    assert outputs[-1][0] == 4 and "无权" in outputs[-1][2]
    outputs.append(cli("user", "disable", "pan"))
    assert outputs[-1] == (0, "已停用用户 pan\n", "")
    outputs.append(cli("user", "list"))
    assert "pan\t潘明杰\t调解员\t\t已停用" in outputs[-1][1]
    secrets = ("pan-初始-password", "pan-changed-password", TEST_PASSWORD)
    with desk.reading() as session:
        entries = [(e.login, e.action, e.changes, e.note) for e in session.exec(select(AuditEntry)).all()]
    assert {"user.add", "user.passwd", "user.disable", "login"} <= {action for _, action, _, _ in entries}
    dumped = repr(entries) + repr(outputs) + caplog.text
    assert not any(secret in dumped for secret in secrets)


def test_user_list_shows_a_locked_login(cli, desk, clock):
    user(desk, "pan", Role.MEDIATOR, "潘明杰")
    for attempt in range(5):
        with pytest.raises(LoginFailed):
            login(desk, "pan", f"wrong-{attempt}-password")
    assert user_row(desk, "pan").locked_until == clock.now() + dt.timedelta(minutes=15)
    code, out, _ = cli("user", "list")
    assert code == 0 and "pan\t潘明杰\t调解员\t\t锁定至" in out


def _database_at_0009_with_logins(url, *logins):
    from alembic import command
    from sqlalchemy import text

    from laopan.storage import make_engine
    from laopan.storage.migrate import alembic_config

    engine = make_engine(url)
    with engine.connect() as connection:
        command.upgrade(alembic_config(connection), "0009")
        connection.commit()
        connection.execute(text("INSERT INTO committee (version, name, settings, created_at) VALUES (1, 'c', '{}', '2026-01-01')"))
        for login_name in logins:
            connection.execute(text("INSERT INTO app_user (version, committee_id, login, display_name, role, active, created_at) "
                                    "VALUES (1, 1, :login, :login, 'admin', true, '2026-01-01')"), {"login": login_name})
        connection.commit()
    return engine


@pytest.mark.both_engines
def test_migration_0010_casefolds_logins_and_leaves_them_without_a_password(blank_db_url):
    from laopan.storage.migrate import pending_differences, upgrade

    engine = _database_at_0009_with_logins(blank_db_url, "Admin", "PAN")
    try:
        upgrade(engine)
        with engine.connect() as connection:
            rows = connection.exec_driver_sql("SELECT login, password_hash, failed_logins, locked_until FROM app_user ORDER BY id").all()
        assert [tuple(row) for row in rows] == [("admin", None, 0, None), ("pan", None, 0, None)]
        assert pending_differences(engine) == []
    finally:
        engine.dispose()


def test_migration_0010_refuses_two_logins_that_differ_only_in_case(blank_db_url):
    from laopan.storage.migrate import read_revision, upgrade

    engine = _database_at_0009_with_logins(blank_db_url, "admin", "ADMIN")
    try:
        with pytest.raises(Exception, match="登录名“admin”和“ADMIN”只有大小写不同"):
            upgrade(engine)
        assert read_revision(engine) == "0009", "nothing is half-upgraded"
    finally:
        engine.dispose()
