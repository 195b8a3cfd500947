"""警调对接月度台账: one row per police station for a month's referrals plus the 合计 row, exported to Excel or CSV.

The ledger is counted by `monthly_ledger` on the worker; export goes through `export_ledger` (which writes the
audit entry), also on the worker. Only counts are shown — nothing personal (DESIGN §4 privacy).
"""

import datetime as dt
import logging
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from laopan import paths
from laopan.errors import DomainError
from laopan.services.actor import Actor
from laopan.services.station_ledger import COLUMNS, export_ledger, monthly_ledger
from laopan.validation import ValidationError
from laopan.views.referrals import LedgerRow
from ui.common import style
from ui.common.worker import TaskRunner

log = logging.getLogger(__name__)

TOTAL = "合计"
TOTAL_BACKGROUND = QColor("#eeeeee")
Index = QModelIndex | QPersistentModelIndex


class LedgerTableModel(QAbstractTableModel):
    """The ledger's rows as `LedgerRow.cells()`, the 合计 row in bold. No signals."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._rows: list[LedgerRow] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows: list[LedgerRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_data(self, row: int) -> LedgerRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return self.tr(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_data(index.row()) if index.isValid() else None
        if row is None:
            return None
        total = row.station == TOTAL
        if role == Qt.ItemDataRole.DisplayRole:
            return str(row.cells()[index.column()])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            side = Qt.AlignmentFlag.AlignLeft if index.column() == 0 else Qt.AlignmentFlag.AlignRight
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if total else None
        if role == Qt.ItemDataRole.BackgroundRole:
            return TOTAL_BACKGROUND if total else None
        return None


def _month_start(day: dt.date) -> QDate:
    return QDate(day.year, day.month, 1)


class LedgerPage(QWidget):
    """Month picker, the ledger table, 导出 Excel / 导出 CSV.

    Signals:
        ledger_loaded(int): the month's ledger arrived (its row count, 合计 included).
        exported(str): the ledger was written to this path.
    """

    ledger_loaded = Signal(int)
    exported = Signal(str)

    def __init__(self, runner: TaskRunner, actor: Actor, time_zone: str = "Asia/Shanghai", parent: QWidget | None = None):
        super().__init__(parent)
        self._runner = runner
        self._actor = actor
        self._zone = ZoneInfo(time_zone)
        self._group = f"ledger-{id(self)}"
        self._loaded_month: tuple[int, int] | None = None
        self.model = LedgerTableModel(self)
        self._build()
        self._connect_signals()

    def _build(self) -> None:
        tr = self.tr
        today = self._actor.clock.now().astimezone(self._zone).date()
        self.month_edit = QDateEdit()
        self.month_edit.setDisplayFormat("yyyy年M月")
        self.month_edit.setMaximumDate(_month_start(today).addMonths(1).addDays(-1))
        self.month_edit.setDate(_month_start(today))
        self.month_edit.setCurrentSection(QDateEdit.Section.MonthSection)
        self.previous_button = QPushButton(tr("◀ 上月"))
        self.next_button = QPushButton(tr("下月 ▶"))
        self.export_xlsx_button = QPushButton(tr("导出 Excel"))
        self.export_csv_button = QPushButton(tr("导出 CSV"))
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("月份")))
        top.addWidget(self.previous_button)
        top.addWidget(self.month_edit)
        top.addWidget(self.next_button)
        top.addStretch(1)
        top.addWidget(self.export_xlsx_button)
        top.addWidget(self.export_csv_button)

        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        note = QLabel(tr("移交数按警情移交时间计入当月；应反馈：反馈期限已到或已反馈；按时反馈：在期限内反馈。"))
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {style.MUTED.name()};")

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(note)
        layout.addWidget(self.message_label)

    def _connect_signals(self) -> None:
        self.month_edit.dateChanged.connect(self._on_month_edit_date_changed)
        self.previous_button.clicked.connect(self._on_previous_button_clicked)
        self.next_button.clicked.connect(self._on_next_button_clicked)
        self.export_xlsx_button.clicked.connect(self._on_export_xlsx_button_clicked)
        self.export_csv_button.clicked.connect(self._on_export_csv_button_clicked)
        self._runner.data_changed.connect(self._on_runner_data_changed)

    # ------------------------------------------------------------------ month

    @property
    def month(self) -> tuple[int, int]:
        date = self.month_edit.date()
        return date.year(), date.month()

    def set_month(self, year: int, month: int) -> None:
        self.month_edit.setDate(QDate(year, month, 1))

    @Slot()
    def _on_month_edit_date_changed(self) -> None:
        self.reload()

    @Slot()
    def _on_previous_button_clicked(self) -> None:
        self.month_edit.setDate(self.month_edit.date().addMonths(-1))

    @Slot()
    def _on_next_button_clicked(self) -> None:
        self.month_edit.setDate(self.month_edit.date().addMonths(1))

    @Slot(object, object)
    def _on_runner_data_changed(self, kinds: frozenset, _ids: frozenset) -> None:
        if self._loaded_month is not None and kinds & {"referral", "case"}:
            self.reload()

    # ------------------------------------------------------------------ loading

    def reload(self) -> None:
        year, month = self.month
        actor = self._actor
        self._runner.cancel(self._group)
        self._runner.read(lambda session: monthly_ledger(session, actor=actor, year=year, month=month),
                          on_done=lambda rows: self._on_ledger_read((year, month), rows), on_error=self._on_failed, group=self._group)

    def _on_ledger_read(self, month: tuple[int, int], rows: list[LedgerRow]) -> None:
        self._loaded_month = month
        self.model.set_rows(rows)
        self.next_button.setEnabled(self.month_edit.date().addMonths(1) <= self.month_edit.maximumDate())
        self.ledger_loaded.emit(len(rows))

    # ------------------------------------------------------------------ export

    @Slot()
    def _on_export_xlsx_button_clicked(self) -> None:
        self._ask_and_export(".xlsx", self.tr("Excel 工作簿 (*.xlsx)"))

    @Slot()
    def _on_export_csv_button_clicked(self) -> None:
        self._ask_and_export(".csv", self.tr("CSV 文件 (*.csv)"))

    def _ask_and_export(self, suffix: str, name_filter: str) -> None:
        year, month = self.month
        suggested = paths.exports_dir() / f"警调对接月度台账-{year}-{month:02d}{suffix}"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出月度台账"), str(suggested), name_filter)
        if path:
            self.export_to(path if Path(path).suffix.lower() == suffix else path + suffix)

    def export_to(self, path: str) -> None:
        """Write the shown month's ledger to `path` (.xlsx or .csv) on the worker."""
        year, month = self.month
        actor = self._actor
        self._show_message(self.tr("正在导出…"))
        self._runner.write(lambda session: export_ledger(session, actor=actor, year=year, month=month, path=path),
                           on_done=lambda count: self._on_exported(path, count), on_error=self._on_failed)

    def _on_exported(self, path: str, count: int) -> None:
        self._show_message(self.tr("已导出 %1 行到 %2").replace("%1", str(count)).replace("%2", path))
        self.exported.emit(path)

    def _on_failed(self, error: BaseException) -> None:
        if isinstance(error, (DomainError, ValidationError)):
            self._show_message(str(error), error=True)
        else:
            self._show_message(self.tr("操作失败"), error=True)
            self._runner.task_error.emit(error)  # the window logs and shows unexpected errors once

    def _show_message(self, text: str, *, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(style.ERROR_CSS if error else "")
