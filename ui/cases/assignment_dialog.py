"""指派调解员: suggestions with their reasons, any other mediator, and the recusal check (回避审查).

The picking and the recusal check are `MediatorPicker`'s; the decision is recorded by `assign_mediator` through
its `RecusalChoice` (a replacement keeps the dialog open to pick another).
"""

from dataclasses import dataclass

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QWidget

from laopan.labels import label
from laopan.models.enums import CaseMediatorRole, Level, MediatorRank, MediatorUnit
from laopan.services import assignment
from laopan.services.actor import Actor
from laopan.services.assignment import RecusalChoice
from laopan.services.mediators import list_mediators
from laopan.views.cases import CaseDetail
from ui.cases.mediator_picker import Candidate, MediatorPicker, candidate_of, rank_text
from ui.common.submit_dialog import SubmitDialog, muted
from ui.common.worker import TaskRunner

SUGGESTION_LIMIT = 8


@dataclass(frozen=True)
class AssignmentPicked:
    """What the assignment dialog submits."""

    mediator_id: int
    pairing_id: int | None
    role: CaseMediatorRole
    recusal: RecusalChoice | None
    name: str


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
        self._actor = actor
        self._detail = detail
        self._others: tuple[Candidate, ...] = ()
        self._build(runner)
        self._connect_signals()
        self.reload()

    def _build(self, runner: TaskRunner) -> None:
        tr = self.tr
        d = self._detail
        current = "、".join(f"{m.name}（{label(CaseMediatorRole, m.role)}）" for m in d.mediators) or tr("暂无")
        self.case_label = muted(tr("%1 · %2%3 · 现有调解员：%4").replace("%1", d.intake_no).replace("%2", label(Level, d.level))
                                .replace("%3", f" · {d.community}" + (f" / {d.grid}" if d.grid else "")).replace("%4", current))
        self.role_combo = QComboBox()
        for role in CaseMediatorRole:
            self.role_combo.addItem(label(CaseMediatorRole, role.value), role.value)
        has_lead = any(m.role == CaseMediatorRole.LEAD.value for m in d.mediators)
        self.role_combo.setCurrentIndex(1 if has_lead else 0)
        self.picker = MediatorPicker(
            runner, self._actor, d.id, describe=self._describe, nobody=tr("请选择一位调解员。"),
            status=tr("正在计算推荐…"), failure=tr("读取推荐失败：%1"), visible_rows=6,
        )
        self.view, self.status_label, self.pick_label, self.recusal = (
            self.picker.view, self.picker.status_label, self.picker.pick_label, self.picker.recusal)
        self.other_combo = QComboBox()
        self.other_combo.addItem(tr("（从名册中选择其他调解员）"), None)
        form = QFormLayout()
        form.addRow(tr("担任："), self.role_combo)
        form.addRow(tr("其他调解员："), self.other_combo)
        self.picker.options.addLayout(form)
        self.content.addWidget(self.case_label)
        self.content.addWidget(QLabel(tr("推荐（得分越高越合适；理由依次为：单位/地域 · 专长 · 在办案件）：")))
        self.content.addWidget(self.picker, 1)
        self.resize(860, 560)

    def _connect_signals(self) -> None:
        self.picker.picked_changed.connect(self._on_picker_picked_changed)
        self.picker.matches_loaded.connect(self._on_picker_matches_loaded)
        self.other_combo.currentIndexChanged.connect(self._on_other_combo_changed)
        self.recusal.decision_changed.connect(self._on_recusal_decision_changed)
        self.finished.connect(self._on_finished)

    def _describe(self, candidate: Candidate) -> str:
        what = self.tr("结对（由小潘主调，老潘带教）") if candidate.kind == "pairing" else rank_text(candidate.rank)
        return self.tr("已选：%1 · %2").replace("%1", candidate.name).replace("%2", what)

    # ------------------------------------------------------------------ loading

    def reload(self) -> None:
        """Ask again for suggestions (also after a 更换 decision was recorded)."""
        actor, case_id = self._actor, self._detail.id
        on_case = frozenset(m.mediator_id for m in self._detail.mediators)
        self.picker.read(lambda s: load_choices(s, actor=actor, case_id=case_id, on_case=on_case), self._on_choices)

    def _on_choices(self, result: tuple[tuple[Candidate, ...], tuple[Candidate, ...]]) -> None:
        suggested, others = result
        self.picker.set_candidates(suggested)
        self._others = others
        self.other_combo.blockSignals(True)
        while self.other_combo.count() > 1:
            self.other_combo.removeItem(1)
        for number, other in enumerate(others):
            place = f"，{other.place}" if other.place else ""
            self.other_combo.addItem(f"{other.name}（{rank_text(other.rank)}，{label(MediatorUnit, other.unit)}{place}，{other.explanation}）", number)
        self.other_combo.setCurrentIndex(0)
        self.other_combo.blockSignals(False)
        self.status_label.setText(self.tr("推荐 %1 位；名册中另有 %2 位可选。").replace("%1", str(len(suggested))).replace("%2", str(len(others)))
                                  if suggested else self.tr("没有可推荐的调解员，请从名册中选择。"))
        self.picker.pick(None)
        self.set_busy(False)
        self.choices_loaded.emit()

    # ------------------------------------------------------------------ picking

    def pick(self, candidate: Candidate | None) -> None:
        """Pick a candidate (the table and the combo call this; so may tests)."""
        self.picker.pick(candidate)

    def candidates(self) -> tuple[Candidate, ...]:
        return self.picker.candidates()

    def others(self) -> tuple[Candidate, ...]:
        return self._others

    @property
    def picked(self) -> Candidate | None:
        return self.picker.picked

    @Slot()
    def _on_picker_picked_changed(self) -> None:
        if self.picked not in self._others:  # picked in the table (or nobody): the combo no longer names it
            self.other_combo.blockSignals(True)
            self.other_combo.setCurrentIndex(0)
            self.other_combo.blockSignals(False)
        self.set_error(None)
        self.ok_button.setEnabled(False)

    @Slot()
    def _on_picker_matches_loaded(self) -> None:
        self.ok_button.setEnabled(True)
        self.matches_loaded.emit()

    @Slot(int)
    def _on_other_combo_changed(self, _index: int) -> None:
        number = self.other_combo.currentData()
        if number is None:
            return
        self.picker.pick(self._others[number])

    @Slot()
    def _on_recusal_decision_changed(self) -> None:
        if self.recusal.problem() is None:
            self.set_error(None)

    @Slot(int)
    def _on_finished(self, _result: int) -> None:
        self.picker.cancel()

    # ------------------------------------------------------------------ submitting

    def values(self) -> AssignmentPicked | None:
        candidate = self.picked
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
        self.picker.nobody = self.tr("已记录回避决定：更换%1。请另选调解员。").replace("%1", name)
        self.picker.show_nobody()
        self.reload()
