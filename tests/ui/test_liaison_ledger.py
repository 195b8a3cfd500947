"""警调对接月度台账: the month's rows with the 合计 row, exported to .xlsx and .csv through the worker."""

import csv
import json
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from laopan.services.intake import import_cases
from laopan.services.station_ledger import COLUMNS
from tests.helpers import FIXTURES
from ui.liaison.ledger_tab import TOTAL, LedgerPage
from ui.common.worker import TaskRunner


@pytest.fixture
def page(desk, qapp, qtbot) -> Iterator[LedgerPage]:
    document = json.loads((FIXTURES / "interchange" / "full.json").read_text(encoding="utf-8"))
    with desk.session() as session:
        import_cases(session, actor=desk.actor, document=document)
    runner = TaskRunner(desk)
    ledger = LedgerPage(runner, desk.actor)
    qtbot.addWidget(ledger)
    ledger.show()
    yield ledger
    qtbot.waitUntil(lambda: not runner.busy)
    runner.stop()


def load_month(page, qtbot, year: int, month: int) -> None:
    with qtbot.waitSignal(page.ledger_loaded):
        page.set_month(year, month)


def test_the_month_of_the_referral_shows_the_station_and_the_total_row(page, qtbot, qtmodeltester):
    assert page.month == (2026, 11)  # the clock's month
    load_month(page, qtbot, 2026, 10)
    model = page.model
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())] == list(COLUMNS)
    rows = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]
    assert rows == [
        ["东柳派出所", "1", "1", "100.0%", "1", "0", "0.0%", "0", "0"],
        [TOTAL, "1", "1", "100.0%", "1", "0", "0.0%", "0", "0"],
    ]
    assert model.index(1, 0).data(Qt.ItemDataRole.FontRole).bold()
    qtmodeltester.check(model)

    with qtbot.waitSignal(page.ledger_loaded):
        page.previous_button.click()
    assert page.month == (2026, 9) and model.index(model.rowCount() - 1, 1).data() == "0"


def test_export_writes_an_xlsx_that_openpyxl_reads_back_and_a_csv(page, qtbot, tmp_path):
    from openpyxl import load_workbook

    load_month(page, qtbot, 2026, 10)
    target = tmp_path / "台账.xlsx"
    with qtbot.waitSignal(page.exported, timeout=10_000):
        page.export_to(str(target))
    sheet = load_workbook(target).active
    values = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "2026年10月 警调对接月度台账"
    assert list(values[1]) == list(COLUMNS)
    assert values[-1][:3] == [TOTAL, 1, 1]
    assert str(target) in page.message_label.text()

    text = tmp_path / "台账.csv"
    with qtbot.waitSignal(page.exported):
        page.export_to(str(text))
    with text.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    assert lines[0] == list(COLUMNS) and lines[-1][0] == TOTAL


def test_a_file_that_is_neither_xlsx_nor_csv_is_refused_on_the_page(page, qtbot, tmp_path):
    load_month(page, qtbot, 2026, 10)
    page.export_to(str(tmp_path / "台账.pdf"))
    qtbot.waitUntil(lambda: ".pdf" in page.message_label.text())
    assert "只能导出为 .xlsx 或 .csv" in page.message_label.text()
