"""The login dialog before the main window: Enter submits, a refusal is one generic Chinese sentence and the
dialog stays open, the right password opens the desk; a password given as the CLI takes it skips the dialog."""

import argparse

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from laopan.settings import load_desk, save_desk
from tests.helpers.accounts import TEST_PASSWORD
from ui.shell.app import open_or_initialise
from ui.shell.login import LoginDialog


def options(db_url, **values) -> argparse.Namespace:
    from laopan.cli.main import build_parser

    args = build_parser().parse_args(["--database", db_url])
    for key, value in values.items():
        setattr(args, key, value)
    return args


def test_the_dialog_refuses_a_wrong_password_then_opens_the_desk_on_enter(qtbot, db_url, monkeypatch):
    monkeypatch.delenv("LAOPAN_PASSWORD")
    shown = []

    def login(attempt, committee, wanted):
        dialog = LoginDialog(attempt, committee=committee, login=wanted)
        qtbot.addWidget(dialog)
        dialog.show()
        shown.append((committee, wanted))
        dialog.login_edit.setText("ADMIN")
        dialog.password_edit.setText("not-the-password")
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
        assert dialog.error_label.text() == "用户名或密码错误"
        assert dialog.isVisible() and dialog.password_edit.text() == "", "the dialog stays, the wrong password is cleared"
        dialog.password_edit.setText(TEST_PASSWORD)
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
        assert dialog.result() == QDialog.DialogCode.Accepted
        return dialog.result_value

    save_desk(load_desk().model_copy(update={"current_user": "admin"}))
    desk = open_or_initialise(options(db_url), login=login)
    assert shown == [("", "admin")]
    assert (desk.actor.login, desk.actor.role) == ("admin", "admin")
    desk.engine.dispose()


def test_the_lockout_sentence_says_until_when(qtbot, desk):
    from laopan.desk import open_desk

    def attempt(name, password):
        return open_desk(engine=desk.engine, login=name, password=password, clock=desk.actor.clock)

    dialog = LoginDialog(attempt, login="admin")
    qtbot.addWidget(dialog)
    for _ in range(5):
        dialog.password_edit.setText("wrong-password-x")
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert dialog.error_label.text().startswith("密码错误次数过多，该用户已锁定至 2026年11月27日 09:15")
    assert dialog.result() != QDialog.DialogCode.Accepted


def test_a_password_from_the_environment_skips_the_dialog_and_cancel_opens_nothing(qtbot, db_url, monkeypatch):
    def must_not_ask(*_):
        raise AssertionError("asked although LAOPAN_PASSWORD is right")

    desk = open_or_initialise(options(db_url, as_login="admin"), login=must_not_ask)
    assert desk.actor.login == "admin"
    desk.engine.dispose()
    monkeypatch.setenv("LAOPAN_PASSWORD", "not-the-password")
    assert open_or_initialise(options(db_url, as_login="admin"), login=lambda *_: None) is None
