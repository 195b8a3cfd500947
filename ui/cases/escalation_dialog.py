"""上报 / 退回下一级: the reason (required) and, optionally, who takes the case over at the receiving level.

`assignment.suggest_mediators(level=…)` scores mediators for the receiving level; the dialog offers those the
service says may lead there (`lifecycle.receiving_mediators`, the rule it enforces when saving), best first. Nobody chosen: the case arrives awaiting assignment (待分配).
"""

from dataclasses import dataclass

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton, QWidget

from laopan.labels import label
from laopan.models.enums import Level
from laopan.models.decisions import RecusalOutcome
from laopan.services import assignment
from laopan.services.actor import Actor
from laopan.services.assignment import RecusalChoice
from laopan.services.lifecycle import LEVELS, receiving_mediators
from laopan.services.mediators import list_mediators
from laopan.views.cases import CaseDetail
from ui.cases.mediator_picker import Candidate, MediatorPicker, candidate_of
from ui.common import style
from ui.common.submit_dialog import SubmitDialog
from ui.common.worker import TaskRunner


@dataclass(frozen=True)
class LevelMove:
    """What the escalation dialog submits."""

    reason: str
    to_mediator_id: int | None
    recusal: RecusalChoice | None
    to_name: str | None


def target_level(level: str, down: bool) -> str | None:
    index = LEVELS.index(level) + (-1 if down else 1)
    return LEVELS[index] if 0 <= index < len(LEVELS) else None


def load_receivers(session, *, actor: Actor, case_id: int, level: str, on_case: frozenset[int]) -> tuple[Candidate, ...]:
    """Mediators who may lead at `level`: the service's suggestions first, then the rest — runs on the worker."""
    eligible = set(receiving_mediators(session, actor=actor, case_id=case_id, level=level)) - on_case
    views = {view.id: view for view in list_mediators(session, actor=actor, active_only=True) if view.id in eligible}
    suggestions = assignment.suggest_mediators(session, actor=actor, case_id=case_id, limit=10_000, level=level)
    chosen = [candidate_of(views[s.mediator_id], s) for s in suggestions if s.kind == "mediator" and s.mediator_id in views]
    seen = {c.mediator_id for c in chosen}
    chosen += [candidate_of(view) for view in sorted(views.values(), key=lambda v: (v.open_cases, v.name)) if view.id not in seen]
    return tuple(chosen)


class EscalationDialog(SubmitDialog):
    """Reason plus an optional receiving mediator (with the recusal decision when the check matches).

    Signals:
        receivers_loaded(): the receiving level's mediators arrived.
        matches_loaded(): the recusal matches of the picked mediator arrived.
    """

    receivers_loaded = Signal()
    matches_loaded = Signal()

    def __init__(self, runner: TaskRunner, actor: Actor, detail: CaseDetail, *, down: bool = False, parent: QWidget | None = None):
        self.down = down
        title = self.tr("退回下一级 · %1") if down else self.tr("上报 · %1")
        super().__init__(title.replace("%1", detail.intake_no), self.tr("退回") if down else self.tr("上报"), parent)
        self._actor = actor
        self._detail = detail
        self.level = target_level(detail.level, down) or detail.level
        self._build(runner)
        self._connect_signals()
        self.picker.pick(None)
        self._load()

    def _build(self, runner: TaskRunner) -> None:
        tr = self.tr
        d = self._detail
        source, target = label(Level, d.level), label(Level, self.level)
        move = QLabel(
            f'<span style="color:{style.LEVEL_COLOURS[d.level].name()}">{source}</span> → '
            f'<b style="color:{style.LEVEL_COLOURS[self.level].name()}">{target}</b>'
            f"　{d.community}" + (f" / {d.grid}" if d.grid else "")
        )
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setPlaceholderText(tr("退回理由（必填）") if self.down else tr("上报理由（必填），如：双方分歧大，需社区协调"))
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(self.fontMetrics().height() * 4)
        self.picker = MediatorPicker(
            runner, self._actor, d.id, describe=lambda c: tr("接收调解员：%1").replace("%1", c.name),
            nobody=tr("接收调解员：不指定（案件到达后待分配）"), status=tr("正在读取%1层级的调解员…").replace("%1", target),
            failure=tr("读取失败：%1"), visible_rows=5,
        )
        self.view, self.status_label, self.pick_label, self.recusal = (
            self.picker.view, self.picker.status_label, self.picker.pick_label, self.picker.recusal)
        self.none_button = QPushButton(tr("不指定"))
        self.none_button.setToolTip(tr("不指定接收调解员：案件到达后显示为待分配"))
        self.picker.pick_row.addWidget(self.none_button)
        self.content.addWidget(move)
        self.content.addWidget(QLabel(tr("理由：")))
        self.content.addWidget(self.reason_edit)
        self.content.addWidget(QLabel(tr("接收调解员（可选，%1层级）：").replace("%1", target)))
        self.content.addWidget(self.picker, 1)
        self.resize(820, 560)

    def _connect_signals(self) -> None:
        self.picker.picked_changed.connect(self._on_picker_picked_changed)
        self.picker.matches_loaded.connect(self._on_picker_matches_loaded)
        self.none_button.clicked.connect(self._on_none_button_clicked)
        self.finished.connect(self._on_finished)

    def _load(self) -> None:
        d, actor, level = self._detail, self._actor, self.level
        on_case = frozenset(m.mediator_id for m in d.mediators)
        self.picker.read(lambda s: load_receivers(s, actor=actor, case_id=d.id, level=level, on_case=on_case), self._on_receivers)

    def _on_receivers(self, receivers: tuple[Candidate, ...]) -> None:
        self.picker.set_candidates(receivers)
        target = label(Level, self.level)
        self.status_label.setText(
            self.tr("%1层级可接收的调解员 %2 位（按推荐得分排序）。").replace("%1", target).replace("%2", str(len(receivers)))
            if receivers else self.tr("%1层级没有可接收的调解员：案件到达后待分配。").replace("%1", target)
        )
        self.receivers_loaded.emit()

    # ------------------------------------------------------------------ picking

    @property
    def picked(self) -> Candidate | None:
        return self.picker.picked

    def receivers(self) -> tuple[Candidate, ...]:
        return self.picker.candidates()

    def pick(self, candidate: Candidate | None) -> None:
        self.picker.pick(candidate)

    @Slot()
    def _on_picker_picked_changed(self) -> None:
        nobody = self.picked is None
        self.none_button.setEnabled(not nobody)
        self.ok_button.setEnabled(nobody)  # nobody needs no recusal check; a mediator waits for its answer

    @Slot()
    def _on_picker_matches_loaded(self) -> None:
        self.ok_button.setEnabled(True)
        self.matches_loaded.emit()

    @Slot()
    def _on_none_button_clicked(self) -> None:
        self.pick(None)

    @Slot(int)
    def _on_finished(self, _result: int) -> None:
        self.picker.cancel()

    # ------------------------------------------------------------------ submitting

    def values(self) -> LevelMove | None:
        reason = self.reason_edit.toPlainText().strip()
        if not reason:
            self.set_error(self.tr("请填写%1理由").replace("%1", self.tr("退回") if self.down else self.tr("上报")))
            self.reason_edit.setFocus()
            return None
        problem = self.recusal.problem()
        if problem is not None:
            self.set_error(problem)
            return None
        picked = self.picked
        choice = self.recusal.choice()
        if choice is not None and choice.decision == RecusalOutcome.REPLACED:
            # escalate() refuses a replaced receiver (and so records nothing): pick another one or nobody.
            self.pick(None)
            self.set_error(self.tr("已决定更换%1：请另选接收调解员，或不指定。").replace("%1", picked.name if picked else ""))
            return None
        return LevelMove(reason, picked.mediator_id if picked else None, choice, picked.name if picked else None)
