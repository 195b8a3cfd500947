"""统计: a period's figures with 环比/同比, charts of the last twelve months, a breakdown table, the monthly report.

The period is a month (picker, or 本月 / 上月) or 本年; the scope narrows by community, level, mediator and
source (a mediator always sees their own cases only). Everything is read on the worker in one task. Clicking a
figure, a bar or a table row asks the window for the matching case list (`cases_requested(CaseFilter)`) —
only where a case filter selects exactly the cases counted (the cases received in the period, in the scope).
"""

import datetime as dt
from dataclasses import replace

from PySide6.QtCore import QDate, QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QMouseEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from laopan.labels import choices, date_text, label
from laopan.models.enums import Level
from laopan.services.actor import Actor
from laopan.services.cases import CaseFilter
from laopan.services.reports import export_monthly, monthly_report
from laopan.services.statistics import Comparison, Figures, Period, Row, Scope, month, rate_text
from ui.common import style
from ui.common.desk_info import DeskInfo
from ui.common.fields import combo
from ui.common.row_table import ROW_ROLE, Column, RowTableModel, table_view
from ui.common.submit_dialog import muted
from ui.common.worker import TaskRunner
from ui.statistics.charts import BAR, Bar, HorizontalBarChart, LineChart, StackedBarChart
from laopan.services.statistics_page import StatsData, StatsRequest, base_filter, load_statistics, period_text, row_filter, year

BY_CHOICES = (("纠纷类型", "dispute_type"), ("社区", "community"), ("层级", "level"), ("主持调解员", "mediator"), ("案件来源", "source"))


def _yuan(fen: int) -> str:
    return f"{fen / 100:,.2f}"


def _days(figures: Figures) -> str:
    days = figures.average_days_to_settle
    return "—" if days is None else f"{days:.1f}"


# (key, title, value for 环比/同比, shown text, clickable: a filter of the figure's cases from the period's base)
TILES = (
    ("received", "登记", lambda f: f.received, lambda f: str(f.received), lambda base: base),
    ("accepted", "受理", lambda f: f.accepted, lambda f: str(f.accepted), None),
    ("settled", "调解成功", lambda f: f.settled, lambda f: str(f.settled), None),
    ("success_rate", "成功率", lambda f: f.success_rate, lambda f: f.success_rate_text, None),
    ("pending", "在办", lambda f: f.pending, lambda f: str(f.pending), None),
    ("overdue", "逾期", lambda f: f.overdue, lambda f: str(f.overdue), lambda base: replace(base, due="overdue")),
    ("terminated", "调解终止", lambda f: f.terminated, lambda f: str(f.terminated), None),
    ("days", "平均调解天数", lambda f: f.average_days_to_settle, _days, None),
    ("amount_involved", "涉及金额（元）", lambda f: f.amount_involved_fen, lambda f: _yuan(f.amount_involved_fen), None),
    ("amount_agreed", "协议金额（元）", lambda f: f.amount_agreed_fen, lambda f: _yuan(f.amount_agreed_fen), None),
    ("prevented_criminal", "防止民转刑", lambda f: f.prevented_criminal, lambda f: str(f.prevented_criminal), None),
    ("prevented_group_petition", "防止群体性上访", lambda f: f.prevented_group_petition, lambda f: str(f.prevented_group_petition), None),
)


def change_text(key: str, now, before) -> str:
    """A change as the page shows it: percentage points for the rate, a relative change for counts."""
    if now is None or before is None:
        return "—"
    if key == "success_rate":
        return f"{(now - before) * 100:+.1f}个百分点"
    return Comparison.change(now, before)


class FigureTile(QFrame):
    """One labelled number with its 环比 and 同比; clickable when it has a case filter.

    Signals:
        clicked(object): the tile's CaseFilter.
    """

    clicked = Signal(object)

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.filter: CaseFilter | None = None
        self.title_label = QLabel(title)
        self.title_label.setStyleSheet(f"color: {style.MUTED.name()};")
        self.value_label = QLabel("—")
        font = self.value_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.value_label.setFont(font)
        self.change_label = QLabel()
        self.change_label.setStyleSheet(f"color: {style.MUTED.name()};")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(0)
        layout.addWidget(self.title_label)
        layout.addWidget(self.value_label)
        layout.addWidget(self.change_label)

    def set_value(self, text: str, change: str, case_filter: CaseFilter | None, tooltip: str) -> None:
        self.value_label.setText(text)
        self.change_label.setText(change)
        self.filter = case_filter
        self.setCursor(Qt.CursorShape.PointingHandCursor if case_filter else Qt.CursorShape.ArrowCursor)
        self.setToolTip(tooltip + (self.tr("\n点击查看这些案件") if case_filter else ""))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.filter is not None:
            self.clicked.emit(self.filter)
            return
        super().mousePressEvent(event)


def table_columns(tr, heading: str) -> list[Column]:
    number = lambda value: value  # noqa: E731 - numbers sort as numbers
    return [
        Column(heading, lambda r: r.label, stretch=True),
        Column(tr("登记"), lambda r: str(r.figures.received), sort=lambda r: r.figures.received),
        Column(tr("受理"), lambda r: str(r.figures.accepted), sort=lambda r: r.figures.accepted),
        Column(tr("调解成功"), lambda r: str(r.figures.settled), sort=lambda r: r.figures.settled),
        Column(tr("成功率"), lambda r: r.figures.success_rate_text, sort=lambda r: number(r.figures.success_rate or -1)),
        Column(tr("在办"), lambda r: str(r.figures.pending), sort=lambda r: r.figures.pending),
        Column(tr("逾期"), lambda r: str(r.figures.overdue), colour=lambda r: style.OVERDUE if r.figures.overdue else None,
               sort=lambda r: r.figures.overdue),
        Column(tr("调解终止"), lambda r: str(r.figures.terminated), sort=lambda r: r.figures.terminated),
        Column(tr("涉及金额（元）"), lambda r: _yuan(r.figures.amount_involved_fen), sort=lambda r: r.figures.amount_involved_fen),
        Column(tr("协议金额（元）"), lambda r: _yuan(r.figures.amount_agreed_fen), sort=lambda r: r.figures.amount_agreed_fen),
        Column(tr("防止民转刑"), lambda r: str(r.figures.prevented_criminal), sort=lambda r: r.figures.prevented_criminal),
        Column(tr("防止群体性上访"), lambda r: str(r.figures.prevented_group_petition), sort=lambda r: r.figures.prevented_group_petition),
    ]


class StatisticsPage(QWidget):
    """The 统计 page; reloads when shown after data changed (not while hidden).

    Signals:
        cases_requested(object): open the 案件 page with this CaseFilter.
        loaded(object): the StatsData arrived and is shown.
        status_message(str): a line for the window's status bar (an export written).
        exported(object): the paths of a written monthly report.
    """

    cases_requested = Signal(object)
    loaded = Signal(object)
    status_message = Signal(str)
    exported = Signal(object)

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self._runner = runner
        self._actor = actor
        self._group = f"statistics-{id(self)}"
        self._dirty = True
        self._today: dt.date | None = None
        self.when: Period | None = None  # until the desk info brings today's date
        self.data: StatsData | None = None
        self._build()
        self._connect_signals()

    # ---------------------------------------------------------------- building

    def _build(self) -> None:
        tr = self.tr
        self.month_edit = QDateEdit()
        self.month_edit.setDisplayFormat("yyyy年M月")
        self.month_edit.setCurrentSection(QDateEdit.Section.MonthSection)
        self.this_month_button = QPushButton(tr("本月"))
        self.last_month_button = QPushButton(tr("上月"))
        self.this_year_button = QPushButton(tr("本年"))
        self.community_combo = combo([(tr("全部"), None)])
        self.level_combo = combo([(tr("全部"), None), *choices(Level)])
        self.mediator_combo = combo([(tr("全部"), None)] if self._actor.is_supervisor else [(self._actor.display_name or self._actor.login, self._actor.mediator_id)])
        self.mediator_combo.setEnabled(self._actor.is_supervisor)
        if not self._actor.is_supervisor:
            self.mediator_combo.setToolTip(tr("调解员只能查看本人参与的案件的统计"))
        self.source_combo = combo([(tr("全部"), None)])
        self.xlsx_button = QPushButton(tr("导出 Excel…"))
        self.pdf_button = QPushButton(tr("导出 PDF…"))
        for button in (self.xlsx_button, self.pdf_button):
            button.setToolTip(tr("把所选期间和范围的人民调解工作月报表导出为文件（按纠纷类型分行）"))
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("期间")))
        for widget in (self.month_edit, self.this_month_button, self.last_month_button, self.this_year_button):
            top.addWidget(widget)
        top.addSpacing(12)
        for text, box in ((tr("社区"), self.community_combo), (tr("层级"), self.level_combo),
                          (tr("调解员"), self.mediator_combo), (tr("来源"), self.source_combo)):
            top.addWidget(QLabel(text))
            top.addWidget(box)
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        top.addStretch(1)
        top.addWidget(self.xlsx_button)
        top.addWidget(self.pdf_button)

        self.title_label = QLabel()
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title_label.setFont(font)
        self.status_label = muted()
        self.status_label.setWordWrap(False)
        head = QHBoxLayout()
        head.addWidget(self.title_label)
        head.addStretch(1)
        head.addWidget(self.status_label)

        self.tiles: dict[str, FigureTile] = {}
        grid = QGridLayout()
        grid.setSpacing(6)
        for number, (key, title, *_rest) in enumerate(TILES):
            tile = FigureTile(tr(title))
            self.tiles[key] = tile
            grid.addWidget(tile, number // 6, number % 6)

        self.months_chart = StackedBarChart(tr("近12个月受理案件（按层级）"))
        self.rate_chart = LineChart(tr("近12个月调解成功率"))
        self.type_chart = HorizontalBarChart(tr("本期案件（按纠纷类型）"))
        charts = QWidget()
        chart_grid = QGridLayout(charts)
        chart_grid.setContentsMargins(0, 4, 0, 0)
        chart_grid.addWidget(self.months_chart, 0, 0)
        chart_grid.addWidget(self.rate_chart, 1, 0)
        chart_grid.addWidget(self.type_chart, 0, 1, 2, 1)
        chart_grid.setColumnStretch(0, 3)
        chart_grid.setColumnStretch(1, 2)
        chart_grid.setRowStretch(0, 3)
        chart_grid.setRowStretch(1, 2)

        self.by_combo = combo([(tr(text), code) for text, code in BY_CHOICES])
        self.table_model = RowTableModel(table_columns(tr, tr("纠纷类型")), self)
        self.table_view = table_view(self.table_model)
        self.table_note = muted(tr("按本期登记的案件统计；双击一行查看这些案件。"))
        table_page = QWidget()
        table_layout = QVBoxLayout(table_page)
        by_line = QHBoxLayout()
        by_line.addWidget(QLabel(tr("分组")))
        by_line.addWidget(self.by_combo)
        by_line.addWidget(self.table_note, 1)
        table_layout.addLayout(by_line)
        table_layout.addWidget(self.table_view, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(charts, tr("图表"))
        self.tabs.addTab(table_page, tr("分项统计"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(head)
        layout.addLayout(grid)
        layout.addWidget(self.tabs, 1)
        self._set_busy(True)

    def _connect_signals(self) -> None:
        self.month_edit.dateChanged.connect(self._on_month_edit_date_changed)
        self.this_month_button.clicked.connect(self._on_this_month_button_clicked)
        self.last_month_button.clicked.connect(self._on_last_month_button_clicked)
        self.this_year_button.clicked.connect(self._on_this_year_button_clicked)
        for box in (self.community_combo, self.level_combo, self.mediator_combo, self.source_combo, self.by_combo):
            box.currentIndexChanged.connect(self._on_scope_combo_changed)
        for tile in self.tiles.values():
            tile.clicked.connect(self.cases_requested)
        for chart in (self.months_chart, self.type_chart):
            chart.bar_clicked.connect(self.cases_requested)
        self.table_view.activated.connect(self._on_table_view_activated)
        self.xlsx_button.clicked.connect(self._on_xlsx_button_clicked)
        self.pdf_button.clicked.connect(self._on_pdf_button_clicked)
        self._runner.data_changed.connect(self._on_runner_data_changed)

    def set_info(self, info: DeskInfo) -> None:
        """The dictionaries and today's date arrived: fill the scope choices and show this month."""
        for name in info.communities:
            self.community_combo.addItem(name, name)
        for code, text in info.sources:
            self.source_combo.addItem(text, code)
        self._today = info.today
        if self._actor.is_supervisor:
            self._runner.read(self._load_mediators, on_done=self._on_mediators_loaded)
        self.set_period(month(info.today.year, info.today.month))

    def _load_mediators(self, session) -> list[tuple[str, int]]:
        from laopan.services.mediators import list_mediators

        return [(view.name, view.id) for view in list_mediators(session, actor=self._actor)]

    def _on_mediators_loaded(self, mediators: list[tuple[str, int]]) -> None:
        self.mediator_combo.blockSignals(True)
        for name, mediator_id in mediators:
            self.mediator_combo.addItem(name, mediator_id)
        self.mediator_combo.blockSignals(False)

    # ---------------------------------------------------------------- period and scope

    def set_period(self, when: Period) -> None:
        self.when = when
        self.month_edit.blockSignals(True)
        self.month_edit.setDate(QDate(when.last.year, when.last.month, 1))
        self.month_edit.blockSignals(False)
        self.refresh()

    def scope(self) -> Scope:
        return Scope(community=self.community_combo.currentData(), level=self.level_combo.currentData(),
                     mediator_id=self.mediator_combo.currentData(), source=self.source_combo.currentData())

    def request(self) -> StatsRequest | None:
        return None if self.when is None else StatsRequest(self.when, self.scope(), self.by_combo.currentData())

    @Slot(QDate)
    def _on_month_edit_date_changed(self, date: QDate) -> None:
        self.set_period(month(date.year(), date.month()))

    @Slot()
    def _on_this_month_button_clicked(self) -> None:
        if self._today is not None:
            self.set_period(month(self._today.year, self._today.month))

    @Slot()
    def _on_last_month_button_clicked(self) -> None:
        if self._today is not None:
            self.set_period(month(self._today.year, self._today.month).previous_month())

    @Slot()
    def _on_this_year_button_clicked(self) -> None:
        if self._today is not None:
            self.set_period(year(self._today.year))

    @Slot()
    def _on_scope_combo_changed(self) -> None:
        self.refresh()

    # ---------------------------------------------------------------- loading

    def refresh(self) -> None:
        """Read again now if shown, else when next shown (a new period or scope, data_changed, F5)."""
        self._dirty = True
        if self.isVisible():
            self.reload()

    def reload(self) -> None:
        request = self.request()
        if request is None:
            return
        self._dirty = False
        self._runner.cancel(self._group)
        self._set_busy(True)
        actor = self._actor
        self._runner.read(lambda session: load_statistics(session, actor=actor, request=request),
                          on_done=self._on_loaded, on_error=self._on_load_failed, group=self._group)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.reload()

    def _set_busy(self, busy: bool) -> None:
        self.status_label.setText(self.tr("正在统计…") if busy else "")

    def _on_load_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.status_label.setText(str(error))
        self.status_label.setStyleSheet(style.ERROR_CSS)

    def _on_loaded(self, data: StatsData) -> None:
        tr = self.tr
        self.data = data
        self._set_busy(False)
        self.status_label.setStyleSheet(f"color: {style.MUTED.name()};")
        when = data.request.when
        self.title_label.setText(tr("%1 统计").replace("%1", period_text(when)))
        self.status_label.setText(tr("按本期登记的案件统计；逾期截至 %1").replace("%1", date_text(data.today)))
        self._show_tiles(data)
        self._show_charts(data)
        by = data.request.by
        self.table_model = RowTableModel(table_columns(tr, tr(dict((c, t) for t, c in BY_CHOICES)[by])), self)
        self.table_model.set_rows(data.table)
        self.table_view.setModel(self.table_model)
        self.loaded.emit(data)

    def _show_tiles(self, data: StatsData) -> None:
        tr = self.tr
        base = base_filter(data.scope, data.request.when)
        for key, title, value, text, clickable in TILES:
            now = value(data.current.totals)
            changes = []
            if data.previous is not None:
                changes.append(tr("环比 %1").replace("%1", change_text(key, now, value(data.previous.totals))))
            changes.append(tr("同比 %1").replace("%1", change_text(key, now, value(data.last_year.totals))))
            tip = tr("%1：%2").replace("%1", tr(title)).replace("%2", text(data.current.totals))
            if data.previous is not None:
                tip += tr("\n上月：%1").replace("%1", text(data.previous.totals))
            tip += tr("\n去年同期：%1").replace("%1", text(data.last_year.totals))
            self.tiles[key].set_value(text(data.current.totals), "　".join(changes), clickable(base) if clickable else None, tip)

    def _show_charts(self, data: StatsData) -> None:
        tr = self.tr
        columns = []
        for item in data.series:
            axis = f"{item.period.first.month}月" if item.period.first.month != 1 else f"{item.period.first.year % 100}年1月"
            segments = []
            for level in Level:
                figures = item.by_level[level.value]
                filter_ = base_filter(data.scope, item.period)
                exact = filter_.level in (None, level.value)
                tip = tr("%1 %2：%3 件").replace("%1", item.period.label).replace("%2", label(level)).replace("%3", str(figures.received))
                segments.append(Bar(label(level), figures.received, style.LEVEL_COLOURS[level.value], tip,
                                    replace(filter_, level=level.value) if exact and figures.received else None))
            columns.append((axis, segments))
        self.months_chart.set_data(columns, [(label(level), style.LEVEL_COLOURS[level.value]) for level in Level])
        self.rate_chart.set_data([
            (f"{item.period.first.month}月", item.figures.success_rate,
             tr("%1：成功率 %2（调解成功 %3 / 受理 %4）").replace("%1", item.period.label).replace("%2", rate_text(item.figures.success_rate))
             .replace("%3", str(item.figures.settled)).replace("%4", str(item.figures.accepted)))
            for item in data.series
        ])
        self.type_chart.title = tr("%1 案件（按纠纷类型）").replace("%1", period_text(data.request.when))
        rows = sorted((row for row in data.by_type if row.figures.received), key=lambda row: -row.figures.received)
        self.type_chart.set_data([
            Bar(row.label, row.figures.received, BAR, tr("%1：%2 件，调解成功 %3 件").replace("%1", row.label)
                .replace("%2", str(row.figures.received)).replace("%3", str(row.figures.settled)),
                row_filter(data, "dispute_type", row))
            for row in rows
        ])

    # ---------------------------------------------------------------- clicks

    @Slot(QModelIndex)
    def _on_table_view_activated(self, index: QModelIndex) -> None:
        row: Row | None = index.siblingAtColumn(0).data(ROW_ROLE)
        if row is None or self.data is None:
            return
        case_filter = row_filter(self.data, self.data.request.by, row)
        if case_filter is not None:
            self.cases_requested.emit(case_filter)
        else:
            self.status_message.emit(self.tr("按主持调解员的分组不能直接列出案件；请在上方选择调解员。"))

    @Slot(object, object)
    def _on_runner_data_changed(self, kinds: frozenset, _ids: frozenset) -> None:
        if kinds & {"case", "agreement", "followup", "mediator"}:
            self.refresh()

    # ---------------------------------------------------------------- the monthly report

    @Slot()
    def _on_xlsx_button_clicked(self) -> None:
        self._ask_and_export("xlsx", self.tr("Excel 工作簿 (*.xlsx)"))

    @Slot()
    def _on_pdf_button_clicked(self) -> None:
        self._ask_and_export("pdf", self.tr("PDF 文件 (*.pdf)"))

    def _ask_and_export(self, fmt: str, file_filter: str) -> None:
        if self.when is None:
            return
        name = f"{period_text(self.when)}人民调解工作月报.{fmt}"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出月报"), name, file_filter)
        if path:
            if not path.lower().endswith(f".{fmt}"):
                path += f".{fmt}"
            self.export_report(path, fmt)

    def export_report(self, path: str, fmt: str) -> None:
        """Write the monthly report of the shown period and scope on the worker (the service audits it)."""
        if self.when is None:
            return
        actor, when, scope = self._actor, self.when, self.scope()

        def write(session):
            report = monthly_report(session, actor=actor, when=when, scope=scope)
            return export_monthly(session, actor=actor, report=report, **{fmt: path})

        self.xlsx_button.setEnabled(False)
        self.pdf_button.setEnabled(False)
        self._runner.write(write, on_done=self._on_exported, on_error=self._on_export_failed)

    def _on_exported(self, paths) -> None:
        self.xlsx_button.setEnabled(True)
        self.pdf_button.setEnabled(True)
        self.status_message.emit(self.tr("已导出月报：%1").replace("%1", "、".join(str(p) for p in paths)))
        self.exported.emit(paths)

    def _on_export_failed(self, error: BaseException) -> None:
        self.xlsx_button.setEnabled(True)
        self.pdf_button.setEnabled(True)
        self.status_message.emit(self.tr("导出失败：%1").replace("%1", str(error)))
