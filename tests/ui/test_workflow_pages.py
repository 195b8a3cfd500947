"""The 工作台 and 调解员 pages: my work, deadlines, reviews; the registry, pairings and the mentoring record."""

import datetime as dt

from PySide6.QtCore import Qt

from laopan.desk import open_desk
from tests.helpers.accounts import TEST_PASSWORD
from laopan.models.enums import Role
from laopan.services import pairings
from laopan.services.users import add_user
from tests.helpers.windows import click, double_click, open_window, register, show, type_into


def lead(name: str) -> list[dict]:
    return [{"name": name, "role": "lead"}]


def list_texts(work_list, column: int = 0) -> list[str]:
    return [work_list.model.text(row, column) for row in range(work_list.model.rowCount())]


def test_the_workbench_of_an_admin_lists_the_whole_centre_and_opens_a_case(desk_window, desk, qtbot):
    window = desk_window
    overdue = register(desk, status="accepted", received_at="2026-10-01T09:00:00+08:00")  # due 2026-10-31
    soon = register(desk, status="mediating", received_at="2026-10-29T09:00:00+08:00")  # due 2026-11-28
    fresh = register(desk)
    window.refresh()
    page = window.workbench
    with qtbot.waitSignal(page.loaded):
        show(window, page, qtbot)
    assert "当前用户未关联调解员：以下为全中心的案件" in page.scope_label.text()
    assert page.open_list.title() == "在办案件（3）"
    assert [row.case_id for row in page.open_list.model.rows()] == [overdue, soon, fresh], "most urgent first"
    assert list_texts(page.overdue_list, 5) == ["逾期27天"]
    assert page.overdue_list.model.index(0, 5).data(Qt.ItemDataRole.ForegroundRole).name() == "#c62828"
    assert list_texts(page.due_list, 5) == ["剩1天"]
    assert list_texts(page.open_list, 2) == ["网格", "网格", "网格"]
    assert page.open_list.model.index(0, 2).data(Qt.ItemDataRole.ForegroundRole).name() == "#2e7d32"
    assert list_texts(page.open_list, 4) == ["待分配"] * 3
    assert page.review_list.isVisible() and page.review_list.title() == "待我审核（0）"

    later = register(desk)  # saved elsewhere: no data_changed here, so F5 reads again
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    with qtbot.waitSignal(page.loaded):
        qtbot.keyClick(page.open_list.view, Qt.Key.Key_F5)
    assert page.open_list.title() == "在办案件（4）" and later in [row.case_id for row in page.open_list.model.rows()]

    double_click(qtbot, page.overdue_list.view, 0)
    qtbot.waitUntil(lambda: window.detail.detail is not None and window.detail.detail.id == overdue and not window.runner.busy)
    assert window.page_stack.currentWidget() is window.cases_page
    assert window.nav.currentItem().text() == "案件"
    assert window.detail.isVisible()


def test_a_senior_mediators_workbench_shows_their_cases_and_their_juniors_to_review(desk, team, db_url, clock, qtbot):
    with desk.session() as session:
        add_user(session, actor=desk.actor, login="pan", display_name="潘街道", role=Role.MEDIATOR, mediator_name="潘街道", password=TEST_PASSWORD)
        pairings.create_pairing(session, actor=desk.actor, senior_id=team["street"], junior_id=team["junior"],
                                started_on=dt.date(2026, 1, 1))
    mine = register(desk, status="mediating", level="street", mediators=lead("潘街道"))
    draft = {"facts": "楼上漏水。", "matters": "赔偿数额。", "clauses": ["被申请人赔偿维修费。"]}
    junior_led = register(desk, status="mediating", level="street", mediators=lead("李小潘"), agreement=draft)
    register(desk, status="mediating", level="street", mediators=lead("李小潘"))  # no draft yet: nothing to review
    register(desk, status="mediating", level="street", mediators=lead("潘社区"), agreement=draft)
    pan_desk = open_desk(engine=desk.engine, login="pan", password=TEST_PASSWORD, clock=clock)
    window = open_window(pan_desk, qtbot)
    try:
        page = window.workbench
        assert window.page_stack.currentWidget() is page, "a mediator starts on the 工作台"
        qtbot.waitUntil(lambda: page.data is not None)
        assert page.title_label.text() == "工作台 · 潘街道（调解员）"
        assert "我参与" in page.scope_label.text()
        assert [row.case_id for row in page.open_list.model.rows()] == [mine]
        assert [row.case_id for row in page.review_list.model.rows()] == [junior_led]
        assert list_texts(page.review_list, 4) == ["李小潘"]
    finally:
        window.close()


def test_the_mediators_page_shows_the_registry_pairings_and_a_juniors_mentoring_record(desk_window, desk, team, qtbot):
    window = desk_window
    case_id = register(desk, status="mediating", level="street", mediators=lead("李小潘"))
    page = window.mediators_page
    with qtbot.waitSignal(page.loaded):
        show(window, page, qtbot)
    registry = page.registry_model
    rows = {registry.text(r, 0): [registry.text(r, c) for c in range(7)] for r in range(registry.rowCount())}
    assert rows["潘社区"] == ["潘社区", "老潘（主调）", "社区", "华光城", "", "0", "在用"]
    assert rows["潘网格"][3] == "华光城 / 华光城第3网格"
    assert rows["李小潘"][1:6] == ["小潘（辅调）", "街道调解中心", "", "", "1"]
    assert "老潘 3，小潘 1" in page.registry_count.text()

    click(qtbot, page.new_pairing_button)
    dialog = page.dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.senior_combo.setCurrentIndex(dialog.senior_combo.findData(team["street"]))
    assert dialog.junior_combo.currentData() == team["junior"]
    with qtbot.waitSignal(page.loaded):
        dialog.submit()
    assert [(p.senior_name, p.junior_name, p.active) for p in page.pairings_model.rows()] == [("潘街道", "李小潘", True)]

    with qtbot.waitSignal(page.record_loaded):
        page.pairings_view.selectRow(0)
    assert page.end_pairing_button.isEnabled()
    assert "李小潘（小潘）的带教记录：1 件案件，0 条点评" == page.record_title.text()
    assert [page.record_model.text(0, c) for c in (0, 2, 3, 5, 6)] == [page.record[0].intake_no, "主持人", "（无）", "调解中", "0"]
    page.record_view.selectRow(0)
    assert page.add_note_button.isEnabled(), "a supervisor may review any junior's case"
    click(qtbot, page.add_note_button)
    dialog = page.dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.submit()
    assert dialog.error == "点评: 不能为空"
    type_into(dialog.note_edit, "事实部分清楚；履行期限应写明具体日期。")
    with qtbot.waitSignal(page.record_loaded, timeout=10_000):
        dialog.submit()
    qtbot.waitUntil(lambda: "1 条点评" in page.record_title.text())
    assert page.record[0].case_id == case_id
    qtbot.waitUntil(lambda: "事实部分清楚" in page.notes_text.toPlainText())
    assert "2026-11-27 09:00 管理员：事实部分清楚；履行期限应写明具体日期。" in page.notes_text.toPlainText()

    page.pairings_view.selectRow(0)
    click(qtbot, page.end_pairing_button)
    dialog = page.dialog
    qtbot.waitUntil(dialog.isVisible)
    with qtbot.waitSignal(page.loaded):
        dialog.submit()
    assert [(p.ended_on, p.active) for p in page.pairings_model.rows()] == [(dt.date(2026, 11, 27), True)]
    assert page.pairings_model.text(0, 4) == "进行中", "ends at the end of today"
