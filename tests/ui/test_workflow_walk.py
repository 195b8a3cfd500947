"""The workflow through the window: a case walked grid → community → street → settled → closed with the action
bar, the escalation dialog and the shortcuts; the buttons always equal `available_actions`; a refused move shows
the service's message."""

from PySide6.QtCore import Qt

from laopan.models import Committee
from laopan.services.cases import case_detail
from laopan.services.timeline import case_timeline
from tests.helpers.windows import DRAFT, click, confirm_move, finalised_written_agreement, open_case, press, register, service_actions, shown, type_into, visible_message


def test_a_case_walks_grid_community_street_settled_closed_through_the_window(desk_window, desk, team, qtbot):
    window = desk_window
    panel = window.detail
    bar = panel.action_bar
    case_id = register(desk, agreement=DRAFT)
    finalised_written_agreement(desk, case_id)  # what 调解成功 needs
    qtbot.waitUntil(lambda: window.model.rowCount() == 0 or not window.runner.busy)
    open_case(window, qtbot, case_id, status="registered", level="grid")

    def offered_matches_service() -> bool:
        return bar.offered() == service_actions(desk, case_id)

    assert offered_matches_service()
    assert [code for code, _ in bar.offered()] == ["accept", "reject", "escalate", "assign"]  # no 退回 below the grid
    assert "settle" not in bar.buttons and "close" not in bar.buttons  # illegal moves are never offered

    click(qtbot, bar.buttons["accept"])
    qtbot.waitUntil(lambda: shown(window, case_id, status="accepted"))
    assert offered_matches_service()
    assert "受理" in bar.note_label.text()

    click(qtbot, bar.buttons["mediate"])
    qtbot.waitUntil(lambda: shown(window, case_id, status="mediating"))
    assert offered_matches_service()
    assert bar.offered()[0] == ("settle", True)

    # 上报 ×2: Ctrl+E opens the dialog, the reason is typed; the second time a street mediator receives the case.
    press(window, qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel.case_actions.dialog is not None and panel.case_actions.dialog.isVisible())
    dialog = panel.case_actions.dialog
    assert dialog.windowTitle() == f"上报 · {panel.detail.intake_no}"
    qtbot.waitUntil(lambda: dialog.receivers() != ())
    assert {c.name for c in dialog.receivers()} == {"潘社区"}, "only the case's community mediators may receive it"
    dialog.submit()
    assert dialog.error == "请填写上报理由" and dialog.isVisible()
    type_into(dialog.reason_edit, "双方分歧大，需社区协调")
    with qtbot.waitSignal(panel.case_actions.done):
        dialog.submit()
    qtbot.waitUntil(lambda: shown(window, case_id, level="community"))
    assert offered_matches_service()
    assert panel.detail.mediators == ()  # nobody chosen: the case arrives awaiting assignment

    click(qtbot, bar.buttons["escalate"])
    qtbot.waitUntil(lambda: panel.case_actions.dialog is not None and panel.case_actions.dialog.isVisible())
    dialog = panel.case_actions.dialog
    qtbot.waitUntil(lambda: dialog.receivers() != ())
    street = next(c for c in dialog.receivers() if c.name == "潘街道")
    assert {c.name for c in dialog.receivers()} == {"潘街道", "李小潘"}
    with qtbot.waitSignal(dialog.matches_loaded):
        dialog.pick(street)
    assert not dialog.recusal.isVisible()
    type_into(dialog.reason_edit, "涉及物业公司，需街道协调")
    with qtbot.waitSignal(panel.case_actions.done):
        dialog.submit()
    qtbot.waitUntil(lambda: shown(window, case_id, level="street"))
    assert [m.name for m in panel.detail.mediators] == ["潘街道"]
    assert offered_matches_service()
    assert "escalate" not in bar.buttons, "the street is the top level"

    press(window, qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # the primary move: 调解成功
    assert "协议编号（2026）东柳调字第001号" in confirm_move(panel.case_actions, qtbot, expect="调解成功")
    qtbot.waitUntil(lambda: shown(window, case_id, status="settled"))
    assert offered_matches_service()
    assert [code for code, _ in bar.offered()] == ["close", "add_session"]

    with desk.session() as session:  # a committee without a 卷宗 checklist: the check has its own tests (test_dossier)
        committee = session.get(Committee, desk.committee_id)
        committee.settings = {**committee.settings, "dossier": []}
    click(qtbot, bar.buttons["close"])
    box = panel.case_actions.confirm_box
    qtbot.waitUntil(box.isVisible)
    assert "结案归档" in box.text()
    click(qtbot, box.buttons()[0])
    qtbot.waitUntil(lambda: shown(window, case_id, status="closed"))
    assert offered_matches_service()
    assert bar.offered() == [("reopen", True)], "a closed case is read-only; an admin may reopen it"
    assert window.detail.status_label.text() == "结案归档（自调解成功结案）"

    history = panel.history_tab
    panel.tabs.setCurrentWidget(history)
    levels = [[history.levels_model.text(row, col) for col in range(5)][1:] for row in range(history.levels_model.rowCount())]
    assert levels == [["上报", "网格→社区", "双方分歧大，需社区协调", "管理员"], ["上报", "社区→街道", "涉及物业公司，需街道协调", "管理员"]]
    assert history.levels_summary.text() == "当前层级：街道（网格→社区→街道）"
    descriptions = [history.timeline_model.text(row, 2) for row in range(history.timeline_model.rowCount())]
    assert descriptions[0] == "结案归档（自“调解成功”）", "newest first"
    assert "上报：网格→社区（双方分歧大，需社区协调）" in descriptions
    assert "上报：社区→街道（涉及物业公司，需街道协调），主持人：潘街道" in descriptions
    with desk.reading() as session:
        assert [e.description for e in case_timeline(session, actor=desk.actor, case_id=case_id)] == descriptions[::-1]


def test_an_illegal_move_asked_of_the_service_shows_its_message_and_changes_nothing(desk_window, desk, qtbot):
    window = desk_window
    case_id = register(desk)
    open_case(window, qtbot, case_id, status="registered")
    assert "mediate" not in window.detail.action_bar.buttons
    window.detail.run_action("mediate")  # what a stale button would do: the service refuses
    qtbot.waitUntil(lambda: visible_message(window) is not None)
    box = visible_message(window)
    assert box.text() == "“登记”状态的案件不能直接“开始调解”；当前可以：受理、不予受理"
    assert box.windowTitle() == "无法完成操作"
    box.accept()
    with desk.reading() as session:
        assert case_detail(session, actor=desk.actor, case_id=case_id).status == "registered"


def test_settle_without_an_agreement_is_offered_disabled_with_the_reason(desk_window, desk, qtbot):
    window = desk_window
    bar = window.detail.action_bar
    case_id = register(desk)
    open_case(window, qtbot, case_id)
    press(window, qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # 受理
    qtbot.waitUntil(lambda: shown(window, case_id, status="accepted"))
    press(window, qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # 开始调解
    qtbot.waitUntil(lambda: shown(window, case_id, status="mediating"))
    assert bar.offered()[0] == ("settle", False)
    assert "须先起草书面协议或登记口头协议" in bar.buttons["settle"].toolTip()
    press(window, qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert bar.note_label.text() == "调解成功：须先起草书面协议或登记口头协议"
    assert window.detail.detail.status == "mediating"


def test_reasons_are_asked_for_reject_and_terminate_with_its_destination(desk_window, desk, qtbot):
    window = desk_window
    panel = window.detail
    rejected = register(desk)
    open_case(window, qtbot, rejected)
    click(qtbot, panel.action_bar.buttons["reject"])
    dialog = panel.case_actions.dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.submit()
    assert dialog.error == "不予受理理由: 不能为空"
    type_into(dialog.reason_edit, "不属于民间纠纷")
    dialog.submit()
    with qtbot.waitSignal(panel.case_actions.done):
        confirm_move(panel.case_actions, qtbot, expect="理由：不属于民间纠纷")
    qtbot.waitUntil(lambda: shown(window, rejected, status="rejected"))
    assert [code for code, _ in panel.action_bar.offered()] == ["close"]

    ended = register(desk, level="street")
    open_case(window, qtbot, ended)
    click(qtbot, panel.action_bar.buttons["accept"])
    qtbot.waitUntil(lambda: shown(window, ended, status="accepted"))
    click(qtbot, panel.action_bar.buttons["terminate"])
    dialog = panel.case_actions.dialog
    qtbot.waitUntil(dialog.isVisible)
    assert not dialog.destination_combo.isEnabled()
    dialog.reason_combo.setCurrentIndex(dialog.reason_combo.findText("转其他途径"))
    assert dialog.destination_combo.isEnabled()
    dialog.submit()
    assert dialog.error == "去向: 转其他途径须选择去向"
    dialog.destination_combo.setCurrentIndex(dialog.destination_combo.findText("法院"))
    dialog.submit()
    with qtbot.waitSignal(panel.case_actions.done):
        confirm_move(panel.case_actions, qtbot, expect="终止原因：转其他途径（法院）")
    qtbot.waitUntil(lambda: shown(window, ended, status="terminated"))
    with desk.reading() as session:
        assert case_timeline(session, actor=desk.actor, case_id=ended)[-1].description == "调解终止：转其他途径（法院）"
