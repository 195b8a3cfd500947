"""打印中心 (issue 14): a supervisor prints or exports many papers at once — every agreement signed on a day or in
a month, or the selected cases — as 协议书 or whole 卷宗, to one PDF or one PDF each into a folder.

Rendering runs on the window's database worker, one item per task, so the window stays responsive and other
pages' reads interleave; results come back on the GUI thread. Each item goes through the same service as a single
print (`laopan.services.batch_printing.render_item`) and is audited like one.

Folder: each task renders one item and writes its file (via a temporary name) inside its unit of work, so a file
on disk and its audit entry go together. Cancel stops after the item in hand; the report says how many files were
written. One PDF: one task renders every item and writes the merged file at the end; cancel makes it stop and roll
back, so nothing is written and nothing audited — the report says so. A refused item (e.g. an agreement whose
check now fails) is skipped and named at the end.
"""

import threading
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QDate, QObject, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup, QComboBox, QDateEdit, QDialog, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QProgressBar, QPushButton, QRadioButton, QVBoxLayout, QWidget,
)

from laopan.errors import DomainError
from laopan.services.actor import Actor
from laopan.services.batch_printing import (
    BatchItem, agreements_signed, cases_by_id, file_name, month_bounds, render_item, write_whole,
)
from ui.common.worker import TaskRunner

GROUP = "print-centre"


class BatchCancelled(Exception):
    """The one-PDF task stopped on request; raised so its unit of work rolls back."""


@dataclass
class BatchOutcome:
    """What a run did, for the report line and for tests."""

    total: int = 0
    done: int = 0
    failed: list[str] = field(default_factory=list)
    cancelled: bool = False
    written: list[str] = field(default_factory=list)  # files on disk
    error: str = ""
    printing: bool = False  # sent to a printer rather than written to files
    sent: bool = False  # the print job started (the printer may have pages)

    def text(self) -> str:
        if self.error:
            return f"未完成：{self.error}"
        skipped = f"；{len(self.failed)}份未能生成：{'；'.join(self.failed[:5])}" if self.failed else ""
        if self.cancelled:
            if self.printing:
                if not self.sent:
                    return f"已取消：共{self.total}份，未送往打印机{skipped}"
                return f"已取消打印：共{self.total}份，打印机可能已收到部分页面{skipped}"
            if not self.written:
                return f"已取消：共{self.total}份，已处理{self.done}份，未写入任何文件{skipped}"
            return f"已取消：共{self.total}份，已写入{len(self.written)}个文件，其余未生成{skipped}"
        if not self.total:
            return "所选范围内没有可打印的文书"
        if self.printing:
            return f"已打印：共{self.total}份，打印到 {self.written[0] if self.written else ''}{skipped}"
        return f"已完成：共{self.total}份，写入{len(self.written)}个文件{skipped}"


class _Progress(QObject):
    """Progress of the one-PDF task, emitted on the worker thread and delivered (queued) on the GUI thread."""

    advanced = Signal(int)


def _one_pdf_task(actor: Actor, items: list[BatchItem], what: str, path: Path | None, stop: threading.Event,
                  progress: _Progress):
    """Render every item into one PDF: written to `path` (audited as exports), or returned for the printer (audited
    as prints) when `path` is None. Returns (the refused items, the merged PDF or None)."""
    from laopan.services.packet import merge_pdfs

    purpose = "export" if path is not None else "print"

    def run(session) -> tuple[list[str], bytes | None]:
        pdfs, failed = [], []
        for number, item in enumerate(items, 1):
            if stop.is_set():
                raise BatchCancelled(number - 1)
            try:
                pdfs.append(render_item(session, actor=actor, item=item, what=what, purpose=purpose))
            except DomainError as exc:
                failed.append(f"{item.intake_no}（{exc}）")
            progress.advanced.emit(number)
        if stop.is_set():
            raise BatchCancelled(len(items))
        merged = merge_pdfs(pdfs) if pdfs else None
        if merged is not None and path is not None:
            write_whole(path, merged)
            merged = None
        return failed, merged

    return run


class PrintCentre(QDialog):
    """The dialog. `selected_case_ids`: the cases chosen in the list (the "所选案件" scope).

    Signals:
        batch_finished(object): the `BatchOutcome` once a run ends (done, cancelled or failed).
    """

    batch_finished = Signal(object)

    def __init__(self, runner: TaskRunner, actor: Actor, *, today: QDate, selected_case_ids: tuple[int, ...] = (),
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.runner, self.actor, self.selected = runner, actor, tuple(selected_case_ids)
        self.outcome: BatchOutcome | None = None
        self.job = None  # the PrintJob while printing
        self._printer = None
        self._items: list[BatchItem] = []
        self._stop = threading.Event()
        self._progress = _Progress(self)
        self._build(today)
        self._connect_signals()

    def _build(self, today: QDate) -> None:
        tr = self.tr
        self.setWindowTitle(tr("打印中心"))
        self.day_radio, self.month_radio = QRadioButton(tr("某日签订的协议")), QRadioButton(tr("某月签订的协议"))
        self.selected_radio = QRadioButton(tr("所选案件（%1件）").replace("%1", str(len(self.selected))))
        self.selected_radio.setEnabled(bool(self.selected))
        self.month_radio.setChecked(True)
        self.scope = QButtonGroup(self)
        for button in (self.day_radio, self.month_radio, self.selected_radio):
            self.scope.addButton(button)
        self.day_edit = QDateEdit(today)
        self.day_edit.setDisplayFormat("yyyy年M月d日")
        self.day_edit.setCalendarPopup(True)
        self.month_edit = QDateEdit(QDate(today.year(), today.month(), 1))
        self.month_edit.setDisplayFormat("yyyy年M月")
        self.what_combo = QComboBox()
        self.what_combo.addItem(tr("人民调解协议书"), "agreement")
        self.what_combo.addItem(tr("整本卷宗（封面、目录、全部文书和扫描件）"), "packet")
        self.one_radio, self.folder_radio = QRadioButton(tr("合成一个 PDF 文件")), QRadioButton(tr("每份一个 PDF，存入文件夹"))
        self.printer_radio = QRadioButton(tr("直接打印（选择打印机）"))
        self.folder_radio.setChecked(True)
        self.target = QButtonGroup(self)
        for button in (self.folder_radio, self.one_radio, self.printer_radio):
            self.target.addButton(button)
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(tr("保存到…"))
        self.browse_button = QPushButton(tr("选择…"))
        self.start_button = QPushButton(tr("开始导出"))
        self.start_button.setDefault(True)
        self.cancel_button = QPushButton(tr("取消"))
        self.cancel_button.setEnabled(False)
        self.progress_bar = QProgressBar()
        self.progress_bar.setFormat(tr("%v / %m 份"))
        self.progress_bar.setValue(0)
        self.status_label = QLabel(tr("选择范围和保存位置后开始。"))
        self.status_label.setWordWrap(True)

        form = QFormLayout()
        day_row, month_row = QHBoxLayout(), QHBoxLayout()
        day_row.addWidget(self.day_radio)
        day_row.addWidget(self.day_edit, 1)
        month_row.addWidget(self.month_radio)
        month_row.addWidget(self.month_edit, 1)
        scope_box = QVBoxLayout()
        scope_box.addLayout(day_row)
        scope_box.addLayout(month_row)
        scope_box.addWidget(self.selected_radio)
        form.addRow(tr("范围："), scope_box)
        form.addRow(tr("文书："), self.what_combo)
        target_box = QVBoxLayout()
        target_box.addWidget(self.folder_radio)
        target_box.addWidget(self.one_radio)
        target_box.addWidget(self.printer_radio)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)
        target_box.addLayout(path_row)
        form.addRow(tr("导出到："), target_box)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress_bar, 1)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status_label)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("整本卷宗（封面、目录、全部文书和扫描件）") * 2)

    def _connect_signals(self) -> None:
        self.start_button.clicked.connect(self._on_start_button_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        self._progress.advanced.connect(self._on_progress_advanced)

    # ------------------------------------------------------------------ choosing

    @Slot()
    def _on_browse_button_clicked(self) -> None:
        if self.folder_radio.isChecked():
            chosen = QFileDialog.getExistingDirectory(self, self.tr("选择文件夹"))
        else:
            chosen, _ = QFileDialog.getSaveFileName(self, self.tr("保存为"), "", self.tr("PDF 文件 (*.pdf)"))
        if chosen:
            self.path_edit.setText(chosen)

    def _lister(self):
        actor = self.actor
        if self.selected_radio.isChecked():
            chosen = list(self.selected)
            return lambda session: cases_by_id(session, actor=actor, case_ids=chosen)
        if self.day_radio.isChecked():
            first = last = self.day_edit.date().toPython()
        else:
            first, last = month_bounds(self.month_edit.date().toPython())
        return lambda session: agreements_signed(session, actor=actor, first=first, last=last)

    # ------------------------------------------------------------------ running

    @property
    def running(self) -> bool:
        return self.cancel_button.isEnabled()

    @Slot()
    def _on_start_button_clicked(self) -> None:
        if self.printer_radio.isChecked():
            from ui.agreements.printing import prepare_printer, print_dialog

            printer = prepare_printer(1, document_name=self.tr("打印中心"))
            dialog = print_dialog(printer, self)
            dialog.accepted.connect(lambda: self.print_to(printer))
            dialog.finished.connect(dialog.deleteLater)
            QDialog.open(dialog)  # QPrintDialog.open() is the (receiver, slot) overload in PySide
            return
        if not self.path_edit.text().strip():
            self.status_label.setText(self.tr("请先选择保存位置。"))
            return
        self._begin()

    def print_to(self, printer) -> None:
        """Render the chosen papers (audited as prints) and send them to `printer` (set up; no dialog) through the
        agreement tab's print path (`ui.agreements.printing.PrintJob`)."""
        self.printer_radio.setChecked(True)
        self._printer = printer
        self._begin()

    def _begin(self) -> None:
        self.outcome = BatchOutcome(printing=self.printer_radio.isChecked())
        self.progress_bar.setFormat(self.tr("%v / %m 份"))
        self._stop.clear()
        self._set_running(True)
        self.status_label.setText(self.tr("正在查找…"))
        self.runner.read(self._lister(), on_done=self._on_items_listed, on_error=self._on_batch_error, group=GROUP)

    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        for widget in (self.day_radio, self.month_radio, self.selected_radio, self.day_edit, self.month_edit, self.what_combo,
                       self.one_radio, self.folder_radio, self.printer_radio, self.path_edit, self.browse_button):
            widget.setEnabled(not running and (widget is not self.selected_radio or bool(self.selected)))

    def _on_items_listed(self, items: list[BatchItem]) -> None:
        self._items = items
        self.outcome.total = len(items)
        self.progress_bar.setRange(0, max(len(items), 1))
        self.progress_bar.setValue(0)
        if not items or self._stop.is_set():
            self.outcome.cancelled = self._stop.is_set()
            return self._finish()
        what, path = self.what_combo.currentData(), Path(self.path_edit.text().strip())
        self.status_label.setText(self.tr("正在生成…"))
        if self.one_radio.isChecked() or self.printer_radio.isChecked():
            path = None if self.printer_radio.isChecked() else path
            task = _one_pdf_task(self.actor, items, what, path, self._stop, self._progress)
            self.runner.write(task, on_done=lambda result: self._on_one_pdf_done(*result, path),
                              on_error=self._on_batch_error, group=GROUP)
        else:
            try:
                path.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                self.outcome.error = self.tr("无法创建文件夹 %1：%2").replace("%1", str(path)).replace("%2", exc.strerror or "")
                return self._finish()
            self._next_file(path, what)

    def _next_file(self, folder: Path, what: str) -> None:
        outcome = self.outcome
        if self._stop.is_set() or outcome.done >= outcome.total:
            outcome.cancelled = self._stop.is_set() and outcome.done < outcome.total
            return self._finish()
        item, actor = self._items[outcome.done], self.actor
        target = folder / file_name(item, what)

        def task(session) -> str:
            write_whole(target, render_item(session, actor=actor, item=item, what=what))
            return str(target)

        def failed(error: BaseException) -> None:
            if not isinstance(error, DomainError):
                return self._on_batch_error(error)
            outcome.failed.append(f"{item.intake_no}（{error}）")
            self._advance(folder, what)

        def written(name: str) -> None:
            outcome.written.append(name)
            self._advance(folder, what)

        self.runner.write(task, on_done=written, on_error=failed, group=GROUP)

    def _advance(self, folder: Path, what: str) -> None:
        self.outcome.done += 1
        self.progress_bar.setValue(self.outcome.done)
        self._next_file(folder, what)

    @Slot(int)
    def _on_progress_advanced(self, number: int) -> None:
        if self.outcome is not None and self.running:
            self.outcome.done = number
            self.progress_bar.setValue(number)

    def _on_one_pdf_done(self, failed: list[str], merged: bytes | None, path: Path | None) -> None:
        self.outcome.failed += failed
        self.outcome.done = self.outcome.total
        if path is None and merged is not None:
            return self._print(merged)
        if len(failed) < self.outcome.total and path is not None:
            self.outcome.written.append(str(path))
        self._finish()

    def _print(self, pdf: bytes) -> None:
        from ui.agreements.printing import PrintJob

        self.status_label.setText(self.tr("正在打印…"))
        self.outcome.sent = True
        self.progress_bar.setFormat(self.tr("%v / %m 页"))
        self.job = PrintJob(self.runner, pdf, self._printer, self)
        self.job.progressed.connect(self._on_job_progressed)
        self.job.finished.connect(self._on_job_finished)
        self.job.start()

    @Slot(int, int)
    def _on_job_progressed(self, done: int, pages: int) -> None:
        self.progress_bar.setRange(0, pages)
        self.progress_bar.setValue(done)

    @Slot(bool, str)
    def _on_job_finished(self, ok: bool, message: str) -> None:
        self.outcome.cancelled = self._stop.is_set() and not ok
        if ok:
            self.outcome.written.append(message)
        elif not self.outcome.cancelled:
            self.outcome.error = message
        self._finish()

    def _on_batch_error(self, error: BaseException) -> None:
        if isinstance(error, BatchCancelled):
            self.outcome.cancelled = True
            self.outcome.done = error.args[0] if error.args else self.outcome.done
        else:
            self.outcome.error = str(error)
        self._finish()

    @Slot()
    def _on_cancel_button_clicked(self) -> None:
        """Stop after the item in hand (a folder run) or at once with nothing written (a one-PDF run)."""
        self._stop.set()
        self.cancel_button.setEnabled(False)
        self.status_label.setText(self.tr("正在取消…"))
        if self.job is not None and self.job.running:
            self.job.cancel()

    def _finish(self) -> None:
        self._set_running(False)
        self.status_label.setText(self.outcome.text())
        self.batch_finished.emit(self.outcome)

    def reject(self) -> None:
        """Closing the dialog while running cancels first (the worker finishes the item in hand)."""
        self._stop.set()
        super().reject()


def open_print_centre(runner: TaskRunner, actor: Actor, time_zone: str, parent: QWidget, case_id: int | None) -> PrintCentre:
    """Open the dialog over the window, the current case (if any) as the selection."""
    from PySide6.QtCore import Qt

    today = actor.today(time_zone)
    dialog = PrintCentre(runner, actor, today=QDate(today.year, today.month, today.day),
                         selected_case_ids=(case_id,) if case_id is not None else (), parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
