"""导出台账: the case list as it is filtered now, to Excel, masked as the exporter's role requires (issue 15 item 6).

The export runs on the worker as one write (it is audited); a busy dialog shows its progress meanwhile.
`laopan.ledger.export` owns the columns, the masking and the audit entry.
"""

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QWidget

from laopan import paths
from laopan.clock import format_date_cn
from laopan.errors import DomainError
from laopan.ledger.export import export_cases_xlsx
from laopan.services.actor import Actor
from laopan.services.cases import CaseFilter
from ui.common.worker import TaskRunner

log = logging.getLogger(__name__)


class _Progress(QObject):
    """Emitted on the worker thread, delivered on the GUI thread (queued).

    Signals:
        progressed(int, int): cases written, cases in all.
    """

    progressed = Signal(int, int)


class LedgerExporter(QObject):
    """Asks where to save, then exports on the worker.

    Signals:
        exported(int, str): the number of cases and the file written.
        export_failed(str): why nothing was written.
    """

    exported = Signal(int, str)
    export_failed = Signal(str)

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget):
        super().__init__(parent)
        self._runner = runner
        self._actor = actor
        self._window = parent
        self.progress_dialog: QProgressDialog | None = None

    def default_path(self, time_zone: str) -> Path:
        """台账_2026年12月4日.xlsx in the desk's exports folder."""
        return paths.exports_dir() / f"台账_{format_date_cn(self._actor.today(time_zone))}.xlsx"

    def ask_and_export(self, filters: CaseFilter, time_zone: str) -> None:
        name, _filter = QFileDialog.getSaveFileName(self._window, self.tr("导出台账"), str(self.default_path(time_zone)),
                                                    self.tr("Excel 工作簿 (*.xlsx)"))
        if name:
            self.export(filters, name)

    @property
    def busy(self) -> bool:
        return self.progress_dialog is not None

    def export(self, filters: CaseFilter, path: str | Path) -> None:
        path = Path(path)
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        actor = self._actor
        progress = _Progress()
        progress.progressed.connect(self._on_export_progressed)
        dialog = QProgressDialog(self.tr("正在导出台账…"), "", 0, 0, self._window)
        dialog.setWindowTitle(self.tr("导出台账"))
        dialog.setCancelButton(None)  # the export has no safe stopping point; it is short
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        self.progress_dialog = dialog
        dialog.show()

        def run(session):
            return export_cases_xlsx(session, actor=actor, filters=filters, path=path,
                                     progress=lambda done, total: progress.progressed.emit(done, total))

        self._runner.write(run, on_done=lambda count: self._on_exported(count, path), on_error=self._on_export_failed)

    @Slot(int, int)
    def _on_export_progressed(self, done: int, total: int) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.setMaximum(total)
            self.progress_dialog.setValue(done)

    def _close_progress(self) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None

    def _on_exported(self, count: int, path: Path) -> None:
        self._close_progress()
        self.exported.emit(count, str(path))

    def _on_export_failed(self, error: BaseException) -> None:
        self._close_progress()
        if isinstance(error, DomainError):
            reason = str(error)
        elif isinstance(error, OSError):
            reason = self.tr("无法写入 %1（%2）").replace("%1", str(error.filename or "")).replace("%2", error.strerror or str(error))
        else:
            log.error("导出台账失败", exc_info=error)
            reason = self.tr("导出失败：%1").replace("%1", repr(error))
        self.export_failed.emit(reason)
