"""指派调解员: suggestions with their reasons, any other mediator, and the recusal check (回避审查).

When a mediator is picked, the dialog asks the service for the recusal matches (`assignment.recusal_matches`).
If there are any, the user must decide — 继续指派 (keep, with a reason) or 更换 (replace) — and the decision is
recorded by `assign_mediator` through its `RecusalChoice` (a replacement keeps the dialog open to pick another).
"""

from dataclasses import dataclass

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from laopan.cli.format import lab
from laopan.models.enums import CaseMediatorRole, Level, MediatorRank, MediatorUnit
from laopan.models.workflow2 import RecusalOutcome
from laopan.services import assignment
from laopan.services.actor import Actor
from laopan.services.assignment import RecusalChoice
from laopan.services.mediators import list_mediators
from laopan.views.assignment import RecusalMatch, Suggestion
from laopan.views.cases import CaseDetail
from laopan.views.mediators import MediatorView
from ui.common import style
from ui.common.row_table import Column, RowTableModel, selected_row, table_view
from ui.common.submit_dialog import SubmitDialog, muted
from ui.common.worker import TaskRunner

SUGGESTION_LIMIT = 8


@dataclass(frozen=True)
class Candidate:
    """A mediator (or a 老潘+小潘 pairing, led by its junior) the user may pick."""

    kind: str  # "mediator" or "pairing"
    name: str
    mediator_id: int
    pairing_id: int | None
    rank: str
    unit: str
    place: str
    explanation: str
    score: int | None  # None: not among the service's suggestions
    open_cases: int
    recusal: tuple[str, ...] = ()


@dataclass(frozen=True)
class AssignmentPicked:
    """What the assignment dialog submits."""

    mediator_id: int
    pairing_id: int | None
    role: CaseMediatorRole
    recusal: RecusalChoice | None
    name: str


def _place(view: MediatorView) -> str:
    return " / ".join(x for x in (view.community, view.grid) if x)


def candidate_of(view: MediatorView, suggestion: Suggestion | None = None) -> Candidate:
    if suggestion is None:
        return Candidate("mediator", view.name, view.id, None, view.rank, view.unit, _place(view),
                         f"在办{view.open_cases}件", None, view.open_cases)
    return Candidate(suggestion.kind, suggestion.name, suggestion.mediator_id, suggestion.pairing_id,
                     view.rank if suggestion.kind == "mediator" else "pairing", view.unit, _place(view),
                     suggestion.explanation, suggestion.score, suggestion.open_cases, suggestion.recusal)


def load_choices(session, *, actor: Actor, case_id: int, on_case: frozenset[int]) -> tuple[tuple[Candidate, ...], tuple[Candidate, ...]]:
    """(the service's suggestions, every other active ranked mediator not on the case) — runs on the worker."""
    views = {view.id: view for view in list_mediators(session, actor=actor, active_only=True)}
    suggestions = assignment.suggest_mediators(session, actor=actor, case_id=case_id, limit=SUGGESTION_LIMIT)
    suggested = tuple(candidate_of(views[s.mediator_id], s) for s in suggestions if s.mediator_id in views)
    taken = {c.mediator_id for c in suggested if c.kind == "mediator"} | set(on_case)
    others = tuple(
        candidate_of(view) for view in views.values()
        if view.id not in taken and view.rank != MediatorRank.UNKNOWN.value
    )
    return suggested, others


def rank_text(code: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("AssignmentDialog", "老潘+小潘") if code == "pairing" else lab(MediatorRank, code)


def candidate_columns(tr) -> list[Column]:
    return [
        Column(tr("调解员"), lambda c: c.name),
        Column(tr("级别"), lambda c: rank_text(c.rank)),
        Column(tr("单位"), lambda c: lab(MediatorUnit, c.unit)),
        Column(tr("社区/网格"), lambda c: c.place),
        Column(tr("推荐理由"), lambda c: c.explanation, stretch=True,
               colour=lambda c: style.OVERDUE if c.recusal else None,
               tooltip=lambda c: "\n".join((c.explanation, *c.recusal))),
        Column(tr("得分"), lambda c: "" if c.score is None else str(c.score)),
    ]


class RecusalPanel(QGroupBox):
    """The recusal matches of the picked mediator and the decision they require (hidden when none).

    Signals:
        decision_changed(): the user chose 继续指派 / 更换 or typed the reason.
    """

    decision_changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTitle(self.tr("回避审查"))
        self.setStyleSheet(f"QGroupBox {{ color: {style.OVERDUE.name()}; font-weight: bold; }}")
        self._matches: tuple[RecusalMatch, ...] = ()
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setStyleSheet(style.ERROR_CSS + " font-weight: normal;")
        self.keep_radio = QRadioButton(self.tr("继续指派"))
        self.replace_radio = QRadioButton(self.tr("更换"))
        self.decision_group = QButtonGroup(self)
        self.decision_group.addButton(self.keep_radio)
        self.decision_group.addButton(self.replace_radio)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(self.tr("决定理由（必填），如：仅同楼不同单元，双方同意由其调解"))
        decision = QHBoxLayout()
        decision.addWidget(QLabel(self.tr("决定：")))
        decision.addWidget(self.keep_radio)
        decision.addWidget(self.replace_radio)
        decision.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addLayout(decision)
        layout.addWidget(self.reason_edit)
        for widget in (self.keep_radio, self.replace_radio, self.reason_edit):
            widget.setStyleSheet("font-weight: normal;")
        self.setVisible(False)
        self.keep_radio.toggled.connect(self._on_decision_toggled)
        self.replace_radio.toggled.connect(self._on_decision_toggled)
        self.reason_edit.textChanged.connect(self._on_reason_edit_changed)

    @property
    def matches(self) -> tuple[RecusalMatch, ...]:
        return self._matches

    def set_matches(self, name: str, matches: list[RecusalMatch]) -> None:
        self._matches = tuple(matches)
        lines = "\n".join(f"· {m.message}" for m in matches)
        self.summary_label.setText(self.tr("调解员%1可能需要回避：").replace("%1", name) + "\n" + lines)
        self.decision_group.setExclusive(False)
        self.keep_radio.setChecked(False)
        self.replace_radio.setChecked(False)
        self.decision_group.setExclusive(True)
        self.reason_edit.clear()
        self.setVisible(bool(matches))

    def clear(self) -> None:
        self.set_matches("", [])

    def problem(self) -> str | None:
        """What is still missing for a decision (None when complete or not needed)."""
        if not self._matches:
            return None
        if not (self.keep_radio.isChecked() or self.replace_radio.isChecked()):
            return self.tr("存在回避情形：请决定“继续指派”或“更换”")
        if not self.reason_edit.text().strip():
            return self.tr("请填写回避决定的理由")
        return None

    def choice(self) -> RecusalChoice | None:
        if not self._matches or self.problem() is not None:
            return None
        decision = RecusalOutcome.KEPT if self.keep_radio.isChecked() else RecusalOutcome.REPLACED
        return RecusalChoice(decision=decision, reason=self.reason_edit.text().strip())

    @Slot(bool)
    def _on_decision_toggled(self, _checked: bool) -> None:
        self.decision_changed.emit()

    @Slot(str)
    def _on_reason_edit_changed(self, _text: str) -> None:
        self.decision_changed.emit()


class AssignmentDialog(SubmitDialog):
    """Pick a mediator for the case: suggestions first, then anyone; the recusal decision when needed.

    Signals:
        choices_loaded(): the suggestions and the other mediators arrived.
        matches_loaded(): the recusal matches of the picked mediator arrived.
    """

    choices_loaded = Signal()
    matches_loaded = Signal()

    def __init__(self, runner: TaskRunner, actor: Actor, detail: CaseDetail, parent: QWidget | None = None):
        super().__init__(self.tr("指派调解员 · %1").replace("%1", detail.intake_no), self.tr("指派"), parent)
        self._runner = runner
        self._actor = actor
        self._detail = detail
        self._group = f"assignment-dialog-{id(self)}"
        self._request = 0
        self._picked: Candidate | None = None
        self._others: tuple[Candidate, ...] = ()
        self._notice = ""
        self._build()
        self._connect_signals()
        self.reload()

    def _build(self) -> None:
        tr = self.tr
        d = self._detail
        current = "、".join(f"{m.name}（{lab(CaseMediatorRole, m.role)}）" for m in d.mediators) or tr("暂无")
        self.case_label = muted(tr("%1 · %2%3 · 现有调解员：%4").replace("%1", d.intake_no).replace("%2", lab(Level, d.level))
                                .replace("%3", f" · {d.community}" + (f" / {d.grid}" if d.grid else "")).replace("%4", current))
        self.role_combo = QComboBox()
        for role in CaseMediatorRole:
            self.role_combo.addItem(lab(CaseMediatorRole, role.value), role.value)
        has_lead = any(m.role == CaseMediatorRole.LEAD.value for m in d.mediators)
        self.role_combo.setCurrentIndex(1 if has_lead else 0)
        self.model = RowTableModel(candidate_columns(tr), self)
        self.view = table_view(self.model)
        self.view.setMinimumHeight(self.view.verticalHeader().defaultSectionSize() * 6 + 30)
        self.status_label = muted(tr("正在计算推荐…"))
        self.other_combo = QComboBox()
        self.other_combo.addItem(tr("（从名册中选择其他调解员）"), None)
        self.pick_label = QLabel()
        self.pick_label.setWordWrap(True)
        self.recusal = RecusalPanel()
        form = QFormLayout()
        form.addRow(tr("担任："), self.role_combo)
        form.addRow(tr("其他调解员："), self.other_combo)
        self.content.addWidget(self.case_label)
        self.content.addWidget(QLabel(tr("推荐（得分越高越合适；理由依次为：单位/地域 · 专长 · 在办案件）：")))
        self.content.addWidget(self.view, 1)
        self.content.addWidget(self.status_label)
        self.content.addLayout(form)
        self.content.addWidget(self.pick_label)
        self.content.addWidget(self.recusal)
        self.resize(860, 560)

    def _connect_signals(self) -> None:
        self.view.selectionModel().selectionChanged.connect(self._on_view_current_row_changed)
        self.other_combo.currentIndexChanged.connect(self._on_other_combo_changed)
        self.recusal.decision_changed.connect(self._on_recusal_decision_changed)
        self.finished.connect(self._on_finished)

    # ------------------------------------------------------------------ loading

    def reload(self) -> None:
        """Ask again for suggestions (also after a 更换 decision was recorded)."""
        actor, case_id = self._actor, self._detail.id
        on_case = frozenset(m.mediator_id for m in self._detail.mediators)
        self._runner.read(lambda s: load_choices(s, actor=actor, case_id=case_id, on_case=on_case),
                          on_done=self._on_choices, on_error=self._on_load_failed, group=self._group)

    def _on_choices(self, result: tuple[tuple[Candidate, ...], tuple[Candidate, ...]]) -> None:
        suggested, others = result
        self.model.set_rows(suggested)
        self._others = others
        self.other_combo.blockSignals(True)
        while self.other_combo.count() > 1:
            self.other_combo.removeItem(1)
        for number, other in enumerate(others):
            place = f"，{other.place}" if other.place else ""
            self.other_combo.addItem(f"{other.name}（{rank_text(other.rank)}，{lab(MediatorUnit, other.unit)}{place}，{other.explanation}）", number)
        self.other_combo.setCurrentIndex(0)
        self.other_combo.blockSignals(False)
        self.status_label.setText(self.tr("推荐 %1 位；名册中另有 %2 位可选。").replace("%1", str(len(suggested))).replace("%2", str(len(others)))
                                  if suggested else self.tr("没有可推荐的调解员，请从名册中选择。"))
        self._set_picked(None)
        self.set_busy(False)
        self.choices_loaded.emit()

    def _on_load_failed(self, error: BaseException) -> None:
        self.status_label.setText(self.tr("读取推荐失败：%1").replace("%1", str(error)))
        self.status_label.setStyleSheet(style.ERROR_CSS)

    # ------------------------------------------------------------------ picking

    def pick(self, candidate: Candidate | None) -> None:
        """Pick a candidate (the table and the combo call this; so may tests)."""
        self._set_picked(candidate)

    def candidates(self) -> tuple[Candidate, ...]:
        return self.model.rows()

    def others(self) -> tuple[Candidate, ...]:
        return self._others

    @property
    def picked(self) -> Candidate | None:
        return self._picked

    def _set_picked(self, candidate: Candidate | None) -> None:
        self._picked = candidate
        self._request += 1
        self.recusal.clear()
        self.set_error(None)
        if candidate is None:
            self.pick_label.setText(self._notice or self.tr("请选择一位调解员。"))
            self.ok_button.setEnabled(False)
            return
        what = self.tr("结对（由小潘主调，老潘带教）") if candidate.kind == "pairing" else rank_text(candidate.rank)
        self.pick_label.setText(self.tr("已选：%1 · %2 · 正在进行回避审查…").replace("%1", candidate.name).replace("%2", what))
        self.ok_button.setEnabled(False)
        request, actor, case_id, mediator_id = self._request, self._actor, self._detail.id, candidate.mediator_id
        self._runner.read(
            lambda s: assignment.recusal_matches(s, actor=actor, case_id=case_id, mediator_id=mediator_id),
            on_done=lambda matches: self._on_matches(request, candidate, matches),
            on_error=self._on_load_failed, group=self._group,
        )

    def _on_matches(self, request: int, candidate: Candidate, matches: list[RecusalMatch]) -> None:
        if request != self._request:
            return
        what = self.tr("结对（由小潘主调，老潘带教）") if candidate.kind == "pairing" else rank_text(candidate.rank)
        verdict = self.tr("须作回避决定") if matches else self.tr("未发现回避情形")
        self.pick_label.setText(self.tr("已选：%1 · %2 · %3").replace("%1", candidate.name).replace("%2", what).replace("%3", verdict))
        name = candidate.name.split("+")[-1] if candidate.kind == "pairing" else candidate.name
        self.recusal.set_matches(name, matches)
        self.ok_button.setEnabled(True)
        self.matches_loaded.emit()

    @Slot()
    def _on_view_current_row_changed(self) -> None:
        candidate = selected_row(self.view)
        if candidate is not None:
            self.other_combo.blockSignals(True)
            self.other_combo.setCurrentIndex(0)
            self.other_combo.blockSignals(False)
            self._set_picked(candidate)

    @Slot(int)
    def _on_other_combo_changed(self, _index: int) -> None:
        number = self.other_combo.currentData()
        if number is None:
            return
        self.view.clearSelection()
        self._set_picked(self._others[number])

    @Slot()
    def _on_recusal_decision_changed(self) -> None:
        if self.recusal.problem() is None:
            self.set_error(None)

    @Slot(int)
    def _on_finished(self, _result: int) -> None:
        self._runner.cancel(self._group)

    # ------------------------------------------------------------------ submitting

    def values(self) -> AssignmentPicked | None:
        candidate = self._picked
        if candidate is None:
            self.set_error(self.tr("请选择一位调解员"))
            return None
        problem = self.recusal.problem()
        if problem is not None:
            self.set_error(problem)
            return None
        return AssignmentPicked(candidate.mediator_id, candidate.pairing_id, CaseMediatorRole(self.role_combo.currentData()),
                                self.recusal.choice(), candidate.name)

    def replaced(self, name: str) -> None:
        """The service recorded a 更换 decision: say so and offer the choice again."""
        self._notice = self.tr("已记录回避决定：更换%1。请另选调解员。").replace("%1", name)
        self.pick_label.setText(self._notice)
        self.reload()
