"""工作台: what the current user has to do — open cases, deadlines due soon and overdue, reviews awaiting them.

"Mine" means cases where the user's linked mediator has any role. A user without a linked mediator (e.g. the
administrator) sees the whole centre, with a note saying so. "待我审核" lists junior-led draft agreements
awaiting review (all of them for a supervisor, those of the paired juniors for a senior mediator).
Double-clicking (or Enter on) a row asks the window to open the case in the 案件 page.
"""

from PySide6.QtCore import QModelIndex, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from laopan.labels import date_text, days_left_text, label
from laopan.models.enums import CaseStatus, Level, Role
from laopan.services.actor import Actor
from laopan.services.due import REFERRALS, due_scope
from laopan.views.workflow import WorkbenchDetail
from ui.common import style
from ui.common.row_table import ROW_ROLE, Column, RowTableModel, status_colour, table_view
from ui.common.submit_dialog import muted
from ui.common.worker import TaskRunner

def work_columns(tr) -> list[Column]:
    return [
        Column(tr("受理编号"), lambda r: r.intake_no),
        Column(tr("当事人"), lambda r: r.parties, stretch=True, tooltip=lambda r: r.parties),
        Column(tr("层级"), lambda r: label(Level, r.level), colour=lambda r: style.LEVEL_COLOURS.get(r.level)),
        Column(tr("状态"), lambda r: label(CaseStatus, r.status), colour=lambda r: status_colour(r.status)),
        Column(tr("主调"), lambda r: r.lead_name or tr("待分配"), colour=lambda r: None if r.lead_name else style.MUTED),
        Column(tr("期限"), lambda r: days_left_text(r.days_left), colour=lambda r: style.due_colour(r.days_left, r.due_soon),
               tooltip=lambda r: tr("调解期限：%1").replace("%1", date_text(r.due_on)) if r.due_on else None),
    ]


def followup_columns(tr) -> list[Column]:
    """待回访: planned visits due soon or overdue (FollowUpDueRow)."""
    return [
        Column(tr("受理编号"), lambda r: r.intake_no),
        Column(tr("当事人"), lambda r: r.parties, stretch=True, tooltip=lambda r: r.parties),
        Column(tr("回访事项"), lambda r: r.purpose or ""),
        Column(tr("主调"), lambda r: r.lead_name or tr("待分配"), colour=lambda r: None if r.lead_name else style.MUTED),
        Column(tr("期限"), lambda r: days_left_text(r.days_left), colour=lambda r: style.due_colour(r.days_left, r.days_left >= 0),
               tooltip=lambda r: tr("计划回访：%1").replace("%1", date_text(r.planned_on))),
    ]


class WorkList(QGroupBox):
    """One titled list of the page.

    Signals:
        case_requested(int): a row was double-clicked (or Enter pressed on it).
    """

    case_requested = Signal(int)

    def __init__(self, title: str, parent: QWidget | None = None, *, columns=work_columns):
        super().__init__(parent)
        self._title = title
        self.model = RowTableModel(columns(self.tr), self)
        self.view = table_view(self.model)
        # The page's grid stretch decides the heights, not each table's size hint; three rows stay visible.
        policy = self.view.sizePolicy()
        policy.setVerticalPolicy(QSizePolicy.Policy.Ignored)
        self.view.setSizePolicy(policy)
        self.view.setMinimumHeight(self.view.verticalHeader().defaultSectionSize() * 3)
        self.empty_label = muted()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label)
        self.view.activated.connect(self._on_view_activated)
        self.set_rows((), empty=self.tr("加载中…"))

    def set_rows(self, rows, *, empty: str, count: int | None = None, colour: str | None = None) -> None:
        self.model.set_rows(rows)
        shown = len(rows) if count is None else count
        self.setTitle(f"{self._title}（{shown}）")
        self.setStyleSheet(f"QGroupBox {{ color: {colour}; font-weight: bold; }}" if colour and rows else "")
        self.empty_label.setText(empty if not rows else "")
        self.empty_label.setVisible(not rows)

    @Slot(QModelIndex)
    def _on_view_activated(self, index: QModelIndex) -> None:
        row = index.siblingAtColumn(0).data(ROW_ROLE)
        if row is not None:
            self.case_requested.emit(row.case_id)


def _read(session, actor: Actor) -> WorkbenchDetail:
    # Imported with the first read, in the worker: the workbench's services (agreements, lifecycle, documents)
    # are ~0.2 s of imports that a window opening on the case list need not wait for.
    from laopan.services.workbench import workbench

    return workbench(session, actor=actor)


class WorkbenchPage(QWidget):
    """The 工作台 page; reloads when shown after data changed (not while hidden).

    Signals:
        case_requested(int): open this case in the 案件 page.
        loaded(object): the page's WorkbenchDetail arrived and is shown.
    """

    case_requested = Signal(int)
    loaded = Signal(object)

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self._runner = runner
        self._actor = actor
        self._group = f"workbench-{id(self)}"
        self._dirty = True
        self.data: WorkbenchDetail | None = None
        self._build()
        self._connect_signals()

    def _build(self) -> None:
        tr = self.tr
        who = self._actor.display_name or self._actor.login
        self.title_label = QLabel(tr("工作台 · %1（%2）").replace("%1", who).replace("%2", label(Role(self._actor.role))))
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title_label.setFont(font)
        self.scope_label = muted()
        self.open_list = WorkList(tr("在办案件"))
        self.overdue_list = WorkList(tr("已逾期"))
        self.due_list = WorkList(tr("即将到期"))
        self.review_list = WorkList(tr("待我审核"))
        self.followup_list = WorkList(tr("待回访"), columns=followup_columns)
        self.review_note = muted(tr("“待我审核”：小潘主持的协议草稿，须经老潘或主任审核后才能定稿编号"))
        self.review_note.setWordWrap(False)
        self.review_list.setToolTip(tr("小潘主调的案件，其协议须经老潘或主任审核后才能定稿编号"))
        head = QHBoxLayout()
        head.addWidget(self.title_label)
        head.addStretch(1)
        head.addWidget(self.review_note)
        grid = QGridLayout()
        grid.addWidget(self.open_list, 0, 0, 2, 1)
        grid.addWidget(self.overdue_list, 0, 1)
        grid.addWidget(self.due_list, 1, 1)
        grid.addWidget(self.review_list, 2, 0)
        grid.addWidget(self.followup_list, 2, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(0, 2)
        grid.setRowStretch(1, 2)
        grid.setRowStretch(2, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.scope_label)
        layout.addLayout(grid, 1)

    def _connect_signals(self) -> None:
        for work_list in self.lists():
            work_list.case_requested.connect(self._on_list_case_requested)
        self._runner.data_changed.connect(self._on_runner_data_changed)

    def lists(self) -> tuple[WorkList, ...]:
        return (self.open_list, self.overdue_list, self.due_list, self.review_list, self.followup_list)

    # ------------------------------------------------------------------ loading

    def refresh(self) -> None:
        """Read again now if shown, else when next shown (F5, data_changed)."""
        self._dirty = True
        if self.isVisible():
            self.reload()

    def reload(self) -> None:
        self._dirty = False
        self._runner.cancel(self._group)
        actor = self._actor
        self._runner.read(lambda session: _read(session, actor), on_done=self._on_loaded, group=self._group)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.reload()

    def _on_loaded(self, data: WorkbenchDetail) -> None:
        tr = self.tr
        self.data = data
        scope = due_scope(self._actor)
        if data.mine:
            self.scope_label.setText(tr("我参与（主持、辅调或记录）的案件。双击一行在“案件”页打开。"))
        elif scope == REFERRALS:
            self.scope_label.setText(tr("警调案件：逾期与到期按警调期限（首次联系24小时内、反馈5天内）计算。双击一行在“案件”页打开。"))
        elif self._actor.is_supervisor and self._actor.mediator_id is not None:
            self.scope_label.setText(tr("全中心的案件。双击一行在“案件”页打开。"))
        else:
            self.scope_label.setText(tr("当前用户未关联调解员：以下为全中心的案件。双击一行在“案件”页打开。"))
        more = data.open_total > len(data.open_cases)
        self.open_list.set_rows(
            data.open_cases, count=data.open_total,
            empty=tr("没有在办案件") if not more else "",
        )
        if more:
            self.open_list.empty_label.setText(tr("按期限排序，显示 %1 件；其余请在“案件”页按条件查找。").replace("%1", str(len(data.open_cases))))
            self.open_list.empty_label.setVisible(True)
        self.overdue_list.set_rows(data.overdue, empty=tr("没有逾期案件"), colour=style.OVERDUE.name())
        self.due_list.set_rows(data.due_soon, empty=tr("%1天内没有到期的案件").replace("%1", str(data.due_soon_days)),
                               colour=style.DUE_SOON.name())
        self.review_list.setVisible(data.review is not None)
        self.review_note.setVisible(data.review is not None)
        if data.review is not None:
            self.review_list.set_rows(data.review, empty=tr("没有待审核的案件"))
        self.followup_list.set_rows(data.followups_due, empty=tr("没有到期的回访"), colour=style.DUE_SOON.name())
        self.loaded.emit(data)

    @Slot(object, object)
    def _on_runner_data_changed(self, kinds: frozenset, _ids: frozenset) -> None:
        if kinds & {"case", "pairing", "mediator", "follow_up"}:
            self.refresh()

    @Slot(int)
    def _on_list_case_requested(self, case_id: int) -> None:
        self.case_requested.emit(case_id)

