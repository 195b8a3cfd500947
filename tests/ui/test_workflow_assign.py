"""指派调解员 with the recusal check (回避审查) through the window, and two desks saving the same case."""

import re

from PySide6.QtCore import Qt
from sqlalchemy import select

from laopan.desk import open_desk
from tests.helpers.accounts import TEST_PASSWORD
from laopan.models import RecusalDecision
from laopan.models.enums import Role
from laopan.services.timeline import case_timeline
from laopan.services.users import add_user
from tests.helpers.windows import click, confirm_move, open_case, open_window, press, register, shown, type_into, visible_message
from tests.helpers.databases import engine_for


def open_assignment(window, qtbot):
    panel = window.detail
    press(window, qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: panel.case_actions.dialog is not None and panel.case_actions.dialog.isVisible())
    dialog = panel.case_actions.dialog
    qtbot.waitUntil(lambda: dialog.candidates() != ())
    return dialog


def test_a_recusal_match_is_shown_and_the_decisions_are_recorded(desk_window, desk, team, qtbot):
    window = desk_window
    panel = window.detail
    case_id = register(desk)
    open_case(window, qtbot, case_id)
    dialog = open_assignment(window, qtbot)
    assert dialog.windowTitle() == f"指派调解员 · {panel.detail.intake_no}"
    by_name = {c.name: c for c in dialog.candidates()}
    assert by_name["潘网格"].explanation == "同网格 · 在办0件"
    assert by_name["潘社区"].explanation == "同社区 · 在办0件 · 需回避审查"
    assert by_name["潘社区"].recusal == ("与申请人张伟住同一栋楼（华光城12幢）",)
    assert dialog.candidates()[0].name == "潘网格", "best score first"

    with qtbot.waitSignal(dialog.matches_loaded):
        dialog.view.selectRow(dialog.candidates().index(by_name["潘社区"]))
    assert dialog.recusal.isVisible()
    assert "与申请人张伟住同一栋楼（华光城12幢）" in dialog.recusal.summary_label.text()
    dialog.submit()
    assert dialog.error == "存在回避情形：请决定“继续指派”或“更换”"
    click(qtbot, dialog.recusal.replace_radio)
    dialog.submit()
    assert dialog.error == "请填写回避决定的理由"
    type_into(dialog.recusal.reason_edit, "同楼，为避免当事人顾虑予以更换")
    with qtbot.waitSignal(panel.case_actions.done):
        dialog.submit()
    qtbot.waitUntil(lambda: dialog.candidates() != () and not window.runner.busy)
    assert dialog.isVisible(), "after 更换 the user picks someone else"
    assert "已记录回避决定：更换潘社区" in dialog.pick_label.text()

    by_name = {c.name: c for c in dialog.candidates()}
    with qtbot.waitSignal(dialog.matches_loaded):
        dialog.view.selectRow(dialog.candidates().index(by_name["潘社区"]))
    click(qtbot, dialog.recusal.keep_radio)
    type_into(dialog.recusal.reason_edit, "仅同楼不同单元，双方当事人均同意")
    with qtbot.waitSignal(panel.case_actions.done):
        dialog.submit()
    qtbot.waitUntil(lambda: shown(window, case_id) and [m.name for m in panel.detail.mediators] == ["潘社区"])
    assert panel.case_actions.dialog is None, "assigned: the dialog closed"

    with desk.reading() as session:
        decisions = session.execute(select(RecusalDecision).where(RecusalDecision.case_id == case_id)
                                    .order_by(RecusalDecision.id)).scalars().all()
        assert [(d.decision, d.reason) for d in decisions] == [
            ("replaced", "同楼，为避免当事人顾虑予以更换"), ("kept", "仅同楼不同单元，双方当事人均同意")]
        timeline = [e.description for e in case_timeline(session, actor=desk.actor, case_id=case_id)]
    assert timeline[-3:] == [
        "回避审查：潘社区更换（与申请人张伟住同一栋楼（华光城12幢））：同楼，为避免当事人顾虑予以更换",
        "回避审查：潘社区保留（与申请人张伟住同一栋楼（华光城12幢））：仅同楼不同单元，双方当事人均同意",
        "指派调解员：潘社区（主持人）",
    ]
    history = panel.history_tab
    shown_lines = [history.timeline_model.text(row, 2) for row in range(history.timeline_model.rowCount())]
    assert shown_lines[:3] == timeline[::-1][:3], "the 历史 tab shows the same, newest first"


def test_another_mediator_from_the_registry_and_a_role_other_than_lead(desk_window, desk, team, qtbot):
    window = desk_window
    panel = window.detail
    case_id = register(desk)
    open_case(window, qtbot, case_id)
    dialog = open_assignment(window, qtbot)
    assert dialog.role_combo.currentText() == "主持人"
    others = [c.name for c in dialog.others()]
    assert "李小潘" in others or "李小潘" in [c.name for c in dialog.candidates()]
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findText("记录人"))
    with qtbot.waitSignal(dialog.matches_loaded):
        dialog.view.selectRow(0)
    assert not dialog.recusal.isVisible() and "未发现回避情形" in dialog.pick_label.text()
    with qtbot.waitSignal(panel.case_actions.done):
        dialog.submit()
    qtbot.waitUntil(lambda: shown(window, case_id) and len(panel.detail.mediators) == 1)
    assert panel.detail.mediators[0].role == "recorder"
    assert panel.detail.mediators[0].name == "潘网格"


def test_the_second_desk_saving_a_stale_case_is_refused_then_shows_the_new_state(desk, team, db_url, clock, qtbot):
    with desk.session() as session:
        add_user(session, actor=desk.actor, login="zhang", display_name="张主任", role=Role.SUPERVISOR, password=TEST_PASSWORD)
    case_id = register(desk)
    other_engine = engine_for(db_url)
    other = open_desk(engine=other_engine, login="zhang", password=TEST_PASSWORD, clock=clock)
    first, second = open_window(desk, qtbot), open_window(other, qtbot)
    try:
        open_case(first, qtbot, case_id, status="registered", version=1)
        open_case(second, qtbot, case_id, status="registered", version=1)

        click(qtbot, second.detail.action_bar.buttons["accept"])  # 张主任 accepts at her desk
        qtbot.waitUntil(lambda: shown(second, case_id, status="accepted"))
        assert first.detail.detail.status == "registered", "the other desk still shows what it read"

        click(qtbot, first.detail.action_bar.buttons["reject"])
        dialog = first.detail.case_actions.dialog
        qtbot.waitUntil(dialog.isVisible)
        type_into(dialog.reason_edit, "不属于民间纠纷")
        dialog.submit()
        confirm_move(first.detail.case_actions, qtbot)
        qtbot.waitUntil(lambda: visible_message(first) is not None)
        box = visible_message(first)
        assert re.fullmatch(r"已被 张主任 于 2026-11-27 09:00 修改，请刷新", box.text())
        assert box.windowTitle() == "案件已被他人修改"
        assert first.detail.case_actions.dialog is None, "the form closes: what it was based on is gone"
        qtbot.waitUntil(lambda: shown(first, case_id, status="accepted", version=2))  # refreshed
        assert [code for code, _ in first.detail.action_bar.offered()][:2] == ["mediate", "terminate"]
        box.accept()
    finally:
        first.close()
        second.close()
        other_engine.dispose()
