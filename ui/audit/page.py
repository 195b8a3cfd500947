"""审计日志: who changed, revealed, printed, exported, logged in — filtered, newest first, loaded page by page as
the table scrolls, exportable (the export is itself audited). Supervisors and admins only (the service checks)."""

from PySide6.QtCore import QDate, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from laopan.errors import DomainError
from laopan.labels import instant_text
from laopan.services.actor import Actor
from laopan.services.audit_log import GROUPS, PAGE, AuditFilter, audit_page, content_text, export_audit
from laopan.views.audit_log import AuditRow
from ui.common.incident import report_unexpected

COLUMNS = ("时间", "用户", "类别", "操作", "受理编号", "内容", "备注")


class AuditPage(QWidget):
    """Filters on top, the entries below; scrolling to the end fetches the next page (keyset on (at, id))."""

    loaded = Signal(int)  # rows shown
    status_message = Signal(str)

    def __init__(self, runner, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self._runner = runner
        self._actor = actor
        self._rows: list[AuditRow] = []
        self._complete = False
        self._loading = False
        tr = self.tr
        self.user_edit = QLineEdit(placeholderText=tr("登录名"))
        self.case_edit = QLineEdit(placeholderText=tr("受理编号"))
        self.action_combo = QComboBox()
        self.action_combo.addItem(tr("全部操作"), None)
        for group in GROUPS:
            self.action_combo.addItem(group, group)
        self.from_edit, self.to_edit = QDateEdit(calendarPopup=True), QDateEdit(calendarPopup=True)
        for edit in (self.from_edit, self.to_edit):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setSpecialValueText(tr("不限"))
            edit.setMinimumDate(QDate(2000, 1, 1))
            edit.setDate(edit.minimumDate())
        self.search_button = QPushButton(tr("查询"))
        self.export_button = QPushButton(tr("导出…"))
        self.status_label = QLabel()
        filters = QHBoxLayout()
        for text, widget in ((tr("用户"), self.user_edit), (tr("案件"), self.case_edit), (tr("操作"), self.action_combo),
                             (tr("从"), self.from_edit), (tr("到"), self.to_edit)):
            filters.addWidget(QLabel(text))
            filters.addWidget(widget)
        filters.addWidget(self.search_button)
        filters.addStretch(1)
        filters.addWidget(self.export_button)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("审计日志（只增不改：任何人都不能修改或删除记录）")))
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)
        self.search_button.clicked.connect(self.reload)
        self.user_edit.returnPressed.connect(self.reload)
        self.case_edit.returnPressed.connect(self.reload)
        self.action_combo.currentIndexChanged.connect(self.reload)
        self.export_button.clicked.connect(self._ask_export)
        self.table.verticalScrollBar().valueChanged.connect(self._on_scrolled)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self._rows and not self._loading and not self._complete:
            self.reload()  # loaded when first opened, not at every window start

    def filters(self) -> AuditFilter:
        def day(edit: QDateEdit):
            return None if edit.date() == edit.minimumDate() else edit.date().toPython()

        return AuditFilter(login=self.user_edit.text().strip() or None, intake_no=self.case_edit.text().strip() or None,
                           group=self.action_combo.currentData(), date_from=day(self.from_edit), date_to=day(self.to_edit))

    @Slot()
    def reload(self) -> None:
        self._rows, self._complete = [], False
        self.table.setRowCount(0)
        self._fetch()

    def _fetch(self) -> None:
        if self._loading or self._complete:
            return
        self._loading = True
        actor, filters = self._actor, self.filters()
        after = self._rows[-1].key if self._rows else None
        self._runner.read(lambda s: audit_page(s, actor=actor, filters=filters, after=after),
                          on_done=self._on_page, on_error=self._on_failed)

    @Slot(int)
    def _on_scrolled(self, value: int) -> None:
        if value >= self.table.verticalScrollBar().maximum() - 5:
            self._fetch()

    def _on_page(self, page: list[AuditRow]) -> None:
        self._loading = False
        self._complete = len(page) < PAGE
        start = len(self._rows)
        self._rows += page
        self.table.setRowCount(len(self._rows))
        for index, row in enumerate(page, start):
            content = content_text(row)
            cells = (instant_text(row.at, row.at.tzinfo), row.login, row.group, row.action_label,
                     row.intake_no or "", content, row.note or "")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(index, column, item)
        self.status_label.setStyleSheet("")
        self.status_label.setText(self.tr("已显示 %1 条").replace("%1", str(len(self._rows)))
                                  + ("" if self._complete else self.tr("（向下滚动加载更多）")))
        self.loaded.emit(len(self._rows))

    def _on_failed(self, error: BaseException) -> None:
        self._loading = False
        # A refusal or a storage failure is its own Chinese sentence; a bug is logged under a reference, never shown raw.
        self.status_label.setText(str(error) if isinstance(error, DomainError) else report_unexpected(error, "审计日志读取失败"))
        self.status_label.setStyleSheet("color: #c62828;")

    @Slot()
    def _ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出审计日志"), "审计日志.xlsx", "Excel (*.xlsx);;CSV (*.csv)")
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> None:
        actor, filters = self._actor, self.filters()
        self.export_button.setEnabled(False)
        self._runner.write(lambda s: export_audit(s, actor=actor, filters=filters, path=path),
                           on_done=lambda n: self._on_exported(n, path), on_error=self._on_export_failed)

    def _on_exported(self, count: int, path: str) -> None:
        self.export_button.setEnabled(True)
        self.status_message.emit(self.tr("已导出 %1 条审计记录到 %2").replace("%1", str(count)).replace("%2", path))

    def _on_export_failed(self, error: BaseException) -> None:
        self.export_button.setEnabled(True)
        self._on_failed(error)
