"""The case detail below the list: a header, the action bar and tabs 概况 / 当事人 / 警情 / 调解记录 / 历史.

The detail, the moves the case offers (`lifecycle.available_actions`), its sittings and its timeline are loaded
together on the worker whenever the selection changes; only the newest request's answer is shown. Personal data
arrives masked (the service masks it); "显示完整信息" asks the service again with reveal=True, which checks the
role and writes the audit entry. The action bar's moves run through `CaseActions` (ui/case_actions.py).

Shortcuts while a case is shown: Ctrl+E 上报, Ctrl+Shift+A 指派调解员, Ctrl+Return the move that takes the case
forward (受理 → 开始调解 → 调解成功 → 结案归档). F5 belongs to the window.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from laopan.clock import DEFAULT_TZ
from laopan.labels import date_text, days_left_text, instant_text, label
from laopan.models.enums import (
    CaseMediatorRole,
    CaseStatus,
    IdType,
    Level,
    MediatorRank,
    PartyKind,
    PartyRole,
    ReferralNature,
    RiskFlag,
    Sex,
)
from laopan.services.actor import Actor
from laopan.services.cases import case_detail
from laopan.services.lifecycle import available_actions
from laopan.services.people import repeat_parties
from laopan.services.sessions import list_sessions
from laopan.views.cases import SessionView
from laopan.services.timeline import case_timeline
from laopan.views.cases import CaseDetail, PartyView, ReferralView
from laopan.views.people import RepeatParties
from laopan.views.workflow import ActionInfo, TimelineEntry
from ui.common import style
from ui.agreements.tab import AgreementTab
from ui.cases.actions import ActionBar, CaseActions, done_text, primary_action
from ui.cases.corrections import Corrections
from ui.cases.repeat_parties import RepeatPartiesBar
from ui.cases.history_tab import HistoryTab
from ui.common.row_table import status_colour
from ui.common.scrolling import FittedScroll, scrolled
from ui.cases.sessions_tab import SessionsTab
from ui.common.worker import TaskRunner

TAB_OVERVIEW, TAB_PARTIES, TAB_REFERRAL, TAB_SESSIONS, TAB_AGREEMENT, TAB_HISTORY = range(6)
# The pane may be made this short (its page then scrolls): its content never pushes the case list up, so the list
# keeps its rows while the user moves from case to case, whatever each case shows.
PANE_MIN_HEIGHT = 200


@dataclass(frozen=True)
class CaseBundle:
    """What the panel shows for one case, read in one worker task."""

    detail: CaseDetail
    actions: tuple[ActionInfo, ...]
    sessions: tuple[SessionView, ...]
    timeline: tuple[TimelineEntry, ...]
    repeats: RepeatParties | None = None


def load_bundle(session, *, actor: Actor, case_id: int, reveal: bool = False) -> CaseBundle:
    return CaseBundle(
        detail=case_detail(session, actor=actor, case_id=case_id, reveal=reveal),
        actions=tuple(available_actions(session, actor=actor, case_id=case_id)),
        sessions=tuple(list_sessions(session, actor=actor, case_id=case_id)),
        timeline=tuple(case_timeline(session, actor=actor, case_id=case_id)),
        repeats=repeat_parties(session, actor=actor, case_id=case_id),
    )


def _label(text: str = "", *, wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(wrap)
    return label


def _form() -> QFormLayout:
    form = QFormLayout()
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setHorizontalSpacing(12)
    form.setVerticalSpacing(4)
    return form


def _clear(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.deleteLater()
        elif item.layout() is not None:
            _clear(item.layout())


class CaseDetailPanel(QWidget):
    """Header plus tabs for one case.

    Signals:
        detail_loaded(object): a CaseDetail is shown (after a selection, a reveal or a save).
        load_failed(object): the detail could not be read (the exception).
        case_requested(int): the user asked to open another case (one of the repeat parties' cases).
    """

    detail_loaded = Signal(object)
    load_failed = Signal(object)
    case_requested = Signal(int)

    def __init__(self, runner: TaskRunner, actor: Actor, *, time_zone: str = DEFAULT_TZ, parent: QWidget | None = None):
        super().__init__(parent)
        self._runner = runner
        self._actor = actor
        self._zone = ZoneInfo(time_zone)
        self._group = f"case-detail-{id(self)}"
        self._history_group = f"case-history-{id(self)}"
        self._case_id: int | None = None
        self._request = 0
        self._detail: CaseDetail | None = None
        self._actions: tuple[ActionInfo, ...] = ()
        self.case_actions = CaseActions(runner, actor, self)
        self.corrections = Corrections(runner, actor, self)
        self._build()
        self._connect_signals()

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        self._stack = QStackedWidget()
        self._empty = QLabel(self.tr("请在上方列表中选择案件"))
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setStyleSheet(f"color: {style.MUTED.name()};")
        self._stack.addWidget(self._empty)

        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        self.intake_no_label = _label(wrap=False)
        title_font = self.intake_no_label.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.3)
        title_font.setBold(True)
        self.intake_no_label.setFont(title_font)
        self.status_label = _label(wrap=False)
        self.level_label = _label(wrap=False)
        self.due_label = _label(wrap=False)
        self.parties_title = _label(wrap=False)
        for widget in (self.intake_no_label, self.status_label, self.level_label, self.due_label, self.parties_title):
            header.addWidget(widget)
        header.addStretch(1)
        column.addLayout(header)
        self.action_bar = ActionBar()
        column.addWidget(self.action_bar)
        self.repeat_bar = RepeatPartiesBar()
        column.addWidget(self.repeat_bar)

        self.tabs = QTabWidget()
        # Two columns (facts | narrative) so the overview fits the short detail pane of a 768-pixel screen.
        self._overview = QWidget()
        self._overview_form = _form()
        self._narrative_form = _form()
        overview_columns = QHBoxLayout(self._overview)
        overview_columns.addLayout(self._overview_form, 2)
        overview_columns.addLayout(self._narrative_form, 3)
        overview_page = QWidget()
        overview_column = QVBoxLayout(overview_page)
        overview_column.setContentsMargins(0, 0, 0, 0)
        self.edit_case_button = QPushButton(self.tr("编辑案件"))
        self.edit_case_button.setToolTip(self.tr("更正案件信息（记入案件历史）"))
        edit_row = QHBoxLayout()
        edit_row.addStretch(1)
        edit_row.addWidget(self.edit_case_button)
        overview_column.addLayout(edit_row)
        overview_column.addWidget(scrolled(self._overview), 1)
        self.tabs.addTab(overview_page, self.tr("概况"))

        parties_page = QWidget()
        parties_column = QVBoxLayout(parties_page)
        reveal_row = QHBoxLayout()
        self.masked_note = _label(self.tr("身份证号、电话和住址已遮蔽。"), wrap=False)
        self.masked_note.setStyleSheet(f"color: {style.MUTED.name()};")
        self.reveal_button = QPushButton(self.tr("显示完整信息"))
        self.reveal_button.setToolTip(self.tr("查看完整的身份证号、电话和住址（记入操作日志）"))
        self.reveal_button.setEnabled(self._actor.may_reveal)
        reveal_row.addWidget(self.masked_note)
        reveal_row.addStretch(1)
        self.add_party_button = QPushButton(self.tr("添加当事人"))
        reveal_row.addWidget(self.add_party_button)
        reveal_row.addWidget(self.reveal_button)
        parties_column.addLayout(reveal_row)
        self._parties_box = QWidget()
        self._parties_layout = QHBoxLayout(self._parties_box)
        self._parties_layout.setContentsMargins(0, 0, 0, 0)
        self._parties_layout.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        parties_column.addWidget(scrolled(self._parties_box), 1)
        self.tabs.addTab(parties_page, self.tr("当事人"))

        self._referral = QWidget()
        self._referral_form = _form()
        self._referral.setLayout(self._referral_form)
        self.tabs.addTab(scrolled(self._referral), self.tr("警情"))
        self.sessions_tab = SessionsTab()
        self.tabs.addTab(self.sessions_tab, self.tr("调解记录"))
        self.agreement_tab = AgreementTab(self._runner, self._actor, time_zone=self._zone.key)
        self.tabs.addTab(scrolled(self.agreement_tab), self.tr("协议"))
        self.history_tab = HistoryTab()
        self.tabs.addTab(self.history_tab, self.tr("历史"))
        column.addWidget(self.tabs, 1)
        # Parented to the action bar: active only while a case is shown (Qt ignores shortcuts of hidden widgets).
        self._shortcuts = {
            "escalate": QShortcut(QKeySequence("Ctrl+E"), self.action_bar),
            "assign": QShortcut(QKeySequence("Ctrl+Shift+A"), self.action_bar),
            "primary": QShortcut(QKeySequence("Ctrl+Return"), self.action_bar),
            "primary_enter": QShortcut(QKeySequence("Ctrl+Enter"), self.action_bar),
        }

        self._stack.addWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(FittedScroll(self._stack, min_height=PANE_MIN_HEIGHT))

    def _connect_signals(self) -> None:
        self.reveal_button.clicked.connect(self._on_reveal_button_clicked)
        self.edit_case_button.clicked.connect(self._on_edit_case_button_clicked)
        self.add_party_button.clicked.connect(self._on_add_party_button_clicked)
        self.agreement_tab.party_fix_requested.connect(self._on_agreement_tab_party_fix_requested)
        self.repeat_bar.case_requested.connect(self.case_requested)
        self.action_bar.triggered.connect(self._on_action_bar_triggered)
        self.case_actions.done.connect(self._on_case_actions_done)
        self.sessions_tab.add_requested.connect(self._on_sessions_tab_add_requested)
        self.sessions_tab.edit_requested.connect(self._on_sessions_tab_edit_requested)
        self._shortcuts["escalate"].activated.connect(self._on_escalate_shortcut_activated)
        self._shortcuts["assign"].activated.connect(self._on_assign_shortcut_activated)
        self._shortcuts["primary"].activated.connect(self._on_primary_shortcut_activated)
        self._shortcuts["primary_enter"].activated.connect(self._on_primary_shortcut_activated)

    # ------------------------------------------------------------------ public

    @property
    def case_id(self) -> int | None:
        return self._case_id

    @property
    def detail(self) -> CaseDetail | None:
        return self._detail

    @property
    def actions(self) -> tuple[ActionInfo, ...]:
        """The moves the shown case offers (what the action bar shows)."""
        return self._actions

    def run_action(self, code: str) -> None:
        """Start a move on the shown case as the user would (the service decides whether it is allowed)."""
        if self._detail is not None:
            self.case_actions.trigger(code, self._detail)

    def show_case(self, case_id: int | None, *, reveal: bool = False) -> None:
        """Load and show a case (None clears the panel). Earlier requests still running are ignored."""
        self._runner.cancel(self._group)
        self._request += 1
        self._case_id = case_id
        self.agreement_tab.set_case(case_id)
        if case_id is None:
            self._detail = None
            self._stack.setCurrentIndex(0)
            return
        request, actor = self._request, self._actor
        load = lambda session: load_bundle(session, actor=actor, case_id=case_id, reveal=reveal)  # noqa: E731
        submit = self._runner.write if reveal else self._runner.read  # a reveal writes its audit entry
        submit(load, on_done=lambda bundle: self._on_loaded(request, bundle),
               on_error=lambda error: self._on_failed(request, error), group=self._group)

    def refresh_history(self) -> None:
        """Read the shown case's timeline again: an audited look (a reveal, a print) added to it, nothing else
        changed, so the rest of the detail — and the agreement being previewed — stays as it is."""
        detail, actor = self._detail, self._actor
        if detail is None:
            return
        self._runner.cancel(self._history_group)
        self._runner.read(lambda session: tuple(case_timeline(session, actor=actor, case_id=detail.id)),
                          on_done=lambda timeline: self._on_history_read(detail.id, timeline), group=self._history_group)

    def _on_history_read(self, case_id: int, timeline: tuple[TimelineEntry, ...]) -> None:
        if self._detail is not None and self._detail.id == case_id:
            self.history_tab.set_history(self._detail, list(timeline))

    # ------------------------------------------------------------------ slots

    @Slot()
    def _on_reveal_button_clicked(self) -> None:
        if self._case_id is not None:
            self.show_case(self._case_id, reveal=True)

    @Slot()
    def _on_edit_case_button_clicked(self) -> None:
        if self._detail is not None and self._detail.may_edit:
            self.corrections.edit_case(self._detail)

    @Slot()
    def _on_add_party_button_clicked(self) -> None:
        if self._detail is not None and self._detail.may_edit:
            self.corrections.add_party(self._detail)

    def _on_party_button_clicked(self, move: str, index: int) -> None:
        if self._detail is not None and self._detail.may_edit:
            (self.corrections.edit_party if move == "edit" else self.corrections.remove_party)(self._detail, index)

    @Slot(int, str)
    def _on_agreement_tab_party_fix_requested(self, index: int, field: str) -> None:
        """去补全: the agreement check named a party's missing detail; open its editor on that field."""
        if self._detail is not None and self._detail.may_edit:
            self.corrections.edit_party(self._detail, index, focus=field)

    def _on_loaded(self, request: int, bundle: CaseBundle) -> None:
        if request != self._request:
            return
        detail = bundle.detail
        if self._detail is None or self._detail.id != detail.id:
            self.action_bar.show_note("")
        self._detail = detail
        self._actions = bundle.actions
        self._fill(detail)
        self.action_bar.set_actions(list(bundle.actions))
        offered = {action.code for action in bundle.actions}
        self.sessions_tab.set_sessions(list(bundle.sessions), time_zone=detail.time_zone, can_add="add_session" in offered,
                                       can_edit=detail.status != CaseStatus.CLOSED.value)
        self.history_tab.set_history(detail, list(bundle.timeline))
        self.repeat_bar.set_repeats(bundle.repeats, ZoneInfo(detail.time_zone))
        self._stack.setCurrentIndex(1)
        self.detail_loaded.emit(detail)

    # ------------------------------------------------------------------ moves

    def _offered(self, code: str) -> ActionInfo | None:
        return next((action for action in self._actions if action.code == code), None)

    def _run_if_offered(self, action: ActionInfo | None, what: str) -> None:
        if self._detail is None:
            return
        if action is None:
            self.action_bar.show_note(self.tr("当前不能%1").replace("%1", what), error=True)
        elif not action.enabled:
            self.action_bar.show_note(f"{action.label}：{action.hint or ''}", error=True)
        else:
            self.case_actions.trigger(action.code, self._detail)

    @Slot(str)
    def _on_action_bar_triggered(self, code: str) -> None:
        self.run_action(code)

    @Slot()
    def _on_escalate_shortcut_activated(self) -> None:
        self._run_if_offered(self._offered("escalate"), self.tr("上报"))

    @Slot()
    def _on_assign_shortcut_activated(self) -> None:
        self._run_if_offered(self._offered("assign"), self.tr("指派调解员"))

    @Slot()
    def _on_primary_shortcut_activated(self) -> None:
        self._run_if_offered(primary_action(list(self._actions)), self.tr("推进案件"))

    @Slot()
    def _on_sessions_tab_add_requested(self) -> None:
        self.run_action("add_session")

    @Slot(object)
    def _on_sessions_tab_edit_requested(self, session_view: SessionView) -> None:
        if self._detail is not None:
            self.case_actions.trigger("edit_session", self._detail, session_view)

    @Slot(str, object)
    def _on_case_actions_done(self, code: str, result: object) -> None:
        intake_no = self._detail.intake_no if self._detail is not None else ""
        text = self.tr("已记录回避决定（更换）") if code == "assign" and not getattr(result, "assigned", True) else done_text(code)
        self.action_bar.show_note(f"{text} {intake_no}".strip())

    def _on_failed(self, request: int, error: BaseException) -> None:
        if request == self._request:
            self.load_failed.emit(error)

    # ------------------------------------------------------------------ filling

    def _when(self, value: dt.datetime | None) -> str:
        return instant_text(value, self._zone)

    def _fill(self, detail: CaseDetail) -> None:
        self.intake_no_label.setText(detail.intake_no)
        status = label(CaseStatus, detail.status)
        if detail.status_before_close:
            status += self.tr("（自%1结案）").replace("%1", label(CaseStatus, detail.status_before_close))
        self.status_label.setText(status)
        self.status_label.setStyleSheet(style.badge_css(status_colour(detail.status)))
        self.level_label.setText(label(Level, detail.level))
        self.level_label.setStyleSheet(style.badge_css(style.LEVEL_COLOURS.get(detail.level)))
        due = days_left_text(detail.days_left)
        self.due_label.setText(due)
        self.due_label.setVisible(bool(due))
        self.due_label.setStyleSheet(style.badge_css(style.due_colour(detail.days_left, detail.due_soon)))
        applicants = [p.name for p in detail.parties if p.role == PartyRole.APPLICANT]
        respondents = [p.name for p in detail.parties if p.role == PartyRole.RESPONDENT]
        self.parties_title.setText(
            "、".join(applicants) + (self.tr(" 诉 ") + "、".join(respondents) if respondents else "")
        )
        self._fill_overview(detail)
        self._fill_parties(detail)
        self._fill_referral(detail.referral)
        self.tabs.setTabVisible(TAB_REFERRAL, detail.referral is not None)
        self.masked_note.setText(
            self.tr("已显示完整信息（已记入操作日志）。") if detail.revealed else self.tr("身份证号、电话和住址已遮蔽。")
        )
        self.reveal_button.setEnabled(self._actor.may_reveal and not detail.revealed)
        self.edit_case_button.setVisible(detail.may_edit)
        self.add_party_button.setVisible(detail.may_edit)

    def _rows(self, form: QFormLayout, rows: list[tuple[str, str | None]]) -> None:
        while form.rowCount():
            form.removeRow(0)
        for name, value in rows:
            if value:
                form.addRow(name + "：", _label(value))

    def _fill_overview(self, d: CaseDetail) -> None:
        tr = self.tr
        mediators = "、".join(
            f"{m.name}（{label(CaseMediatorRole, m.role)}，{label(MediatorRank, m.rank)}）" for m in d.mediators
        )
        rows = [
            (tr("受理时间"), self._when(d.received_at)),
            (tr("来源"), d.source_label),
            (tr("纠纷类型"), d.dispute_type_label),
            (tr("社区网格"), d.community + (f" / {d.grid}" if d.grid else "")),
            (tr("决定受理"), self._when(d.accepted_at)),
            (tr("调解期限"), f"{date_text(d.due_on)} {days_left_text(d.days_left)}".strip() if d.due_on else None),
            (tr("标的额"), f"{d.amount_yuan} 元" if d.amount_yuan else None),
            (tr("调解员"), mediators or tr("待分配")),
            (tr("结案"), self._when(d.closed_at)),
            (tr("成效"), "、".join(text for flag, text in ((d.prevented_criminal, tr("防止民转刑")),
                                                          (d.prevented_group_petition, tr("防止群体性上访"))) if flag)),
        ]
        narrative = [
            (tr("纠纷概要"), d.summary),
            (tr("请求事项"), "\n".join(f"{i}. {claim}" for i, claim in enumerate(d.claims, 1))),
        ]
        if d.agreement:
            a = d.agreement
            state = tr("已定稿") if a.finalised else tr("草稿")
            narrative.append((tr("协议"), " ".join(x for x in (a.number, lab_kind(a.kind), state) if x)))
        self._rows(self._overview_form, rows)
        self._rows(self._narrative_form, narrative)

    def _fill_parties(self, d: CaseDetail) -> None:
        _clear(self._parties_layout)
        for index, party in enumerate(d.parties):
            self._parties_layout.addWidget(self._party_box(party, index if d.may_edit else None, revealed=d.revealed))
        self._parties_layout.addStretch(1)

    def _party_box(self, p: PartyView, index: int | None = None, *, revealed: bool = False) -> QGroupBox:
        """One party's details; with `index` (the case may be corrected) also 修改 and 删除. Masked, the birth
        date shows only its year (with a masked ID the full date would give the hidden digits back)."""
        tr = self.tr
        box = QGroupBox(f"{label(PartyRole, p.role)}：{p.name}")
        box.setMinimumWidth(260)
        box.setMaximumWidth(420)
        form = _form()
        person = p.kind == PartyKind.PERSON
        rows: list[tuple[str, str | None]] = [(tr("类别"), label(PartyKind, p.kind))]
        if person:
            rows += [
                (tr("姓名"), p.name), (tr("性别"), label(Sex, p.sex)), (tr("民族"), p.ethnicity),
                (tr("出生日期"), _birth_text(p.birth_date, revealed, tr) if p.birth_date else None),
                (tr("证件类型"), label(IdType, p.id_type)), (tr("证件号码"), p.id_number),
                (tr("职业"), p.occupation), (tr("电话"), p.phone), (tr("住址"), p.address),
            ]
        else:
            rows += [
                (tr("名称"), p.name), (tr("统一社会信用代码"), p.credit_code), (tr("法定代表人"), p.representative),
                (tr("住所"), p.address), (tr("电话"), p.phone),
            ]
        if p.agent:
            a = p.agent
            rows += [
                (tr("代理人"), a.name), (tr("代理人关系"), a.relation), (tr("代理人电话"), a.phone),
                (tr("代理人证件"), a.id_number), (tr("代理人住址"), a.address),
            ]
        self._rows(form, rows)
        if index is not None:
            buttons = QHBoxLayout()
            buttons.addStretch(1)
            for text, move in ((tr("修改"), "edit"), (tr("删除"), "remove")):
                button = QPushButton(text)
                button.setObjectName(f"party-{move}-{index}")
                button.clicked.connect(lambda _=False, move=move, index=index: self._on_party_button_clicked(move, index))
                buttons.addWidget(button)
            form.addRow(buttons)
        box.setLayout(form)
        return box

    def _fill_referral(self, r: ReferralView | None) -> None:
        if r is None:
            self._rows(self._referral_form, [])
            return
        tr = self.tr
        officer = " ".join(x for x in (r.officer, tr("警号") + r.badge_no if r.badge_no else None, r.officer_phone) if x)
        rows = [
            (tr("警情编号"), r.incident_no), (tr("派出所"), r.station), (tr("报警时间"), self._when(r.call_time)),
            (tr("案发时间"), self._when(r.incident_time)), (tr("案发地点"), r.incident_place), (tr("民警"), officer),
            (tr("审批领导"), r.approver), (tr("警情性质"), label(ReferralNature, r.nature)),
            (tr("风险标记"), "、".join(label(RiskFlag, f) for f in r.risk_flags)),
            (tr("同意调解"), {True: tr("是"), False: tr("否")}.get(r.consent) if r.consent is not None else None),
            (tr("移交时间"), self._when(r.referred_at)),
            (tr("接收"), f"{r.received_by or ''} {self._when(r.received_at)}".strip()),
            (tr("首次联系期限"), self._when(r.first_contact_due_at)), (tr("结果反馈期限"), self._when(r.feedback_due_at)),
            (tr("首次联系"), self._when(r.first_contact_at)),
            (tr("反馈"), f"{self._when(r.feedback_at)} {r.feedback_content or ''}".strip()),
            (tr("退回公安"), self._when(r.returned_to_police_at)),
        ]
        self._rows(self._referral_form, rows)


def lab_kind(kind: str) -> str:
    from laopan.models.enums import AgreementKind

    return label(AgreementKind, kind)


def _birth_text(day, revealed: bool, tr) -> str:
    return date_text(day) if revealed else tr("%1年（已遮蔽）").replace("%1", str(day.year))
