"""警调: the police–mediation liaison's page — referrals by state with their deadlines, the actions on one
referral, the quick referral intake, and the monthly station ledger.

Everything is read and written through the window's one worker. Nothing is read until the page is first shown
(the window's start-up never waits for it); after that the list is read again whenever a write anywhere
announces a change to cases or referrals (`TaskRunner.data_changed`) and once a minute, so "剩5小时" keeps
counting down — at once while the page is shown, otherwise when it is shown next.
"""

import logging

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from laopan.errors import Conflict
from laopan.labels import label
from laopan.models.enums import ReferralState
from laopan.services.actor import Actor
from laopan.services.referrals import set_second_mediation
from laopan.views.referrals import ReferralRow
from ui.common import style
from ui.common.row_table import CASE_ID_ROLE
from ui.common.desk_info import DeskInfo, load_desk_info
from ui.liaison.ledger_tab import LedgerPage
from ui.liaison.model import (
    COL_DUE,
    COL_FLAGS,
    COL_INCIDENT_NO,
    COL_INTAKE_NO,
    COL_PARTIES,
    COL_REMAINING,
    COL_STATE,
    COL_STATION,
    STATES,
    LiaisonInfo,
    ReferralSnapshot,
    ReferralTableModel,
    headers,
    load_liaison_info,
    load_referrals,
    local_text,
)
from ui.liaison.dialogs import (
    USER_ERRORS,
    FeedbackDialog,
    FirstContactDialog,
    ReferralActionDialog,
    ReportDialog,
    ReturnDialog,
)
from ui.liaison.intake_dialog import ReferralIntakeDialog
from ui.common.worker import TaskRunner

log = logging.getLogger(__name__)

REFRESH_MS = 60_000
SHOWN_KINDS = frozenset({"referral", "case"})  # what the desk shows: a change to either reloads it (laopan.changes)
_CHECKED = QColor("#1565c0")
TAB_REFERRALS, TAB_LEDGER = range(2)
FIT_SAMPLE = 500  # rows measured when the list is (re)loaded
_SAMPLE = {COL_INTAKE_NO: "DL2026-00000", COL_INCIDENT_NO: "JQ202611270012", COL_STATION: "东柳派出所",
           COL_STATE: "已逾期（未反馈）", COL_DUE: "2026-11-27 09:20", COL_REMAINING: "逾期30小时", COL_FLAGS: "可能民转刑、二次调解"}


class LiaisonDesk(QWidget):
    """The 警调 page of the window.

    Signals:
        open_case_requested(int): the user double-clicked a referral (the case id) — show that case.
        referrals_loaded(int): the referral list was read (how many referrals in all).
        status_message(str): a short note for the status bar after an action (also shown on the page).
    """

    open_case_requested = Signal(int)
    referrals_loaded = Signal(int)
    status_message = Signal(str)

    def __init__(self, runner: TaskRunner, actor: Actor, info: DeskInfo | None = None, parent: QWidget | None = None):
        """Built like the window's other pages; `info` (the window's DeskInfo) is read here when not given."""
        super().__init__(parent)
        self._runner = runner
        self._actor = actor
        self.info = info
        self.liaison: LiaisonInfo | None = None
        self.model = ReferralTableModel(self, clock=actor.clock)
        self.ledger = LedgerPage(runner, actor, parent=self)
        self.intake_dialog: ReferralIntakeDialog | None = None
        self.action_dialog: ReferralActionDialog | None = None
        self.conflict_box = None
        self._group = f"liaison-{id(self)}"
        self._loading = 0
        self._select_case: int | None = None
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(REFRESH_MS)
        self._started = False
        self._stale = False
        self._build()
        self._connect_signals()

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        tr = self.tr
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(tr("搜索：受理编号 / 警情编号 / 当事人"))
        self.search_edit.setClearButtonEnabled(True)
        self.new_button = QPushButton(tr("+ 新建警情"))
        self.new_button.setToolTip(tr("登记公安机关移交的警情（警调联合案件）"))
        self.new_button.setEnabled(False)  # until the dictionaries are loaded
        self.refresh_button = QPushButton(tr("刷新"))
        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.new_button)

        self.state_group = QButtonGroup(self)
        self.state_group.setExclusive(True)
        self.state_buttons: dict[str | None, QPushButton] = {}
        segments = QHBoxLayout()
        segments.setSpacing(0)
        for number, state in enumerate((None, *(state.value for state in STATES))):
            button = QPushButton()
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            self.state_buttons[state] = button
            self.state_group.addButton(button, number)
            segments.addWidget(button)
        self.state_buttons[None].setChecked(True)
        self._set_counts({})
        self.error_label = QLabel()
        self.error_label.setStyleSheet(style.ERROR_CSS)
        self.error_label.setVisible(False)
        segments.addSpacing(12)
        segments.addWidget(self.error_label)
        segments.addStretch(1)

        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows = self.view.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        columns = self.view.horizontalHeader()
        columns.setHighlightSections(False)
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        columns.setSectionResizeMode(COL_PARTIES, QHeaderView.ResizeMode.Stretch)
        columns.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        metrics, titles = self.view.fontMetrics(), headers()
        for column, sample in _SAMPLE.items():
            columns.resizeSection(column, max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(titles[column])) + 24)

        self.selected_label = QLabel(tr("选择一条警情后可记录首次联系、反馈结果等"))
        self.selected_label.setStyleSheet(f"color: {style.MUTED.name()};")
        self.selected_label.setWordWrap(True)
        self.contact_button = QPushButton(tr("首次联系"))
        self.feedback_button = QPushButton(tr("反馈结果"))
        self.return_button = QPushButton(tr("退回公安"))
        self.second_button = QPushButton(tr("二次调解"))
        self.report_button = QPushButton(tr("报告公安"))
        self.contact_button.setToolTip(tr("记录与当事人的首次联系（移交后%1小时内）"))
        self.feedback_button.setToolTip(tr("向派出所反馈调解结果"))
        self.return_button.setToolTip(tr("调解不成，退回公安机关依法处理"))
        self.second_button.setToolTip(tr("标记（或取消标记）为派出所再次移交的二次调解"))
        self.report_button.setToolTip(tr("纠纷有激化可能时报告公安机关（人民调解法第二十五条）"))
        self.action_buttons = (self.contact_button, self.feedback_button, self.return_button, self.second_button, self.report_button)
        actions = QHBoxLayout()
        actions.addWidget(self.selected_label, 1)
        for button in self.action_buttons:
            actions.addWidget(button)
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)

        referrals = QWidget()
        column = QVBoxLayout(referrals)
        column.addLayout(top)
        column.addLayout(segments)
        column.addWidget(self.view, 1)
        column.addLayout(actions)
        column.addWidget(self.message_label)
        self.tabs = QTabWidget()
        self.tabs.addTab(referrals, tr("移交警情"))
        self.tabs.addTab(self.ledger, tr("月度台账"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self._update_actions()

    def _connect_signals(self) -> None:
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.state_group.idToggled.connect(self._on_state_group_id_toggled)
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.refresh_button.clicked.connect(self._on_refresh_button_clicked)
        self.view.doubleClicked.connect(self._on_view_double_clicked)
        self.view.selectionModel().currentRowChanged.connect(self._on_view_current_row_changed)
        self.model.counts_changed.connect(self._on_model_counts_changed)
        self.model.modelReset.connect(self._on_model_reset)
        self.contact_button.clicked.connect(self._on_contact_button_clicked)
        self.feedback_button.clicked.connect(self._on_feedback_button_clicked)
        self.return_button.clicked.connect(self._on_return_button_clicked)
        self.second_button.clicked.connect(self._on_second_button_clicked)
        self.report_button.clicked.connect(self._on_report_button_clicked)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self._runner.data_changed.connect(self._on_runner_data_changed)
        self._refresh_timer.timeout.connect(self._on_refresh_timer_timeout)

    # ------------------------------------------------------------------ loading

    @property
    def loading(self) -> bool:
        return self._loading > 0

    def showEvent(self, event: QShowEvent) -> None:
        """Read nothing until the page is first shown: the window's start-up must not wait for it."""
        super().showEvent(event)
        if not self._started:
            self._started = True
            self._load_info()
            self.reload()
            self._refresh_timer.start()
        elif self._stale:
            self.reload()

    def _reload_when_seen(self) -> None:
        if self.isVisible():
            self.reload()
        else:
            self._stale = self._started

    def _load_info(self) -> None:
        actor = self._actor
        self._runner.read(lambda session: load_liaison_info(session, actor=actor), on_done=self._on_liaison_info_loaded, group=self._group)
        if self.info is None:  # the committee's name is only for the window's title: not needed here
            self._runner.read(lambda session: load_desk_info(session, actor=actor, committee_name=""),
                              on_done=self.set_info, group=self._group)

    def set_info(self, info: DeskInfo) -> None:
        """The committee's dictionaries (the window passes them on when it has read them)."""
        self.info = info
        self._update_new_button()

    def _on_liaison_info_loaded(self, liaison: LiaisonInfo) -> None:
        self.liaison = liaison
        self.model.set_time_zone(liaison.time_zone)
        self.contact_button.setToolTip(self.contact_button.toolTip().replace("%1", str(liaison.first_contact_hours)))
        self._update_new_button()

    def _update_new_button(self) -> None:
        self.new_button.setEnabled(self.info is not None and self.liaison is not None)

    def refresh(self) -> None:
        """F5: read the referrals again (at once when shown, else when next shown), and the ledger once shown."""
        self._reload_when_seen()
        if self.ledger.model.rowCount():
            self.ledger.reload()

    def reload(self) -> None:
        """Read every referral again (after a change, the minute timer)."""
        actor = self._actor
        self._loading += 1
        self._stale = False
        self._runner.read(lambda session: load_referrals(session, actor=actor), on_done=self._on_referrals_loaded,
                          on_error=self._on_load_failed, group=self._group)

    def _on_referrals_loaded(self, snapshot: ReferralSnapshot) -> None:
        self._loading -= 1
        self.error_label.setVisible(False)
        wanted = self._select_case if self._select_case is not None else self.current_case_id()
        self._select_case = None
        self.model.set_snapshot(snapshot)
        if wanted is not None and (row := self.model.find_row(wanted)) is not None:
            self.select_row(row)
        self.referrals_loaded.emit(len(snapshot.rows))

    def _on_load_failed(self, error: BaseException) -> None:
        self._loading -= 1
        if isinstance(error, USER_ERRORS):
            self.error_label.setText(str(error))
            self.error_label.setVisible(True)
        else:
            self._runner.task_error.emit(error)  # the window logs and shows unexpected errors once

    @Slot(object, object)
    def _on_runner_data_changed(self, kinds: frozenset, ids: frozenset) -> None:
        if kinds & SHOWN_KINDS:
            self._reload_when_seen()

    @Slot()
    def _on_refresh_timer_timeout(self) -> None:
        if not self.loading:
            self._reload_when_seen()

    @Slot()
    def _on_refresh_button_clicked(self) -> None:
        self.reload()

    @Slot(int)
    def _on_tabs_current_changed(self, index: int) -> None:
        if index == TAB_LEDGER and self.ledger.model.rowCount() == 0:
            self.ledger.reload()

    # ------------------------------------------------------------------ filter and search

    @Slot(int, bool)
    def _on_state_group_id_toggled(self, _id: int, checked: bool) -> None:
        if checked:
            self.model.set_state_filter(self.state_filter)

    @property
    def state_filter(self) -> str | None:
        return next((state for state, button in self.state_buttons.items() if button.isChecked()), None)

    def set_state_filter(self, state: str | None) -> None:
        self.state_buttons[state].setChecked(True)

    @Slot(str)
    def _on_search_edit_text_changed(self, text: str) -> None:
        self.model.set_text(text)

    @Slot(object)
    def _on_model_counts_changed(self, counts: dict) -> None:
        self._set_counts(counts)

    def _set_counts(self, counts: dict) -> None:
        for state, button in self.state_buttons.items():
            name = self.tr("全部") if state is None else label(ReferralState(state))
            count = counts.get(state, 0)
            button.setText(f"{name} {count}")
            overdue = state == ReferralState.OVERDUE.value and count > 0
            colour = style.OVERDUE.name() if overdue else "palette(button-text)"
            button.setStyleSheet(
                f"QPushButton {{ padding: 3px 12px; color: {colour}; {'font-weight: bold;' if overdue else ''} }}"
                f"QPushButton:checked {{ background: {_CHECKED.name()}; color: white; border: 1px solid {_CHECKED.name()}; }}"
            )

    # ------------------------------------------------------------------ selection

    def current_row(self) -> ReferralRow | None:
        index = self.view.currentIndex()
        return self.model.row_data(index.row()) if index.isValid() else None

    def current_case_id(self) -> int | None:
        row = self.current_row()
        return row.case_id if row is not None else None

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.view.scrollTo(index)

    def select_case(self, case_id: int) -> bool:
        row = self.model.find_row(case_id)
        if row is None:
            return False
        self.select_row(row)
        return True

    @Slot(QModelIndex, QModelIndex)
    def _on_view_current_row_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_actions()

    @Slot()
    def _on_model_reset(self) -> None:
        self._fit_number_columns()
        self._update_actions()

    def _fit_number_columns(self) -> None:
        """Widen 编号 and 警情编号 to the longest number among the first rows shown (a station's numbers may be
        longer than the sample's): a cut-off number cannot be read back to the police."""
        metrics, columns = self.view.fontMetrics(), self.view.horizontalHeader()
        rows = [self.model.row_data(number) for number in range(min(self.model.rowCount(), FIT_SAMPLE))]
        for column in (COL_INTAKE_NO, COL_INCIDENT_NO):
            widest = max((metrics.horizontalAdvance(self.model.cell_text(row, column)) for row in rows if row), default=0)
            if widest + 24 > columns.sectionSize(column):
                columns.resizeSection(column, widest + 24)

    @Slot(QModelIndex)
    def _on_view_double_clicked(self, index: QModelIndex) -> None:
        case_id = index.siblingAtColumn(0).data(CASE_ID_ROLE)
        if case_id is not None:
            self.open_case_requested.emit(case_id)

    def _update_actions(self) -> None:
        """Offer the moves that fit the referral's recorded steps; the service still decides."""
        row = self.current_row()
        open_ = row is not None and row.state != ReferralState.CLOSED.value
        self.contact_button.setEnabled(open_ and row.first_contact_at is None)
        self.feedback_button.setEnabled(open_ and row.first_contact_at is not None)
        self.return_button.setEnabled(open_)
        self.second_button.setEnabled(row is not None)
        self.report_button.setEnabled(row is not None)
        self.second_button.setText(self.tr("取消二次调解") if row is not None and row.second_mediation else self.tr("二次调解"))
        if row is None:
            return
        zone = self.model.zone
        steps = [self.tr("移交 %1").replace("%1", local_text(row.referred_at, zone))]
        if row.first_contact_at is not None:
            steps.append(self.tr("首次联系 %1").replace("%1", local_text(row.first_contact_at, zone)))
        if row.feedback_at is not None:
            steps.append(self.tr("已反馈 %1").replace("%1", local_text(row.feedback_at, zone)))
        self.selected_label.setText(f"{row.intake_no}　" + " · ".join(steps))

    # ------------------------------------------------------------------ actions

    def open_action(self, kind: type[ReferralActionDialog]) -> ReferralActionDialog | None:
        """Open one of the action dialogs on the selected referral (non-modal to the window, modal to the page)."""
        row = self.current_row()
        if row is None or self.liaison is None:
            return None
        if self.action_dialog is not None and self.action_dialog.isVisible():
            self.action_dialog.raise_()
            return self.action_dialog
        dialog = kind(self._runner, self._actor, row, self.liaison.time_zone, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._on_action_saved)
        dialog.stale.connect(self._on_action_stale)
        dialog.destroyed.connect(self._on_action_destroyed)
        self.action_dialog = dialog
        dialog.open()
        return dialog

    @Slot()
    def _on_contact_button_clicked(self) -> None:
        self.open_action(FirstContactDialog)

    @Slot()
    def _on_feedback_button_clicked(self) -> None:
        self.open_action(FeedbackDialog)

    @Slot()
    def _on_return_button_clicked(self) -> None:
        self.open_action(ReturnDialog)

    @Slot()
    def _on_report_button_clicked(self) -> None:
        self.open_action(ReportDialog)

    @Slot(object)
    def _on_action_saved(self, answer) -> None:
        dialog = self.sender()
        title = dialog.windowTitle() if isinstance(dialog, ReferralActionDialog) else ""
        intake_no = dialog.row.intake_no if isinstance(dialog, ReferralActionDialog) else ""
        self._say(self.tr("已保存：%1 %2").replace("%1", title).replace("%2", intake_no))

    @Slot()
    def _on_action_stale(self) -> None:
        self.reload()

    @Slot()
    def _on_action_destroyed(self) -> None:
        self.action_dialog = None

    @Slot()
    def _on_second_button_clicked(self) -> None:
        """二次调解 is a flag that can be set and cleared, so it needs no dialog; the version guards it."""
        row = self.current_row()
        if row is None:
            return
        actor, flag = self._actor, not row.second_mediation
        self.second_button.setEnabled(False)
        self._runner.write(
            lambda session: set_second_mediation(session, actor=actor, case_id=row.case_id, expected_version=row.version, flag=flag),
            on_done=lambda answer: self._on_second_saved(answer, flag), on_error=self._on_write_failed,
        )

    def _on_second_saved(self, row: ReferralRow, flag: bool) -> None:
        text = self.tr("已标记为二次调解：%1") if flag else self.tr("已取消二次调解标记：%1")
        self._say(text.replace("%1", row.intake_no))

    def _on_write_failed(self, error: BaseException) -> None:
        self._update_actions()
        if isinstance(error, Conflict):
            box = QMessageBox(QMessageBox.Icon.Warning, self.tr("未保存"), str(error), parent=self)
            self.conflict_box = box
            box.finished.connect(self._on_conflict_box_finished)
            box.open()
            self.reload()
        elif isinstance(error, USER_ERRORS):
            self._say(str(error), error=True)
        else:
            self._runner.task_error.emit(error)

    @Slot()
    def _on_conflict_box_finished(self) -> None:
        self.conflict_box = None

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(style.ERROR_CSS if error else "")
        self.status_message.emit(text)

    # ------------------------------------------------------------------ new referral

    @Slot()
    def _on_new_button_clicked(self) -> None:
        self.open_intake()

    def open_intake(self) -> ReferralIntakeDialog | None:
        if self.info is None or self.liaison is None:
            return None
        if self.intake_dialog is not None and self.intake_dialog.isVisible():
            self.intake_dialog.raise_()
            self.intake_dialog.activateWindow()
            return self.intake_dialog
        dialog = ReferralIntakeDialog(self._runner, self._actor, self.info, self.liaison, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.case_registered.connect(self._on_intake_case_registered)
        dialog.destroyed.connect(self._on_intake_destroyed)
        self.intake_dialog = dialog
        dialog.open()
        return dialog

    @Slot(object)
    def _on_intake_case_registered(self, registered) -> None:
        message = self.tr("已登记警情案件 %1").replace("%1", registered.intake_no)
        if registered.warnings:
            message += self.tr("（提示：%1）").replace("%1", "；".join(registered.warnings))
        self._select_case = registered.id  # the list reloads through data_changed
        self._say(message)

    @Slot()
    def _on_intake_destroyed(self) -> None:
        self.intake_dialog = None
