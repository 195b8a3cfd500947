"""打印中心 on a 2,000-case demo: a month's agreements export shows progress while the window keeps serving other
reads; cancel stops it and the report is honest — the files written are exactly those audited, no half-written
file; a cancelled one-PDF run writes nothing and audits nothing."""

import collections
import datetime as dt

import pytest
from PySide6.QtCore import QDate
from sqlalchemy import func, select

from laopan.demo import generate_demo
from laopan.models import AuditEntry
from laopan.services.batch_printing import agreements_signed
from ui.common.worker import TaskRunner
from ui.printing.centre import PrintCentre

DEMO_CASES = 2000


@pytest.fixture
def busy_month(desk, clock):
    generate_demo(desk.engine, committee_id=desk.committee_id, cases=DEMO_CASES, seed=5, clock=clock)
    with desk.reading() as session:
        items = agreements_signed(session, actor=desk.actor, first=dt.date(2000, 1, 1), last=dt.date(2100, 1, 1))
    month, count = collections.Counter(i.signed_on.replace(day=1) for i in items if i.kind == "written").most_common(1)[0]
    assert count >= 10
    return month


@pytest.fixture
def centre(desk, qtbot, busy_month):
    runner = TaskRunner(desk)
    dialog = PrintCentre(runner, desk.actor, today=QDate(busy_month.year, busy_month.month, 15))
    qtbot.addWidget(dialog)
    dialog.show()
    yield dialog
    runner.stop()


def _exports(desk) -> int:
    with desk.reading() as session:
        return session.execute(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action.in_(("agreement.export", "agreement.oral_print")))).scalar_one()


def test_a_month_to_a_folder_shows_progress_and_cancel_keeps_what_was_written(desk, qtbot, centre, tmp_path):
    folder = tmp_path / "十一月协议"
    centre.path_edit.setText(str(folder))
    centre.start_button.click()
    qtbot.waitUntil(lambda: centre.progress_bar.value() >= 2, timeout=20_000)
    assert centre.running and not centre.start_button.isEnabled()
    answered = []
    centre.runner.read(lambda session: "still serving", on_done=answered.append)  # another page's read meanwhile
    qtbot.waitUntil(lambda: answered == ["still serving"], timeout=10_000)
    assert centre.running, "the other read interleaved with the export, it did not wait for its end"
    with qtbot.waitSignal(centre.batch_finished, timeout=20_000) as finished:
        centre.cancel_button.click()
    outcome = finished.args[0]
    files = sorted(folder.iterdir())
    assert outcome.cancelled and 2 <= outcome.done < outcome.total
    assert [f.suffix for f in files] == [".pdf"] * len(outcome.written), "no .part file left"
    assert len(files) == len(outcome.written) == outcome.done - len(outcome.failed)
    assert _exports(desk) == len(files), "every file written is audited, nothing else"
    assert "已取消" in centre.status_label.text() and f"已写入{len(files)}个文件" in centre.status_label.text()
    assert centre.start_button.isEnabled() and not centre.cancel_button.isEnabled()


def test_a_cancelled_one_pdf_run_writes_and_audits_nothing(desk, qtbot, centre, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    target = out / "all.pdf"
    centre.one_radio.setChecked(True)
    centre.path_edit.setText(str(target))
    centre.start_button.click()
    qtbot.waitUntil(lambda: centre.progress_bar.value() >= 2, timeout=20_000)
    with qtbot.waitSignal(centre.batch_finished, timeout=20_000) as finished:
        centre.cancel_button.click()
    outcome = finished.args[0]
    assert outcome.cancelled and outcome.written == []
    assert list(out.iterdir()) == [] and _exports(desk) == 0
    assert "未写入任何文件" in centre.status_label.text()


def test_a_day_into_one_pdf_runs_to_the_end(desk, qtbot, centre, busy_month, tmp_path):
    with desk.reading() as session:
        items = agreements_signed(session, actor=desk.actor, first=busy_month, last=busy_month.replace(day=28))
    day = collections.Counter(i.signed_on for i in items).most_common(1)[0][0]
    centre.day_radio.setChecked(True)
    centre.day_edit.setDate(QDate(day.year, day.month, day.day))
    centre.one_radio.setChecked(True)
    centre.path_edit.setText(str(tmp_path / "day.pdf"))
    with qtbot.waitSignal(centre.batch_finished, timeout=20_000) as finished:
        centre.start_button.click()
    outcome = finished.args[0]
    expected = sum(1 for i in items if i.signed_on == day)
    assert (outcome.total, outcome.done, outcome.cancelled) == (expected, expected, False)
    assert (tmp_path / "day.pdf").exists() and _exports(desk) == expected - len(outcome.failed)
    assert f"已完成：共{expected}份" in centre.status_label.text()


def test_the_window_opens_the_print_centre_for_a_supervisor_with_the_current_case(window, qtbot):
    from ui.printing.centre import PrintCentre

    assert window.print_centre_button.isVisible()
    window.select_row(0)
    window.print_centre_button.click()
    dialog = qtbot.waitUntil(lambda: window.findChild(PrintCentre) is not None) or window.findChild(PrintCentre)
    assert dialog.isVisible() and dialog.selected_radio.isEnabled() and dialog.selected_radio.text() == "所选案件（1件）"
    dialog.reject()


def test_a_day_goes_to_the_printer_through_the_print_path_audited_as_prints(desk, qtbot, centre, busy_month, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    from ui.agreements.printing import prepare_printer

    with desk.reading() as session:
        items = agreements_signed(session, actor=desk.actor, first=busy_month, last=busy_month.replace(day=28))
    day = collections.Counter(i.signed_on for i in items).most_common(1)[0][0]
    centre.day_radio.setChecked(True)
    centre.day_edit.setDate(QDate(day.year, day.month, day.day))
    printer = prepare_printer(1, document_name="打印中心")
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setResolution(72)
    with qtbot.waitSignal(centre.batch_finished, timeout=30_000) as finished:
        centre.print_to(printer)
    outcome = finished.args[0]
    expected = sum(1 for i in items if i.signed_on == day)
    assert outcome.sent and not outcome.cancelled and outcome.done == expected
    with desk.reading() as session:
        printed = session.execute(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action.in_(("agreement.print", "agreement.oral_print")))).scalar_one()
    assert printed == expected - len(outcome.failed)
    assert (tmp_path / "printed.pdf").stat().st_size > 0 and "已打印" in centre.status_label.text()
