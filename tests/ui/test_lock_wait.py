"""A save that finds another desk saving (issue 10 item 1): the window says "正在等待另一台电脑保存…" while it
waits, saves once the other desk is done, and — when the other save outlasts the wait — says nothing was saved
and keeps what was typed, so saving again works."""

import pytest

from laopan.storage.failures import BUSY
from tests.helpers.databases import sqlite_connection
from tests.helpers.intake_form import fill_case, open_dialog


def _other_desk_saving(window):
    other = sqlite_connection(window.desk.engine.url.render_as_string(hide_password=False))
    other.execute("BEGIN IMMEDIATE")  # another computer in the middle of a long save: it holds the write lock
    return other


def test_the_window_says_it_waits_for_the_other_desk_then_saves(window, qtbot, type_text):
    dialog = open_dialog(window, qtbot)
    fill_case(dialog, type_text)
    other = _other_desk_saving(window)
    try:
        assert not window.lock_wait_indicator.isVisible()
        dialog.save_button.click()
        qtbot.waitUntil(window.lock_wait_indicator.isVisible, timeout=5_000)
        assert window.lock_wait_indicator.label.text() == "正在等待另一台电脑保存…"
        assert dialog.isVisible() and window.model.rowCount() == 300
    finally:
        other.execute("COMMIT")
        other.close()
    qtbot.waitUntil(lambda: window.model.rowCount() == 301, timeout=10_000)
    assert not window.lock_wait_indicator.isVisible()
    assert window.intake_dialog is None, "saved: the dialog closed"


@pytest.mark.expect_log("数据库操作失败：另一台电脑正在保存")  # the worker logs the translated failure, by design
def test_a_wait_past_the_timeout_saves_nothing_keeps_the_form_and_saving_again_works(window, qtbot, type_text, monkeypatch):
    monkeypatch.setattr("laopan.storage.engine.SQLITE_BUSY_TIMEOUT_MS", 700)
    dialog = open_dialog(window, qtbot)
    fill_case(dialog, type_text)
    other = _other_desk_saving(window)
    try:
        dialog.save_button.click()
        qtbot.waitUntil(lambda: BUSY in dialog.banner.text(), timeout=10_000)
        assert not window.lock_wait_indicator.isVisible()
        assert dialog.isVisible() and dialog.parties[0].fields["name"].text() == "张伟"
    finally:
        other.execute("COMMIT")
        other.close()
    dialog.save_button.click()
    qtbot.waitUntil(lambda: window.model.rowCount() == 301, timeout=10_000)
    assert window.intake_dialog is None
