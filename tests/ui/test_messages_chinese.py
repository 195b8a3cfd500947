"""Every message box a user can meet speaks Chinese, buttons included, and an unexpected error is a sentence with
a reference the user can quote — never a Python repr like RuntimeError('database is locked')."""

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.helpers.windows import click, confirm_move, open_case, press, register, shown

REFERENCE = re.compile(r"错误编号 E\d{8}-[0-9a-f]{4}")


def _boxes() -> list[QMessageBox]:
    return [w for w in QApplication.allWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def _texts(box: QMessageBox) -> list[str]:
    return [box.windowTitle(), box.text(), box.informativeText(), box.detailedText(), *(b.text() for b in box.buttons())]


def _english(text: str) -> list[str]:
    """Latin words left once the reference, the case numbers and the key names a user reads anyway are taken out."""
    text = re.sub(r"DL\d{4}-\d{5}", "", REFERENCE.sub("", text))
    return [word for word in re.findall(r"[A-Za-z]{2,}", text) if word not in {"F5", "Ctrl"}]


@pytest.mark.expect_log("数据库操作失败（错误编号 E")
def test_the_boxes_of_a_scripted_walk_have_no_english_and_no_repr(desk_window, desk, qtbot):
    window = desk_window
    seen: list[str] = []

    def collect() -> None:
        for box in _boxes():
            seen.extend(_texts(box))

    case_id = register(desk, status="mediating", level="street", mediators=[{"name": "潘街道", "role": "lead"}])
    open_case(window, qtbot, case_id, status="mediating")
    click(qtbot, window.detail.action_bar.buttons["terminate"])  # the reason dialog, then the confirmation
    dialog = window.detail.case_actions.dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.reason_combo.setCurrentIndex(dialog.reason_combo.findText("分歧过大"))
    dialog.submit()
    qtbot.waitUntil(lambda: window.detail.case_actions.confirm_box is not None and window.detail.case_actions.confirm_box.isVisible())
    collect()
    confirm_move(window.detail.case_actions, qtbot)
    qtbot.waitUntil(lambda: shown(window, case_id, status="terminated"))

    press(window, qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # 结案归档 asks first
    qtbot.waitUntil(lambda: window.detail.case_actions.confirm_box.isVisible())
    collect()
    window.detail.case_actions.confirm_box.buttons()[1].click()  # 取消

    window.detail.run_action("mediate")  # a stale button: the service refuses in its own words
    qtbot.waitUntil(lambda: window.detail.case_actions.message_box is not None
                    and window.detail.case_actions.message_box.isVisible())
    collect()
    window.detail.case_actions.message_box.accept()

    def locked(_session):
        raise RuntimeError("database is locked")

    window.runner.write(locked)  # an unexpected failure with no handler of its own: the window reports it
    qtbot.waitUntil(lambda: window._error_box is not None and window._error_box.isVisible())
    error_box = window._error_box
    collect()
    assert REFERENCE.search(error_box.text()) and error_box.text().startswith("程序出错，已记录（错误编号 ")
    assert error_box.text().endswith("请联系管理员。")
    error_box.accept()

    assert len(seen) > 10
    assert not [t for t in seen if "Error(" in t or "Exception" in t or "Traceback" in t]
    assert {t: _english(t) for t in seen if _english(t)} == {}
