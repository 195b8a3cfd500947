"""The login dialog before the main window: Enter submits, a refusal is one generic Chinese sentence and the
dialog stays open, the right password opens the desk; a password given as the CLI takes it skips the dialog."""

import argparse

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from laopan.settings import load_desk, save_desk
from tests.helpers.accounts import TEST_PASSWORD
from ui.shell.app import open_or_initialise
from ui.shell.login import LoginDialog


def _no_key(code):
    assert code is None, "the test desk is encrypted already: no new recovery key"


def options(db_url, **values) -> argparse.Namespace:
    from laopan.cli.main import window_parser

    args = window_parser().parse_args(["--database", db_url])
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
    desk = open_or_initialise(options(db_url), login=login, recovery=_no_key)
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

    desk = open_or_initialise(options(db_url, as_login="admin"), login=must_not_ask, recovery=_no_key)
    assert desk.actor.login == "admin"
    desk.engine.dispose()
    monkeypatch.setenv("LAOPAN_PASSWORD", "not-the-password")
    assert open_or_initialise(options(db_url, as_login="admin"), login=lambda *_: None, recovery=_no_key) is None


def _lock(window, desk):
    from laopan.desk import open_desk
    from ui.shell.idle_lock import IdleLock

    def attempt(name, password):
        return open_desk(engine=desk.engine, login=name, password=password, clock=desk.actor.clock)

    # A few hundred milliseconds instead of the committee's minutes; the timer is the same.
    return IdleLock(window, login=desk.actor.login, display_name=desk.actor.display_name, minutes=0.004, attempt=attempt)


def test_idle_time_locks_the_window_and_only_the_password_unlocks_it(qtbot, desk):
    from tests.helpers.windows import open_window

    window = open_window(desk, qtbot)
    lock = _lock(window, desk)
    qtbot.waitUntil(lambda: lock.locked, timeout=5_000)
    overlay = lock.overlay
    assert overlay.isVisible() and overlay.geometry() == window.rect(), "the content is covered"
    assert overlay.login_edit.text() == "admin"
    overlay.password_edit.setText("not-the-password")
    qtbot.keyClick(overlay.password_edit, Qt.Key.Key_Return)
    assert lock.locked and overlay.error_label.text() == "用户名或密码错误"
    overlay.password_edit.setText(TEST_PASSWORD)
    with qtbot.waitSignal(lock.locked_changed) as unlocked:
        qtbot.keyClick(overlay.password_edit, Qt.Key.Key_Return)
    assert unlocked.args == [False] and not lock.locked
    lock.detach()


def test_input_keeps_the_window_unlocked_and_ctrl_l_switches_user(qtbot, desk):
    from laopan.models.enums import Role
    from tests.helpers.scenarios import user
    from tests.helpers.windows import open_window

    user(desk, "pan", Role.MEDIATOR, "潘明杰")
    window = open_window(desk, qtbot)
    lock = _lock(window, desk)
    lock.timer.setInterval(400)
    lock.timer.start()
    for _ in range(6):  # a key every ~150 ms restarts the 400 ms timer
        qtbot.waitUntil(lambda: lock.timer.remainingTime() < 250, timeout=2_000)
        qtbot.keyClick(window, Qt.Key.Key_Shift)
        assert not lock.locked
    lock.switch_action.trigger()
    assert lock.locked
    lock.overlay.login_edit.setText("PAN")
    lock.overlay.password_edit.setText(TEST_PASSWORD)
    with qtbot.waitSignal(lock.switch_requested) as switched:
        lock.overlay.unlock_button.click()
    assert switched.args[0].actor.login == "pan"
    lock.detach()
