"""Maintaining the registry on the 调解员 page: adding a mediator (fields checked on leaving, refusals under their
field), ranking an imported mediator, a stale edit refused with the conflict message, and no editing for a
mediator-role user."""

import pytest
from PySide6.QtCore import Qt

from laopan.desk import open_desk
from tests.helpers.accounts import TEST_PASSWORD
from laopan.errors import ValidationError
from laopan.models.enums import Role
from laopan.services import pairings
from laopan.services.mediators import list_mediators, mediator_view
from laopan.services.users import add_user
from laopan.validation import check_phone
from ui.common.fields import select_code
from ui.mediators.dialog import MediatorDialog
from tests.helpers.windows import ZHANG_ID, click, leave, double_click, open_window, register, show, type_into
from tests.helpers.databases import engine_for

NAME, RANK, UNIT, PLACE, SPECIALTIES, OPEN, STATE = range(7)


def open_page(window, qtbot):
    page = window.mediators_page
    with qtbot.waitSignal(page.loaded):
        show(window, page, qtbot)
    qtbot.waitUntil(lambda: page.info is not None and not window.runner.busy)
    return page


def row_of(page, name: str) -> int:
    """The row of `name` in the view (the registry is sortable, so through the proxy)."""
    model = page.registry_model
    source = next(r for r in range(model.rowCount()) if model.text(r, NAME) == name)
    return page.registry_proxy.mapFromSource(model.index(source, 0)).row()


def cell(page, name: str, column: int, role=Qt.ItemDataRole.DisplayRole):
    return page.registry_proxy.index(row_of(page, name), column).data(role)


def stored(desk, name: str):
    with desk.session() as session:
        view = next(v for v in list_mediators(session, actor=desk.actor) if v.name == name)
        return mediator_view(session, actor=desk.actor, mediator_id=view.id, reveal=True)


def opened_dialog(page, qtbot) -> MediatorDialog:
    qtbot.waitUntil(lambda: isinstance(page.dialog, MediatorDialog) and page.dialog.isVisible())
    return page.dialog


def test_a_mediator_is_added_through_the_dialog_after_a_bad_phone_is_fixed(desk_window, desk, qtbot):
    window = desk_window
    page = open_page(window, qtbot)
    assert page.add_mediator_button.isVisible() and not page.edit_mediator_button.isEnabled(), "编辑 needs a selected row"
    click(qtbot, page.add_mediator_button)
    dialog = opened_dialog(page, qtbot)
    assert dialog.windowTitle() == "添加调解员" and not dialog.active_box.isVisibleTo(dialog)

    type_into(dialog.fields["name"].editor, "王芳")
    select_code(dialog.fields["unit"].editor, "community")
    type_into(dialog.fields["phone"].editor, "12345")
    leave(dialog.fields["phone"])
    with pytest.raises(ValidationError) as refused:
        check_phone("12345")
    assert dialog.fields["phone"].error == refused.value.message == "不是有效的手机号或固定电话"
    dialog.submit()
    assert dialog.isVisible() and dialog.error == "请先改正标红的项目"
    assert not window.runner.busy, "nothing is sent while a field is wrong"

    dialog.fields["phone"].editor.clear()
    type_into(dialog.fields["phone"].editor, "13812345678")
    leave(dialog.fields["phone"])
    assert dialog.fields["phone"].error == ""
    type_into(dialog.fields["id_number"].editor, ZHANG_ID)
    leave(dialog.fields["id_number"])
    assert dialog.fields["id_number"].error == ""
    dialog.submit()  # a community mediator without a community: only the service knows that rule
    qtbot.waitUntil(lambda: dialog.fields["community"].error != "" and not window.runner.busy)
    assert dialog.fields["community"].error == "网格、社区调解员须指定所属社区"
    assert dialog.isVisible() and dialog.ok_button.isEnabled(), "a refusal keeps what was typed"

    select_code(dialog.fields["community"].editor, "华光城")
    grids = dialog.fields["grid"].editor
    assert grids.isEnabled() and grids.findData("华光城第3网格") > 0, "the grids follow the community"
    select_code(grids, "华光城第3网格")
    dialog.specialty_model.item(1).setCheckState(Qt.CheckState.Checked)  # 邻里
    dialog.relatives_edit.setPlainText("王大\n\n 王二 ")
    with qtbot.waitSignal(page.loaded):
        dialog.submit()
    qtbot.waitUntil(lambda: page.dialog is None)

    assert [cell(page, "王芳", c) for c in (RANK, UNIT, PLACE, SPECIALTIES, STATE)] == [
        "老潘（主调）", "社区", "华光城 / 华光城第3网格", "邻里", "在用"]
    saved = stored(desk, "王芳")
    assert (saved.phone, saved.id_number, saved.declared_relatives, saved.specialty_codes) == (
        "13812345678", ZHANG_ID, ("王大", "王二"), ("neighbour",))


def test_an_imported_mediator_is_ranked_by_double_clicking_the_row(desk_window, desk, qtbot):
    window = desk_window
    register(desk, status="accepted", mediators=[{"name": "潘导入", "role": "lead"}])
    page = open_page(window, qtbot)
    assert cell(page, "潘导入", RANK) == "未定"
    assert cell(page, "潘导入", RANK, Qt.ItemDataRole.ForegroundRole).name() == "#b26a00"
    assert cell(page, "潘导入", RANK, Qt.ItemDataRole.ToolTipRole) == "导入的调解员，设定级别后才会被推荐"

    double_click(qtbot, page.registry_view, row_of(page, "潘导入"))
    dialog = opened_dialog(page, qtbot)
    assert dialog.windowTitle() == "编辑调解员 · 潘导入"
    assert dialog.fields["name"].editor.isReadOnly() and dialog.note_label.isVisibleTo(dialog)
    assert dialog.fields["rank"].editor.currentText() == "未定"
    select_code(dialog.fields["rank"].editor, "senior")
    assert dialog.values() == {"mediator_id": dialog.mediator.id, "expected_version": 1, "rank": "senior"}, "only what changed"
    with qtbot.waitSignal(page.loaded):
        dialog.submit()
    qtbot.waitUntil(lambda: page.dialog is None)

    assert cell(page, "潘导入", RANK) == "老潘（主调）"
    assert cell(page, "潘导入", RANK, Qt.ItemDataRole.ForegroundRole) is None
    assert cell(page, "潘导入", RANK, Qt.ItemDataRole.ToolTipRole) is None
    assert stored(desk, "潘导入").version == 2


def test_an_edit_of_a_mediator_changed_elsewhere_shows_the_conflict(desk_window, desk, db_url, clock, team, qtbot):
    window = desk_window
    page = open_page(window, qtbot)
    page.registry_view.selectRow(row_of(page, "潘街道"))
    click(qtbot, page.edit_mediator_button)
    dialog = opened_dialog(page, qtbot)
    assert dialog.mediator.version == 1

    other_engine = engine_for(db_url)
    try:
        other = open_desk(engine=other_engine, login="admin", password=TEST_PASSWORD, clock=clock)
        with other.session() as session:
            pairings.update_mediator(session, actor=other.actor, mediator_id=team["street"], expected_version=1, work_unit="区司法所")
    finally:
        other_engine.dispose()

    select_code(dialog.fields["rank"].editor, "junior")
    with qtbot.waitSignal(page.loaded):
        dialog.submit()
    qtbot.waitUntil(lambda: page.message_box is not None and page.message_box.isVisible())
    assert page.message_box.text() == "已被 管理员 于 2026-11-27 09:00 修改，请刷新"
    assert page.dialog is None, "the stale form is closed"
    saved = stored(desk, "潘街道")
    assert (saved.rank, saved.work_unit, saved.version) == ("senior", "区司法所", 2), "the stale edit saved nothing"
    assert cell(page, "潘街道", RANK) == "老潘（主调）"
    page.message_box.accept()


def test_a_mediator_role_user_sees_no_add_or_edit_buttons(desk, team, clock, qtbot):
    with desk.session() as session:
        add_user(session, actor=desk.actor, login="pan", display_name="潘街道", role=Role.MEDIATOR, mediator_name="潘街道", password=TEST_PASSWORD)
    window = open_window(open_desk(engine=desk.engine, login="pan", password=TEST_PASSWORD, clock=clock), qtbot)
    try:
        page = window.mediators_page
        with qtbot.waitSignal(page.loaded):
            show(window, page, qtbot)
        assert page.registry_model.rowCount() == 4
        assert not page.add_mediator_button.isVisibleTo(page) and not page.edit_mediator_button.isVisibleTo(page)
        double_click(qtbot, page.registry_view, row_of(page, "潘社区"))
        assert page.dialog is None and not window.runner.busy, "a double click reads nothing and opens nothing"
    finally:
        window.close()
