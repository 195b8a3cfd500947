"""调解记录 (add / edit a sitting) and 延长调解期限 through the case detail."""

import datetime as dt

from sqlalchemy import select

from laopan.models import Case
from laopan.services import lifecycle
from laopan.services.timeline import case_timeline
from ui.cases.detail import TAB_SESSIONS
from tests.helpers.windows import click, open_case, register, shown, type_into


def move(desk, case_id, *actions) -> None:
    for action in actions:
        with desk.session() as session:
            version = session.execute(select(Case.version).where(Case.id == case_id)).scalar_one()
            lifecycle.move_case(session, actor=desk.actor, case_id=case_id, action=action, expected_version=version)


def timeline(desk, case_id) -> list[str]:
    with desk.reading() as session:
        return [e.description for e in case_timeline(session, actor=desk.actor, case_id=case_id)]


def test_a_sitting_is_added_and_edited_from_the_sessions_tab(desk_window, desk, qtbot):
    window = desk_window
    panel = window.detail
    tab = panel.sessions_tab
    waiting = register(desk)
    open_case(window, qtbot, waiting)
    assert not tab.add_button.isEnabled(), "a case not yet accepted has no sittings"

    case_id = register(desk)
    move(desk, case_id, "accept", "mediate")
    open_case(window, qtbot, case_id, status="mediating")
    panel.tabs.setCurrentIndex(TAB_SESSIONS)
    assert panel.tabs.tabText(TAB_SESSIONS) == "调解记录"
    assert tab.count_label.text() == "尚无调解记录"
    click(qtbot, tab.add_button)
    dialog = panel.case_actions.dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.windowTitle() == f"新增调解记录 · {panel.detail.intake_no}"
    assert [box.text() for box in dialog.party_boxes if box.isChecked()] == ["张伟", "李秀英"]
    assert dialog.held_edit.dateTime().toString("yyyy-MM-dd HH:mm") == "2026-11-27 09:00"
    dialog.submit()
    assert dialog.error == "调解地点: 不能为空"
    type_into(dialog.place_edit, "华光城社区调解室")
    assert dialog.error == "", "the message goes once the place is filled"
    dialog.submit()
    assert dialog.error == "调解员: 至少勾选或填写一名", "nobody assigned yet: the mediators must be typed"
    assert dialog.mediator_boxes == []
    type_into(dialog.other_mediators_edit, "潘网格、王芳")
    assert dialog.error == ""
    type_into(dialog.participants_edit, "楼道长陈国强")
    dialog.statements_edit.setPlainText("申请人称吊顶受损；被申请人同意修复防水层。")
    dialog.result_edit.setPlainText("双方同意再约时间协商赔偿数额。")
    with qtbot.waitSignal(panel.case_actions.done):
        dialog.submit()
    qtbot.waitUntil(lambda: shown(window, case_id) and tab.model.rowCount() == 1)
    row = [tab.model.text(0, column) for column in range(6)]
    assert row == ["2026-11-27 09:00", "华光城社区调解室", "潘网格、王芳", "张伟、李秀英", "楼道长陈国强", "双方同意再约时间协商赔偿数额。"]
    assert tab.count_label.text() == "共 1 次调解"

    tab.view.selectRow(0)
    assert "申请人称吊顶受损" in tab.text.toPlainText()
    click(qtbot, tab.edit_button)
    dialog = panel.case_actions.dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.windowTitle().startswith("修改调解记录")
    assert dialog.place_edit.text() == "华光城社区调解室"
    dialog.party_boxes[1].setChecked(False)
    dialog.result_edit.setPlainText("被申请人未到场，改期。")
    with qtbot.waitSignal(panel.case_actions.done):
        dialog.submit()
    qtbot.waitUntil(lambda: shown(window, case_id) and tab.model.text(0, 5) == "被申请人未到场，改期。")
    assert tab.model.text(0, 3) == "张伟"
    assert timeline(desk, case_id)[-1] == "修改调解记录：到场当事人 张伟、李秀英→张伟；结果 双方同意再约时间协商赔偿数额。→被申请人未到场，改期。"


def test_the_deadline_is_extended_with_both_parties_consent_dates(desk_window, desk, qtbot):
    window = desk_window
    panel = window.detail
    case_id = register(desk)
    move(desk, case_id, "accept")
    open_case(window, qtbot, case_id, status="accepted", due_on=dt.date(2026, 12, 27))
    assert panel.due_label.text() == "剩30天"
    click(qtbot, panel.action_bar.buttons["extend"])
    dialog = panel.case_actions.dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.new_due_edit.date().toString("yyyy-MM-dd") == "2027-01-11"
    assert dialog.applicant_edit.maximumDate().toString("yyyy-MM-dd") == "2026-11-27", "consent cannot be in the future"
    dialog.applicant_edit.setDate(dialog.applicant_edit.date().addDays(-2))
    type_into(dialog.reason_edit, "待鉴定结果")
    with qtbot.waitSignal(panel.case_actions.done):
        dialog.submit()
    qtbot.waitUntil(lambda: shown(window, case_id, due_on=dt.date(2027, 1, 11)))
    assert panel.due_label.text() == "剩45天"
    assert timeline(desk, case_id)[-1] == "延长调解期限：2026-12-27→2027-01-11（申请人2026-11-25、被申请人2026-11-27同意）：待鉴定结果"
