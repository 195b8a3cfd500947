"""调解记录: the case's sittings (list + what was said) and the dialog that adds or edits one."""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from laopan.labels import instant_text
from laopan.models.enums import CaseMediatorRole
from laopan.views.cases import SessionView
from laopan.views.cases import CaseDetail
from ui.common.row_table import Column, RowTableModel, selected_row, table_view
from ui.common.submit_dialog import SubmitDialog, datetime_edit, datetime_of, muted, split_names


@dataclass(frozen=True)
class SessionValues:
    """What the sitting dialog submits (`session` is the record being edited, None for a new one)."""

    session: SessionView | None
    held_at: dt.datetime
    place: str
    mediators: tuple[str, ...]
    parties_present: tuple[str, ...]
    participants: tuple[str, ...]
    statements: str
    result: str


class SessionsTab(QWidget):
    """The sittings of the shown case, earliest first, with 新增 / 修改.

    Signals:
        add_requested(): the user wants to record a new sitting.
        edit_requested(object): the user wants to edit this SessionView.
    """

    add_requested = Signal()
    edit_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._zone = ZoneInfo("Asia/Shanghai")
        self._can_edit = False
        tr = self.tr
        self.model = RowTableModel([
            Column(tr("时间"), lambda s: self._when(s.held_at)),
            Column(tr("地点"), lambda s: s.place),
            Column(tr("调解员"), lambda s: "、".join(s.mediators)),
            Column(tr("到场当事人"), lambda s: "、".join(s.parties_present)),
            Column(tr("参加人"), lambda s: "、".join(s.participants)),
            Column(tr("结果"), lambda s: s.result.replace("\n", " "), stretch=True),
        ], self)
        self.view = table_view(self.model)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setPlaceholderText(tr("选择一条调解记录查看当事人陈述和调解结果"))
        self.add_button = QPushButton(tr("新增调解记录"))
        self.edit_button = QPushButton(tr("修改…"))
        self.count_label = muted()
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        split = QSplitter()
        split.addWidget(self.view)
        split.addWidget(self.text)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(split, 1)
        self._connect_signals()
        self._on_selection_changed()

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.view.doubleClicked.connect(self._on_edit_button_clicked)
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)

    def _when(self, value: dt.datetime) -> str:
        return instant_text(value, self._zone)

    def set_sessions(self, sessions: list[SessionView], *, time_zone: str, can_add: bool, can_edit: bool) -> None:
        self._zone = ZoneInfo(time_zone)
        self._can_edit = can_edit
        keep = selected_row(self.view)
        self.model.set_rows(sessions)
        self.add_button.setEnabled(can_add)
        self.add_button.setToolTip("" if can_add else self.tr("案件受理后才能记录调解；已结案归档的案件只读"))
        self.count_label.setText(self.tr("共 %1 次调解").replace("%1", str(len(sessions))) if sessions else self.tr("尚无调解记录"))
        if keep is not None:
            for number, row in enumerate(sessions):
                if row.id == keep.id:
                    self.view.selectRow(number)
        self._on_selection_changed()

    @Slot()
    def _on_selection_changed(self) -> None:
        row = selected_row(self.view)
        self.edit_button.setEnabled(row is not None and self._can_edit)
        if row is None:
            self.text.clear()
            return
        tr = self.tr
        parts = [
            f"{tr('时间')}：{self._when(row.held_at)}　{tr('地点')}：{row.place}",
            f"{tr('调解员')}：{'、'.join(row.mediators)}",
            f"{tr('到场当事人')}：{'、'.join(row.parties_present) or tr('（未记录）')}",
        ]
        if row.participants:
            parts.append(f"{tr('参加人')}：{'、'.join(row.participants)}")
        parts += [f"\n{tr('当事人陈述')}：\n{row.statements or tr('（未记录）')}", f"\n{tr('调解结果')}：\n{row.result or tr('（未记录）')}"]
        self.text.setPlainText("\n".join(parts))

    @Slot()
    def _on_add_button_clicked(self) -> None:
        self.add_requested.emit()

    @Slot()
    def _on_edit_button_clicked(self) -> None:
        row = selected_row(self.view)
        if row is not None and self._can_edit:
            self.edit_requested.emit(row)


class SessionDialog(SubmitDialog):
    """One sitting: time (not in the future), place, mediators, parties present, participants, statements, result."""

    def __init__(self, detail: CaseDetail, *, now: dt.datetime, existing: SessionView | None = None, parent: QWidget | None = None):
        tr = self.tr
        title = tr("修改调解记录 · %1") if existing else tr("新增调解记录 · %1")
        super().__init__(title.replace("%1", detail.intake_no), tr("保存"), parent)
        self._zone = ZoneInfo(detail.time_zone)
        self._existing = existing
        local_now = now.astimezone(self._zone)
        held = existing.held_at.astimezone(self._zone) if existing else local_now
        self.held_edit = datetime_edit(held, maximum=local_now)
        self.place_edit = QLineEdit(existing.place if existing else "")
        self.place_edit.setPlaceholderText(tr("如：华光城社区调解室"))
        # The case's mediators (the lead ticked for a new sitting) and whoever an earlier record named besides.
        case_names = [m.name for m in detail.mediators]
        leads = {m.name for m in detail.mediators if m.role == CaseMediatorRole.LEAD} or set(case_names[:1])
        chosen = set(existing.mediators) if existing else leads
        names = case_names + [name for name in (existing.mediators if existing else ()) if name not in case_names]
        self.mediator_boxes, mediators_row = self._check_row(names, chosen)
        self.other_mediators_edit = QLineEdit()
        self.other_mediators_edit.setPlaceholderText(tr("未分配到本案的调解员，多人用顿号分隔"))
        present = set(existing.parties_present) if existing else {p.name for p in detail.parties}
        self.party_boxes, parties_row = self._check_row([p.name for p in detail.parties], present)
        self.participants_edit = QLineEdit("、".join(existing.participants) if existing else "")
        self.participants_edit.setPlaceholderText(tr("参加调解的其他人员，如：社区民警、楼道长"))
        self.statements_edit = QPlainTextEdit(existing.statements if existing else "")
        self.statements_edit.setTabChangesFocus(True)
        self.result_edit = QPlainTextEdit(existing.result if existing else "")
        self.result_edit.setTabChangesFocus(True)
        self.result_edit.setFixedHeight(self.fontMetrics().height() * 4)
        form = QFormLayout()
        form.addRow(tr("调解时间："), self.held_edit)
        form.addRow(tr("调解地点："), self.place_edit)
        form.addRow(tr("调解员："), mediators_row)
        form.addRow(tr("其他调解员："), self.other_mediators_edit)
        form.addRow(tr("到场当事人："), parties_row)
        form.addRow(tr("其他参加人："), self.participants_edit)
        form.addRow(tr("当事人陈述："), self.statements_edit)
        form.addRow(tr("调解结果："), self.result_edit)
        self.content.addLayout(form)
        self.resize(640, 520)
        # A message goes as soon as what it names is filled in.
        self.place_edit.textChanged.connect(self._on_answer_changed)
        self.other_mediators_edit.textChanged.connect(self._on_answer_changed)
        for box in self.mediator_boxes:
            box.toggled.connect(self._on_answer_changed)

    @staticmethod
    def _check_row(names: list[str], checked: set[str]) -> tuple[list[QCheckBox], QHBoxLayout]:
        boxes, row = [], QHBoxLayout()
        for name in names:
            box = QCheckBox(name)
            box.setChecked(name in checked)
            boxes.append(box)
            row.addWidget(box)
        row.addStretch(1)
        return boxes, row

    def _mediators(self) -> tuple[str, ...]:
        picked = [box.text() for box in self.mediator_boxes if box.isChecked()]
        typed = [name for name in split_names(self.other_mediators_edit.text()) if name not in picked]
        return tuple(picked + typed)

    def _problems(self) -> list[str]:
        """What the form still lacks, in the order it asks for it."""
        problems = []
        if not self.place_edit.text().strip():
            problems.append(self.tr("调解地点: 不能为空"))
        if not self._mediators():
            problems.append(self.tr("调解员: 至少勾选或填写一名"))
        return problems

    @Slot()
    def _on_answer_changed(self) -> None:
        shown = self.error
        if shown in (self.tr("调解地点: 不能为空"), self.tr("调解员: 至少勾选或填写一名")) and shown not in self._problems():
            self.set_error(None)  # a service's refusal stays until the next save

    def values(self) -> SessionValues | None:
        problems = self._problems()
        if problems:
            self.set_error(problems[0])
            return None
        return SessionValues(
            session=self._existing, held_at=datetime_of(self.held_edit, self._zone), place=self.place_edit.text().strip(),
            mediators=self._mediators(),
            parties_present=tuple(box.text() for box in self.party_boxes if box.isChecked()),
            participants=tuple(split_names(self.participants_edit.text())),
            statements=self.statements_edit.toPlainText().strip(), result=self.result_edit.toPlainText().strip(),
        )
