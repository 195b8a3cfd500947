"""台账 in the window (issue 15 items 5 and 6): the import wizard's dry run, all-or-nothing, valid rows only, cancel;
the export of the list as filtered, masked for a mediator; and the outcome flags of the intake form."""

import threading

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QPushButton

from laopan.desk import open_desk
from tests.helpers.accounts import TEST_PASSWORD
from laopan.ledger.export import COLUMNS
from laopan.ledger.importing import import_ledger, plan_import
from laopan.ledger.mapping import guess_mapping
from laopan.ledger.reading import read_table
from laopan.models.enums import MediatorRank, MediatorUnit, Role
from laopan.services.cases import CaseFilter, CaseQuery, case_detail
from laopan.services.mediators import add_mediator
from laopan.services.users import add_user
from tests.helpers.ledgers import BAD_ROWS, ledger_200_with_3_bad_rows
from tests.helpers.windows import click, open_window, save_with_shortcut
from ui.common.fields import select_code


def case_count(desk) -> int:
    with desk.reading() as session:
        return CaseQuery(session, actor=desk.actor, filters=CaseFilter()).count(session)


@pytest.fixture
def checked(desk_window, qtbot, tmp_path):
    """The import dialog opened from the 案件 page, at its dry-run step for the 200-row ledger."""
    window = desk_window
    click(qtbot, window.import_ledger_button)
    dialog = window.ledger_import_dialog
    qtbot.waitUntil(dialog.isVisible)
    with qtbot.waitSignal(dialog.table_loaded, timeout=10_000):
        dialog.open_file(ledger_200_with_3_bad_rows(tmp_path / "旧台账.xlsx"))
    click(qtbot, dialog.next_button)  # to the columns
    assert dialog.field_combos[2].currentData() == "applicant_name"  # guessed from the header 申请人
    with qtbot.waitSignal(dialog.planned, timeout=20_000):
        click(qtbot, dialog.next_button)  # the dry run
    return dialog


def test_the_dry_run_lists_exactly_the_three_bad_rows(checked, desk):
    dialog = checked
    model = dialog.problem_model
    assert dialog.summary_label.text() == "共 200 行，可导入 197 行，3 行有问题"
    assert [model.text(row, 0) for row in range(model.rowCount())] == [str(n) for n in BAD_ROWS]
    assert [model.text(row, 1) for row in range(model.rowCount())] == ["G（纠纷类型）", "D（申请人身份证号）", "B（受理日期）"]
    assert model.text(0, 2) == "打架斗殴" and model.text(1, 3) == "校验位错误"
    assert dialog.all_or_nothing_radio.isChecked()
    dialog.show_warnings_box.setChecked(True)  # the warnings are listed on request, after each row's errors
    assert model.rowCount() > 3 and all(model.text(row, 3).startswith("提示") for row in range(model.rowCount())
                                        if model.text(row, 0) not in {str(n) for n in BAD_ROWS})
    assert case_count(desk) == 0


def test_all_or_nothing_imports_nothing(checked, desk, qtbot):
    with qtbot.waitSignal(checked.import_stopped, timeout=20_000) as stopped:
        click(qtbot, checked.next_button)
    assert "未导入任何案件" in stopped.args[0] and "197" in stopped.args[0]
    assert checked.error_label.text() == stopped.args[0]
    assert case_count(desk) == 0


def test_valid_rows_only_imports_197_and_the_list_refreshes(checked, desk, desk_window, qtbot):
    window = desk_window
    checked.valid_only_radio.setChecked(True)
    with qtbot.waitSignal(window.runner.data_changed, timeout=30_000) as changed:
        click(qtbot, checked.next_button)
    assert "case" in changed.args[0] and len(changed.args[1]) == 197
    qtbot.waitUntil(lambda: window.model.rowCount() == 197 and window.count_label.text() == "共 197 件", timeout=10_000)
    assert case_count(desk) == 197
    assert checked.report is not None and sorted(checked.report.skipped_invalid) == list(BAD_ROWS)
    assert checked.done_label.text().startswith("已导入 197 个案件。")
    assert "跳过有错误的 3 行（第 11、51、151 行）" in checked.done_label.text()
    click(qtbot, checked.close_button)
    qtbot.waitUntil(lambda: not checked.isVisible())


def test_cancel_during_the_import_leaves_no_case(checked, desk, desk_window, qtbot):
    window = desk_window
    checked.valid_only_radio.setChecked(True)
    gate = threading.Event()
    window.runner.read(lambda _session: gate.wait(10))  # holds the worker so the click lands before the import runs
    click(qtbot, checked.next_button)
    progress = checked.progress_dialog
    qtbot.waitUntil(progress.isVisible)
    assert not checked.close_button.isEnabled()
    click(qtbot, progress.findChild(QPushButton))  # 取消
    with qtbot.waitSignal(checked.import_stopped, timeout=20_000) as stopped:
        gate.set()
    assert stopped.args[0] == "已取消，未导入任何案件。"
    assert case_count(desk) == 0
    assert checked.close_button.isEnabled() and checked.progress_dialog is None


def test_a_saved_mapping_is_loaded_back(checked, tmp_path):
    dialog = checked
    dialog._show_step(1)
    dialog.field_combos[2].setCurrentIndex(0)  # 申请人 not imported
    assert dialog.save_mapping_file(tmp_path / "m.json")
    dialog.set_mapping(dialog.current_mapping().__class__(columns={}))
    assert dialog.field_combos[6].currentData() is None
    assert dialog.load_mapping_file(tmp_path / "m.json")
    assert dialog.field_combos[2].currentData() is None and dialog.field_combos[6].currentData() == "dispute_type"
    (tmp_path / "bad.json").write_text('{"format": "laopan.ledger-mapping/1", "columns": {"Z": "summary"}}', encoding="utf-8")
    assert not dialog.load_mapping_file(tmp_path / "bad.json")
    assert "表格只有 13 列" in dialog.error_label.text()


def test_the_export_writes_the_filtered_list_masked_for_a_mediator(demo_desk, clock, qtbot, tmp_path, monkeypatch):
    with demo_desk.session() as session:
        # a 华光城 mediator: the record rules give a mediator the cases of their own community
        add_mediator(session, actor=demo_desk.actor, name="潘调解", rank=MediatorRank.SENIOR, unit=MediatorUnit.COMMUNITY,
                     community="华光城")
        add_user(session, actor=demo_desk.actor, login="pan", display_name="潘调解", role=Role.MEDIATOR, mediator_name="潘调解",
                 password=TEST_PASSWORD)
    mediator_desk = open_desk(engine=demo_desk.engine, login="pan", password=TEST_PASSWORD, clock=clock)
    window = open_window(mediator_desk, qtbot)
    try:
        window.show_page(window.cases_page)  # a mediator starts on 工作台
        assert not window.import_ledger_button.isVisible()  # importing is for supervisors and administrators
        select_code(window.community_combo, "华光城")
        qtbot.waitUntil(lambda: window.model.filters.community == "华光城" and not window.model.loading
                        and not window.runner.busy, timeout=10_000)
        asked = {}

        def save_as(_parent, _title, default, _filter):
            asked["default"] = default
            return str(tmp_path / "导出"), ""

        monkeypatch.setattr("ui.cases.ledger_export.QFileDialog.getSaveFileName", save_as)
        with qtbot.waitSignal(window.ledger_exporter.exported, timeout=20_000) as exported:
            click(qtbot, window.export_ledger_button)
        assert asked["default"].endswith("exports/台账_2026年11月27日.xlsx")
        count, path = exported.args
        assert path == str(tmp_path / "导出.xlsx") and f"已导出 {count} 个案件" in window.statusBar().currentMessage()

        with mediator_desk.reading() as session:
            query = CaseQuery(session, actor=mediator_desk.actor, filters=CaseFilter(community="华光城"))
            expected = {row.intake_no for row in query.page(session, limit=10_000)}
        sheet = load_workbook(path).active
        assert [c.value for c in sheet[2]] == list(COLUMNS)
        rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
        assert count == len(rows) == len(expected) == window.model.rowCount() > 0
        assert {row[0] for row in rows} == expected
        assert {row[9] for row in rows} == {"华光城"}
        ids = [row[3] for row in rows if row[3]]
        assert ids and all("*" in number for number in ids)
    finally:
        window.close()  # stops its worker; the engine is the demo desk's


def test_the_outcome_flags_reach_the_saved_case_and_its_overview(desk_window, qtbot, type_text):
    window = desk_window
    click(qtbot, window.new_case_button)
    dialog = window.intake_dialog
    qtbot.waitUntil(dialog.isVisible)
    select_code(dialog.fields["community"].editor, "华光城")
    type_text(dialog.fields["summary"].editor, "两户因宅基地界址争执，扬言动手。")
    applicant, respondent = dialog.parties
    type_text(applicant.fields["name"].editor, "张伟")
    type_text(respondent.fields["name"].editor, "李秀英")
    click(qtbot, dialog.outcome_boxes["prevented_criminal"])
    registered = save_with_shortcut(dialog, qtbot)
    with window.desk.reading() as session:
        stored = case_detail(session, actor=window.desk.actor, case_id=registered.id, reveal=False)
    assert stored.prevented_criminal and not stored.prevented_group_petition
    qtbot.waitUntil(lambda: window.detail.detail is not None and window.detail.detail.id == registered.id, timeout=10_000)
    form = window.detail._overview_form
    shown = {form.itemAt(row, form.ItemRole.LabelRole).widget().text(): form.itemAt(row, form.ItemRole.FieldRole).widget().text()
             for row in range(form.rowCount())}
    assert shown["成效："] == "防止民转刑"


def test_rows_already_imported_refuse_the_import_when_the_box_is_cleared(desk, desk_window, qtbot, tmp_path):
    """Issue 10 item 5: the dialog offers the same choice as `--on-duplicate`."""
    path = ledger_200_with_3_bad_rows(tmp_path / "旧台账.xlsx")
    table = read_table(path)
    with desk.session() as session:
        plan = plan_import(session, actor=desk.actor, table=table, mapping=guess_mapping(table))
        import_ledger(session, actor=desk.actor, plan=plan, valid_only=True)
    window = desk_window
    click(qtbot, window.import_ledger_button)
    dialog = window.ledger_import_dialog
    with qtbot.waitSignal(dialog.table_loaded, timeout=10_000):
        dialog.open_file(path)
    click(qtbot, dialog.next_button)
    with qtbot.waitSignal(dialog.planned, timeout=20_000):
        click(qtbot, dialog.next_button)
    assert dialog.skip_duplicates_box.isVisible() and dialog.skip_duplicates_box.isChecked()
    assert "197 行已导入过" in dialog.summary_label.text()
    dialog.grab().save("/tmp/robust-duplicates.png")
    dialog.skip_duplicates_box.setChecked(False)
    dialog.valid_only_radio.setChecked(True)
    with qtbot.waitSignal(dialog.import_stopped, timeout=20_000) as stopped:
        click(qtbot, dialog.next_button)
    assert "197 行已导入过，未导入任何案件" in stopped.args[0]
    assert case_count(desk) == 197
