"""Picking a mediator from ranked suggestions, with the recusal check (回避审查) — shared by 指派调解员 and 上报/退回.

`MediatorPicker` shows the candidates (best score first), asks the service for the recusal matches of the one
picked (`assignment.recusal_matches`, on the worker) and, when there are any, the decision they require —
继续指派 (keep, with a reason) or 更换 (replace). The dialog embedding it records that decision through the
service with the rest of its form (`RecusalChoice`).
"""

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Signal, Slot
from PySide6.QtWidgets import QButtonGroup, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QRadioButton, QVBoxLayout, QWidget

from laopan.labels import label
from laopan.models.decisions import RecusalOutcome
from laopan.models.enums import MediatorRank, MediatorUnit
from laopan.services import assignment
from laopan.services.actor import Actor
from laopan.services.assignment import RecusalChoice
from laopan.views.assignment import RecusalMatch, Suggestion
from laopan.views.mediators import MediatorView
from ui.common import style
from ui.common.row_table import Column, RowTableModel, selected_row, table_view
from ui.common.submit_dialog import muted
from ui.common.worker import TaskRunner


@dataclass(frozen=True)
class Candidate:
    """A mediator (or a 老潘+小潘 pairing, led by its junior) the user may pick: the service's suggestion (when
    there is one) joined with what the registry says about the mediator."""

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


def _place(view: MediatorView) -> str:
    return " / ".join(x for x in (view.community, view.grid) if x)


def candidate_of(view: MediatorView, suggestion: Suggestion | None = None) -> Candidate:
    if suggestion is None:
        return Candidate("mediator", view.name, view.id, None, view.rank, view.unit, _place(view),
                         f"在办{view.open_cases}件", None, view.open_cases)
    return Candidate(suggestion.kind, suggestion.name, suggestion.mediator_id, suggestion.pairing_id,
                     view.rank if suggestion.kind == "mediator" else "pairing", view.unit, _place(view),
                     suggestion.explanation, suggestion.score, suggestion.open_cases, suggestion.recusal)


def rank_text(code: str) -> str:
    return QCoreApplication.translate("AssignmentDialog", "老潘+小潘") if code == "pairing" else label(MediatorRank, code)


def candidate_columns(tr) -> list[Column]:
    return [
        Column(tr("调解员"), lambda c: c.name),
        Column(tr("级别"), lambda c: rank_text(c.rank)),
        Column(tr("单位"), lambda c: label(MediatorUnit, c.unit)),
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
        self._connect_signals()

    def _connect_signals(self) -> None:
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


class MediatorPicker(QWidget):
    """The candidates table, a status line, what is picked (with the recusal check's verdict) and the recusal panel.

    `options` (a layout under the status line) and `pick_row` (beside the picked line) take the embedding
    dialog's own controls. `describe(candidate)` says what is picked ("已选：…"); `nobody` what shows when
    no one is. The worker reads run in `group`, which the dialog cancels when it closes (`cancel()`).

    Signals:
        picked_changed(): a candidate or nobody was picked; for a candidate the recusal check is now running.
        matches_loaded(): the recusal check of the picked candidate is done (a decision shown when one is needed).
    """

    picked_changed = Signal()
    matches_loaded = Signal()

    def __init__(self, runner: TaskRunner, actor: Actor, case_id: int, *, describe: Callable[[Candidate], str],
                 nobody: str, status: str, failure: str, visible_rows: int, parent: QWidget | None = None):
        super().__init__(parent)
        self._runner = runner
        self._actor = actor
        self._case_id = case_id
        self._describe = describe
        self._failure = failure
        self._group = f"mediator-picker-{id(self)}"
        self._request = 0
        self._picked: Candidate | None = None
        self.nobody = nobody
        self.model = RowTableModel(candidate_columns(self.tr), self)
        self.view = table_view(self.model)
        self.view.setMinimumHeight(self.view.verticalHeader().defaultSectionSize() * visible_rows + 30)
        self.status_label = muted(status)
        self.options = QVBoxLayout()
        self.pick_label = QLabel()
        self.pick_label.setWordWrap(True)
        self.pick_row = QHBoxLayout()
        self.pick_row.addWidget(self.pick_label, 1)
        self.recusal = RecusalPanel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status_label)
        layout.addLayout(self.options)
        layout.addLayout(self.pick_row)
        layout.addWidget(self.recusal)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.view.selectionModel().selectionChanged.connect(self._on_view_selection_changed)

    # ------------------------------------------------------------------ loading

    def read(self, work: Callable, on_done: Callable) -> None:
        """Run a read for the candidates on the worker; a failure is shown on the status line."""
        self._runner.read(work, on_done=on_done, on_error=self._on_read_failed, group=self._group)

    def set_candidates(self, candidates: tuple[Candidate, ...]) -> None:
        self.model.set_rows(candidates)

    def candidates(self) -> tuple[Candidate, ...]:
        return self.model.rows()

    def cancel(self) -> None:
        """Drop the reads still queued or running (the dialog is closing)."""
        self._runner.cancel(self._group)

    def _on_read_failed(self, error: BaseException) -> None:
        self.status_label.setText(self._failure.replace("%1", str(error)))
        self.status_label.setStyleSheet(style.ERROR_CSS)

    # ------------------------------------------------------------------ picking

    @property
    def picked(self) -> Candidate | None:
        return self._picked

    def pick(self, candidate: Candidate | None) -> None:
        """Pick a candidate, one not in the table (the table's selection is cleared) or nobody."""
        if candidate is None or candidate not in self.model.rows():
            self.view.clearSelection()
        self._set_picked(candidate)

    def show_nobody(self) -> None:
        self.pick_label.setText(self.nobody)

    def _set_picked(self, candidate: Candidate | None) -> None:
        self._picked = candidate
        self._request += 1
        self.recusal.clear()
        if candidate is None:
            self.show_nobody()
            self.picked_changed.emit()
            return
        self.pick_label.setText(f"{self._describe(candidate)} · {self.tr('正在进行回避审查…')}")
        self.picked_changed.emit()
        request, actor, case_id, mediator_id = self._request, self._actor, self._case_id, candidate.mediator_id
        self.read(lambda s: assignment.recusal_matches(s, actor=actor, case_id=case_id, mediator_id=mediator_id),
                  lambda matches: self._on_matches(request, candidate, matches))

    def _on_matches(self, request: int, candidate: Candidate, matches: list[RecusalMatch]) -> None:
        if request != self._request:  # a later pick: its own check answers
            return
        verdict = self.tr("须作回避决定") if matches else self.tr("未发现回避情形")
        self.pick_label.setText(f"{self._describe(candidate)} · {verdict}")
        # A pairing is led by its junior (小潘), whose relations are the ones checked.
        name = candidate.name.split("+")[-1] if candidate.kind == "pairing" else candidate.name
        self.recusal.set_matches(name, matches)
        self.matches_loaded.emit()

    @Slot()
    def _on_view_selection_changed(self) -> None:
        candidate = selected_row(self.view)
        if candidate is not None:
            self._set_picked(candidate)
