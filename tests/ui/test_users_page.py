"""用户管理 (issue 11): an administrator adds a user in the window, who can then log in — and open the encrypted
desk — with the password given; sets a forgotten password; disables a user, who then cannot log in. A refusal is
shown in the dialog with everything typed kept; other roles have no such page."""

import dataclasses

import pytest
from PySide6.QtWidgets import QMessageBox

from laopan.desk import open_desk
from laopan.errors import DomainError
from laopan.models.enums import Role
from tests.helpers.scenarios import user
from tests.helpers.windows import open_window

NEW_PASSWORD = "Dongliu-2026-desk"


def _users_page(window, qtbot):
    page = window.users_page
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        window.show_page(page)
    return page


def _rows(page) -> dict[str, tuple[str, ...]]:
    return {page.table.item(r, 0).text(): tuple(page.table.item(r, c).text() for c in range(1, 5)) for r in range(page.table.rowCount())}


def _can_log_in(desk, login: str, password: str) -> bool:
    try:
        open_desk(url=desk.engine.url.render_as_string(hide_password=False), login=login, password=password,
                  clock=desk.actor.clock).engine.dispose()
    except DomainError:
        return False
    return True


def test_an_administrator_adds_resets_and_disables_users_in_the_window(window, demo_desk, qtbot, monkeypatch):
    page = _users_page(window, qtbot)
    assert "admin" in _rows(page)

    page.add_button.click()
    dialog = page.dialog
    dialog.login_edit.setText("Xiaopan")
    dialog.name_edit.setText("潘小")
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData(Role.MEDIATOR.value))
    dialog.password_edit.setText(NEW_PASSWORD)
    dialog.again_edit.setText(NEW_PASSWORD + "x")
    dialog.buttons.accepted.emit()
    assert dialog.error_label.text() == "两次输入的密码不一致" and dialog.isVisible()
    dialog.again_edit.setText(NEW_PASSWORD)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        dialog.buttons.accepted.emit()
    assert _rows(page)["xiaopan"] == ("潘小", "调解员", "", "正常"), "logins are stored casefolded"
    assert page.status_label.text() == "已添加用户 xiaopan（调解员）"
    assert _can_log_in(demo_desk, "xiaopan", NEW_PASSWORD), "the new user opens the encrypted desk with the password"

    page.add_button.click()  # the same login again: refused by the service, shown in the dialog, nothing lost
    again = page.dialog
    again.login_edit.setText("XIAOPAN")
    again.password_edit.setText(NEW_PASSWORD)
    again.again_edit.setText(NEW_PASSWORD)
    again.buttons.accepted.emit()
    qtbot.waitUntil(lambda: "已被使用" in again.error_label.text(), timeout=10_000)
    assert again.isVisible() and again.login_edit.text() == "XIAOPAN"
    again.reject()

    page.select_login("xiaopan")
    page.password_button.click()
    reset = page.dialog
    reset.password_edit.setText("Another-pass-77")
    reset.again_edit.setText("Another-pass-77")
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        reset.buttons.accepted.emit()
    assert _can_log_in(demo_desk, "xiaopan", "Another-pass-77") and not _can_log_in(demo_desk, "xiaopan", NEW_PASSWORD)

    page.select_login("admin")
    assert not page.disable_button.isEnabled(), "an administrator cannot lock themselves out"
    page.select_login("xiaopan")
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.disable_button.click()
    assert _rows(page)["xiaopan"][3] == "已停用"
    assert not _can_log_in(demo_desk, "xiaopan", "Another-pass-77")


@pytest.mark.parametrize("role", [Role.MEDIATOR, Role.SUPERVISOR, Role.POLICE_LIAISON])
def test_only_an_administrator_has_the_page(demo_desk, qtbot, role):
    window = open_window(dataclasses.replace(demo_desk, actor=user(demo_desk, "u", role, "测试")), qtbot)
    try:
        assert window.users_page is None
        assert "用户管理" not in [window.nav.item(i).text() for i in range(window.nav.count())]
    finally:
        window.close()
