"""Window-test helpers: a case as the window tests register it, the main window opened and settled, clicks,
typing (Chinese included), pages and the agreement tab shown. The fixtures built on these live in
tests/ui/conftest.py."""

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from laopan.desk import Desk
from laopan.services import lifecycle
from laopan.services.intake import register_case
from tests.helpers import scenarios
from tests.helpers.scenarios import ZHANG_ADDRESS, ZHANG_ID

LI_ADDRESS = "宁波市鄞州区东柳街道华光城15幢1单元402室"  # another building than 张伟's, so one party matches a neighbour
SAME_BUILDING = "宁波市鄞州区东柳街道华光城12幢1单元101室"  # the mediator's home: 张伟's building

# A written draft without a number: what 调解成功 needs.
DRAFT = {"kind": "written", "facts": "楼上漏水致楼下吊顶受损。", "matters": "维修费用由谁承担。",
         "clauses": ["被申请人于2026年12月10日前支付维修费人民币陆仟伍佰元整（￥6500.00）"],
         "performance": {"method": "银行转账", "deadline": "2026-12-10"}}


def case_data(**changes) -> dict:
    """scenarios.case_data with a claim, 张伟 without an agent and 李秀英 in another building."""
    return scenarios.case_data(**{
        "summary": "楼上卫生间漏水致楼下吊顶受损。", "claims": ["被申请人赔偿维修费用"],
        "parties": [
            {"role": "applicant", "name": "张伟", "id_number": ZHANG_ID, "phone": "13812345678", "address": ZHANG_ADDRESS},
            {"role": "respondent", "name": "李秀英", "id_number": scenarios.LI_ID, "phone": "13712345678", "address": LI_ADDRESS},
        ],
        **changes,
    })


def register(desk: Desk, /, **changes) -> int:
    with desk.session() as session:
        return register_case(session, actor=desk.actor, data=case_data(**changes)).id


def open_window(desk: Desk, qtbot):
    from ui.shell.main_window import MainWindow

    window = MainWindow(desk)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.first_page_loaded, timeout=10_000):
        window.show()
    qtbot.waitUntil(lambda: window.info is not None and not window.runner.busy, timeout=10_000)
    return window


def shown(window, case_id: int, **expected) -> bool:
    """The detail shows the case, the worker is idle, and the detail's fields have the expected values."""
    detail = window.detail.detail
    if window.runner.busy or detail is None or detail.id != case_id:
        return False
    return all(getattr(detail, name) == value for name, value in expected.items())


def open_case(window, qtbot, case_id: int, **expected) -> None:
    window.open_case(case_id)
    qtbot.waitUntil(lambda: shown(window, case_id, **expected), timeout=10_000)


def service_actions(desk: Desk, case_id: int) -> list[tuple[str, bool]]:
    with desk.reading() as session:
        return [(a.code, a.enabled) for a in lifecycle.available_actions(session, actor=desk.actor, case_id=case_id)]


def click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def double_click(qtbot, view, row: int) -> None:
    """What a real double click sends: press and release, then the double-click event."""
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def press(window, qtbot, key, modifiers) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.view, key, modifiers)


def type_text(widget, text: str) -> None:
    """Type text key by key, Chinese included (QTest.keyClicks asserts on non-ASCII characters)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))


def type_into(widget, text: str) -> None:
    widget.setFocus()
    type_text(widget, text)


def visible_message(window) -> QMessageBox | None:
    box = window.detail.case_actions.message_box
    return box if box is not None and box.isVisible() else None


def show(window, page, qtbot) -> None:
    """Switch the window to `page` through the navigation list."""
    window.nav.setCurrentRow(window.page_stack.indexOf(page))
    qtbot.waitUntil(page.isVisible)


def show_case(tab, qtbot, case_id: int) -> None:
    """Load a case into the agreement tab and wait until it is shown."""
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.set_case(case_id)


def leave(box) -> None:
    """What happens when the user tabs out of a field."""
    QApplication.sendEvent(box.editor, QFocusEvent(QEvent.Type.FocusOut, Qt.FocusReason.TabFocusReason))


def answer_discard_box(dialog, button_text: str) -> None:
    """Click `button_text` in the dialog's 放弃/继续编辑 question as soon as it opens (it runs its own event loop)."""
    def click() -> None:
        box = dialog.discard_box
        assert box is not None and box.isVisible()
        next(button for button in box.buttons() if button.text() == button_text).click()

    QTimer.singleShot(0, click)


def save_with_shortcut(dialog, qtbot):
    """Ctrl+S in an intake dialog; returns what it registered, once the dialog has closed."""
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    with qtbot.waitSignal(dialog.case_registered) as saved:
        qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    return saved.args[0]


def confirm_move(actions, qtbot, *, expect: str = "") -> str:
    """Answer the confirmation settle/terminate/close/reject ask with its first (do it) button; returns its text."""
    qtbot.waitUntil(lambda: actions.confirm_box is not None and actions.confirm_box.isVisible())
    box = actions.confirm_box
    text = box.text()
    assert expect in text
    box.buttons()[0].click()
    return text


def finalised_written_agreement(desk: Desk, case_id: int, number: str = "（2026）东柳调字第001号") -> None:
    """The case's agreement as a finalised, numbered written one (what 调解成功 needs)."""
    from sqlalchemy import select

    from laopan.models import Agreement

    with desk.session() as session:
        agreement = session.execute(select(Agreement).where(Agreement.case_id == case_id)).scalar_one()
        agreement.number, agreement.finalised_at = number, desk.actor.clock.now()
