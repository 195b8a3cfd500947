"""The 案件 page of the desk window: the search box and filters, the lazy case list, and the case pane below it.

`CaseListPart` is mixed into `MainWindow`: the window's other parts (the status bar's overdue count, the 统计
page's drill-down, a new case) and the tests reach these widgets as the window's own. It expects of the window
`desk`, `runner`, `model`, `info`, `show_page`, `open_case`, `_on_task_failed` and the state set in its
`__init__` (`_mine_only`, `_extra_filters`, `_search_timer`, `_columns_sized`, `_select_after_reload`,
`_first_page_seen`), and the `first_page_loaded` signal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from laopan.labels import choices
from laopan.models.enums import CaseStatus, Level
from laopan.services.cases import CaseFilter
from laopan.services.search_audit import audit_search, revealing_term
from laopan.services.sections import may_import
from ui.cases.ledger_export import LedgerExporter
from ui.cases.model import BLOCK, CASE_ID_ROLE, COL_PARTIES, COLUMN_COUNT, cell_text, headers
from ui.common import style
from ui.common.empty_overlay import EmptyOverlay
from ui.common.fields import combo

if TYPE_CHECKING:
    from ui.cases.detail import CaseDetailPanel

DETAIL_AFTER_MS = 50  # the case pane is built this long after the first page is in the list
SPLIT = (45, 55)  # list : case pane, in proportion

_SAMPLE_TEXT = ("DL2026-00000", "2026-11-27", "张卫东 诉 王丽萍", "道路交通事故", "社区", "结案归档", "潘明杰", "逾期30天")


class CaseListPart:
    """The 案件 page's widgets and behaviour, as part of the main window (module docstring)."""

    def _build_case_page(self) -> None:
        tr = self.tr
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(tr("搜索：姓名 / 电话尾号 / 身份证 / 编号（Ctrl+F）"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("搜索：姓名 / 电话尾号 / 身份证 / 编号（Ctrl+F）") + 40)
        self.who_label = QLabel(self.desk.committee_name)
        self.who_label.setStyleSheet(f"color: {style.MUTED.name()};")
        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        # 台账 in and out: importing is for supervisors and administrators (the ledger service's rule).
        self.import_ledger_button = QPushButton(tr("导入台账…"))
        self.import_ledger_button.setVisible(may_import(self.desk.actor))
        self.export_ledger_button = QPushButton(tr("导出台账…"))
        self.export_ledger_button.setToolTip(tr("把当前筛选出的案件导出为 Excel 台账（个人信息已遮蔽）"))
        self.ledger_exporter = LedgerExporter(self.runner, self.desk.actor, self)
        self.ledger_import_dialog = None  # a LedgerImportDialog once opened (imported then: not at start-up)
        self.print_centre_button = QPushButton(tr("打印中心…"))  # many agreements or 卷宗 at once (ui/printing)
        self.print_centre_button.setVisible(self.desk.actor.is_supervisor and self.desk.actor.may_reveal)
        top.addWidget(self.import_ledger_button)
        top.addWidget(self.export_ledger_button)
        top.addWidget(self.print_centre_button)
        top.addStretch(0)
        top.addWidget(self.who_label)

        self.level_combo = combo([(tr("全部"), None), *choices(Level)])
        self.status_combo = combo([(tr("全部"), None), *choices(CaseStatus)])
        self.type_combo = combo([(tr("全部"), None)])
        self.community_combo = combo([(tr("全部"), None)])
        self.due_combo = combo([(tr("全部"), None), (tr("逾期"), "overdue"), (tr("3天内到期"), "due_soon")])
        self.count_label = QLabel()
        self.new_case_button = QPushButton(tr("+ 新建案件"))
        self.new_case_button.setToolTip(tr("登记新的纠纷案件（Ctrl+N）"))
        self.new_case_button.setEnabled(False)  # until the dictionaries are loaded
        filters = QHBoxLayout()
        for text, box in (
            (tr("层级"), self.level_combo), (tr("状态"), self.status_combo), (tr("类型"), self.type_combo),
            (tr("社区"), self.community_combo), (tr("期限"), self.due_combo),
        ):
            filters.addWidget(QLabel(text))
            filters.addWidget(box)
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.extra_filter_label = QLabel()
        self.extra_filter_label.setStyleSheet(f"color: {style.MUTED.name()};")
        self.clear_extra_button = QPushButton(tr("清除统计条件"))
        self.extra_filter_label.hide()
        self.clear_extra_button.hide()
        filters.addWidget(self.extra_filter_label)
        filters.addWidget(self.clear_extra_button)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        filters.addWidget(self.new_case_button)

        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.view.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # never ResizeToContents on a big model
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        columns = self.view.horizontalHeader()
        columns.setHighlightSections(False)
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        columns.setSectionResizeMode(COL_PARTIES, QHeaderView.ResizeMode.Stretch)
        columns.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self._size_columns([_SAMPLE_TEXT])
        self.empty_note = EmptyOverlay(self.view)

        # The case pane is built after the first page (or when a case is opened first): `detail`.
        self._detail: CaseDetailPanel | None = None
        self._detail_slot = QWidget()
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self._detail_slot)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        # An empty slot has no size of its own: split as the built pane did (~11 rows of list at 1366×768), in
        # proportion, until the remembered layout (restore_layout) or the user's hand says otherwise.
        self.splitter.setSizes(list(SPLIT))

        self.cases_page = QWidget()
        right = QVBoxLayout(self.cases_page)
        right.setContentsMargins(0, 0, 0, 0)
        right.addLayout(top)
        right.addLayout(filters)
        right.addWidget(self.splitter, 1)

    @property
    def detail(self) -> CaseDetailPanel:
        """The case pane, built on first use. Its modules (the lifecycle, agreement and document services, ~0.2 s
        of imports) need not hold up the window's first page: it is built just after it (`_build_detail_soon`)."""
        if self._detail is None:
            from ui.cases.detail import CaseDetailPanel

            detail = CaseDetailPanel(self.runner, self.desk.actor)
            detail.load_failed.connect(self._on_task_failed)
            detail.case_requested.connect(self.open_case)
            sizes = self.splitter.sizes()
            self.splitter.replaceWidget(1, detail)
            self.splitter.setSizes(sizes)  # the pane takes the slot's place and size, the list keeps its rows
            self._detail_slot.deleteLater()
            self._detail = detail
        return self._detail

    def _shown_case_id(self) -> int | None:
        """The case in the pane, without building the pane to ask."""
        return None if self._detail is None else self._detail.case_id

    def _build_detail_soon(self) -> None:
        # After the first page has been painted; a click on a row in the meantime waits in the event queue. The
        # window is the timer's context: closed before it fires, nothing runs.
        QTimer.singleShot(DETAIL_AFTER_MS, self, self._on_detail_timer_timeout)

    @Slot()
    def _on_detail_timer_timeout(self) -> None:
        self.detail  # noqa: B018 - builds it

    # ------------------------------------------------------------------ filters and search

    def current_filters(self) -> CaseFilter:
        text = self.search_edit.text().strip()
        return CaseFilter(
            level=self.level_combo.currentData(),
            status=self.status_combo.currentData(),
            dispute_type=self.type_combo.currentData(),
            community=self.community_combo.currentData(),
            due=self.due_combo.currentData(),
            # "my overdue cases" from the status bar, else a mediator condition from a 统计 click
            mediator_id=self._mine_only if self._mine_only is not None else self._extra_filters.mediator_id,
            text=text or None,
            source=self._extra_filters.source,
            received_from=self._extra_filters.received_from,
            received_to=self._extra_filters.received_to,
        )

    def show_cases(self, filters: CaseFilter) -> None:
        """The 案件 page with exactly these filters (from a click on the 统计 page); the conditions without a
        combo box are named above the list, with a button that clears them."""
        boxes = ((self.level_combo, filters.level), (self.status_combo, filters.status), (self.type_combo, filters.dispute_type),
                 (self.community_combo, filters.community), (self.due_combo, filters.due))
        for box, code in boxes:
            box.blockSignals(True)
            box.setCurrentIndex(max(0, box.findData(code)))
            box.blockSignals(False)
        self.search_edit.blockSignals(True)
        self.search_edit.setText(filters.text or "")
        self.search_edit.blockSignals(False)
        self._extra_filters = CaseFilter(source=filters.source, received_from=filters.received_from,
                                         received_to=filters.received_to, mediator_id=filters.mediator_id)
        self._show_extra_filters()
        self.show_page(self.cases_page)
        self._apply_filters()

    def _show_extra_filters(self) -> None:
        extra = self._extra_filters
        parts = []
        if extra.received_from or extra.received_to:
            parts.append(self.tr("登记 %1 至 %2").replace("%1", str(extra.received_from or "")).replace("%2", str(extra.received_to or "")))
        if extra.source:
            parts.append(self.tr("来源 %1").replace("%1", dict((c, t) for c, t in (self.info.sources if self.info else ())).get(extra.source, extra.source)))
        if extra.mediator_id is not None:
            parts.append(self.tr("调解员参与"))
        self.extra_filter_label.setText(self.tr("统计条件：%1").replace("%1", "，".join(parts)))
        self.extra_filter_label.setVisible(bool(parts))
        self.clear_extra_button.setVisible(bool(parts))

    @Slot()
    def _on_clear_extra_button_clicked(self) -> None:
        self._extra_filters = CaseFilter()
        self._show_extra_filters()
        self._apply_filters()

    def _apply_filters(self) -> None:
        self._search_timer.stop()
        filters = self.current_filters()
        if filters != self.model.filters:
            if filters.text and filters.text != self.model.filters.text and revealing_term(filters.text):
                # a whole ID/phone number confirms a person's case: audited as a reveal (the term masked)
                actor, text = self.desk.actor, filters.text
                self.runner.write(lambda s: audit_search(s, actor=actor, text=text))
            self.model.set_filters(filters)

    @Slot()
    def _on_filter_combo_changed(self) -> None:
        self._mine_only = None  # "my overdue cases" from the status bar ends when the user filters otherwise
        self._apply_filters()

    @Slot(str)
    def _on_search_edit_text_changed(self, _text: str) -> None:
        self._search_timer.start()

    @Slot()
    def _on_search_timer_timeout(self) -> None:
        self._apply_filters()

    @Slot()
    def _on_search_shortcut_activated(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    # ------------------------------------------------------------------ list

    @Slot(int)
    def _on_model_count_changed(self, count: int) -> None:
        if self.model.count_capped:  # counting stops there; the list still scrolls on (DESIGN §6)
            self.count_label.setText(self.tr("共 %1+ 件").replace("%1", f"{count - 1:,}"))
        else:
            self.count_label.setText(self.tr("共 %1 件").replace("%1", f"{count:,}"))
        if count:
            self.empty_note.hide()
            return
        # Nothing matches: say so over the list, and the case below (of an earlier search) goes.
        searched = self.current_filters() != CaseFilter()
        self.empty_note.show_text(self.tr("未找到符合条件的案件") if searched else self.tr("尚无案件"))
        if self._shown_case_id() is not None:
            self.detail.show_case(None)

    @Slot()
    def _on_model_first_block_loaded(self) -> None:
        if not self._columns_sized and self.model.rowCount():
            self._columns_sized = True
            sample = self.model.loaded_rows()[:BLOCK]
            self._size_columns([[cell_text(row, column) for column in range(COLUMN_COUNT)] for row in sample])
        wanted = self._select_after_reload if self._select_after_reload is not None else self._shown_case_id()
        self._select_after_reload = None
        row = self.model.find_row(wanted) if wanted is not None else None
        if row is not None:
            self.select_row(row)
        if not self._first_page_seen:
            self._first_page_seen = True
            self.first_page_loaded.emit(self.model.rowCount())
            self._count_overdue()  # the status bar's count, after the list (one reading thread)
            self._build_detail_soon()

    @Slot(int)
    def _on_model_block_loaded(self, number: int) -> None:
        current = self.view.currentIndex()
        if current.isValid() and current.row() // BLOCK == number:
            case_id = current.siblingAtColumn(0).data(CASE_ID_ROLE)
            if case_id is not None and case_id != self.detail.case_id:
                self.detail.show_case(case_id)

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.view.scrollTo(index)

    @Slot(QModelIndex, QModelIndex)
    def _on_view_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        case_id = current.siblingAtColumn(0).data(CASE_ID_ROLE)
        if case_id is not None and case_id != self.detail.case_id:
            self.detail.show_case(case_id)

    def _size_columns(self, sample: list) -> None:
        """Column widths from a sample of rows (PITFALLS: ResizeToContents on 100k rows takes minutes)."""
        metrics = self.view.fontMetrics()
        titles = headers()
        header = self.view.horizontalHeader()
        for column in range(COLUMN_COUNT):
            if column == COL_PARTIES:
                continue
            texts = [titles[column], _SAMPLE_TEXT[column], *(row[column] for row in sample)]
            width = max(metrics.horizontalAdvance(text) for text in texts) + 24
            header.resizeSection(column, min(width, 260))
