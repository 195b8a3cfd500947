"""The junior's Ctrl+Return on 调解成功: the window asks first, and the service — not the window — refuses a
junior-led agreement nobody reviewed, in Chinese; the case stays 调解中."""

import dataclasses

from PySide6.QtCore import Qt
from sqlalchemy import select

from laopan.models import Agreement
from laopan.models.enums import AgreementKind, Role
from laopan.services import agreements
from laopan.services.cases import case_detail
from tests.helpers.scenarios import junior_led_draft, mediating_case, user
from tests.helpers.windows import confirm_move, open_case, open_window, press, visible_message

NEEDS_REVIEW = "本案由小潘主持，协议须经结对老潘或主任审核后才能标记调解成功"


def _agreement(session, case_id) -> Agreement:
    return session.execute(select(Agreement).where(Agreement.case_id == case_id)).scalar_one()


def _record_oral(agreement, desk) -> None:
    """The draft becomes an oral agreement the parties have confirmed (recorded), as `agreement oral` leaves it."""
    agreement.kind = AgreementKind.ORAL.value
    agreement.finalised_at = desk.actor.clock.now()


def test_a_juniors_ctrl_return_on_an_unreviewed_agreement_is_refused_by_the_service(desk, qtbot):
    case_id = mediating_case(desk)
    junior_led_draft(desk, case_id)
    with desk.session() as session:
        _record_oral(_agreement(session, case_id), desk)
        agreements.review(session, actor=desk.actor, case_id=case_id, expected_version=None)
    junior = dataclasses.replace(desk, actor=user(desk, "xiao", Role.MEDIATOR, "潘小", mediator_name="潘小"))
    window = open_window(junior, qtbot)
    try:
        open_case(window, qtbot, case_id, status="mediating")
        assert ("settle", True) in window.detail.action_bar.offered()  # reviewed when the window read it
        with desk.session() as session:  # meanwhile the review is withdrawn at another desk
            _agreement(session, case_id).reviewed_at = None

        press(window, qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        asked = confirm_move(window.detail.case_actions, qtbot)
        assert asked.endswith("确定吗？") and "调解成功" in asked and "口头协议" in asked
        qtbot.waitUntil(lambda: visible_message(window) is not None)
        box = visible_message(window)
        assert (box.windowTitle(), box.text()) == ("无法完成操作", NEEDS_REVIEW)
        box.accept()
        with desk.reading() as session:
            assert case_detail(session, actor=desk.actor, case_id=case_id).status == "mediating"
    finally:
        window.close()


def test_cancelling_the_confirmation_changes_nothing(desk, qtbot):
    case_id = mediating_case(desk)
    junior_led_draft(desk, case_id)
    with desk.session() as session:
        _record_oral(_agreement(session, case_id), desk)
        agreements.review(session, actor=desk.actor, case_id=case_id, expected_version=None)
    window = open_window(desk, qtbot)
    try:
        open_case(window, qtbot, case_id, status="mediating")
        press(window, qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        actions = window.detail.case_actions
        qtbot.waitUntil(lambda: actions.confirm_box is not None and actions.confirm_box.isVisible())
        assert [b.text() for b in actions.confirm_box.buttons()] == ["调解成功", "取消"]
        actions.confirm_box.buttons()[1].click()
        assert not window.runner.busy
        with desk.reading() as session:
            assert case_detail(session, actor=desk.actor, case_id=case_id).status == "mediating"
    finally:
        window.close()
