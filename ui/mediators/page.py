"""调解员: the registry (调解员名册) — supervisors add and edit entries —, the 老潘+小潘 pairings (create / end),
and for a selected 小潘 the mentoring record — every case they worked on, under which 老潘, with the seniors'
review notes (add a note)."""

import datetime as dt
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal, Slot
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from laopan.labels import date_text, instant_text, label
from laopan.errors import Conflict, DomainError
from laopan.models.enums import CaseMediatorRole, CaseStatus, MediatorRank, MediatorUnit
from laopan.security.permissions import Action
from laopan.services import pairings
from laopan.services.actor import Actor
from laopan.services.mediators import add_mediator, mediator_view
from laopan.views.mediators import MediatorView, MentoringRow, PairingView, RegistryDetail
from ui.common import style
from ui.common.desk_info import DeskInfo, load_desk_info
from ui.mediators.dialog import MediatorDialog
from ui.common.row_table import ROW_ROLE, Column, RowTableModel, selected_row, status_colour, table_view
from ui.common.submit_dialog import SubmitDialog, date_edit, date_of, muted
from ui.common.worker import TaskRunner

VIA = {"pairing": "结对带教", "lead": "老潘主持"}
UNRANKED = QColor("#b26a00")  # amber: 未定 is a to-do for an admin, not an error


def _rank_tooltip(m: MediatorView) -> str | None:
    if m.rank != MediatorRank.UNKNOWN.value:
        return None
    return "导入的调解员，设定级别后才会被推荐" if m.imported else "级别未定，设定级别后才会被推荐"


def _place(m: MediatorView) -> str:
    return " / ".join(x for x in (m.community, m.grid) if x)


class PairingDialog(SubmitDialog):
    """新建结对: an active 老潘 and an active 小潘 from a start date."""

    def __init__(self, mediators: tuple[MediatorView, ...], *, today: dt.date, junior_id: int | None = None, parent: QWidget | None = None):
        super().__init__(self.tr("新建结对（老潘+小潘）"), self.tr("结对"), parent)
        self.senior_combo = QComboBox()
        self.junior_combo = QComboBox()
        for m in mediators:
            if not m.active:
                continue
            text = f"{m.name}（{label(MediatorUnit, m.unit)}{'，' + _place(m) if _place(m) else ''}）"
            if m.rank == MediatorRank.SENIOR.value:
                self.senior_combo.addItem(text, m.id)
            elif m.rank == MediatorRank.JUNIOR.value:
                self.junior_combo.addItem(text, m.id)
        if junior_id is not None and self.junior_combo.findData(junior_id) >= 0:
            self.junior_combo.setCurrentIndex(self.junior_combo.findData(junior_id))
        self.start_edit = date_edit(today)
        form = QFormLayout()
        form.addRow(self.tr("老潘（主调）："), self.senior_combo)
        form.addRow(self.tr("小潘（辅调）："), self.junior_combo)
        form.addRow(self.tr("开始日期："), self.start_edit)
        self.content.addLayout(form)
        self.content.addWidget(muted(self.tr("一名小潘同一时间只有一个结对；换老潘须先结束原结对。")))
        self.resize(460, 220)

    def values(self) -> dict | None:
        if self.senior_combo.currentData() is None or self.junior_combo.currentData() is None:
            self.set_error(self.tr("请选择老潘和小潘"))
            return None
        return {"senior_id": self.senior_combo.currentData(), "junior_id": self.junior_combo.currentData(),
                "started_on": date_of(self.start_edit)}


class EndPairingDialog(SubmitDialog):
    def __init__(self, pairing: PairingView, *, today: dt.date, parent: QWidget | None = None):
        super().__init__(self.tr("结束结对"), self.tr("结束结对"), parent)
        self.pairing = pairing
        self.end_edit = date_edit(max(today, pairing.started_on), minimum=pairing.started_on)
        form = QFormLayout()
        form.addRow(self.tr("结对："), QLabel(f"{pairing.senior_name} + {pairing.junior_name}（自{date_text(pairing.started_on)}）"))
        form.addRow(self.tr("结束日期："), self.end_edit)
        self.content.addLayout(form)
        self.resize(420, 160)

    def values(self) -> dict:
        return {"pairing_id": self.pairing.id, "expected_version": self.pairing.version, "ended_on": date_of(self.end_edit)}


class ReviewNoteDialog(SubmitDialog):
    def __init__(self, junior_name: str, entry: MentoringRow, parent: QWidget | None = None):
        super().__init__(self.tr("点评 · %1 · %2").replace("%1", junior_name).replace("%2", entry.intake_no), self.tr("保存点评"), parent)
        self.entry = entry
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText(self.tr("如：事实部分写得清楚；条款中履行期限应写明具体日期。"))
        self.note_edit.setTabChangesFocus(True)
        self.content.addWidget(QLabel(f"{entry.intake_no} {entry.parties}"))
        self.content.addWidget(self.note_edit)
        self.resize(480, 260)

    def values(self) -> dict | None:
        note = self.note_edit.toPlainText().strip()
        if not note:
            self.set_error(self.tr("点评: 不能为空"))
            return None
        return {"case_id": self.entry.case_id, "note": note}


class MediatorsPage(QWidget):
    """The 调解员 page; reloads when shown after data changed.

    Signals:
        loaded(object): the registry (a RegistryDetail) arrived and is shown.
        record_loaded(int): the mentoring record of this junior arrived and is shown.
    """

    loaded = Signal(object)
    record_loaded = Signal(int)

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self._runner = runner
        self._actor = actor
        self._group = f"mediators-page-{id(self)}"
        self._dirty = True
        self._record_request = 0
        self._edit_request = 0
        self.info: DeskInfo | None = None
        self.registry: RegistryDetail | None = None
        self.junior: MediatorView | None = None
        self.record: tuple[MentoringRow, ...] = ()
        self.dialog: SubmitDialog | None = None
        self.message_box: QMessageBox | None = None
        self._build()
        self._connect_signals()

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        tr = self.tr
        self.registry_model = RowTableModel([
            Column(tr("姓名"), lambda m: m.name),
            Column(tr("级别"), lambda m: label(MediatorRank, m.rank),
                   colour=lambda m: UNRANKED if m.rank == MediatorRank.UNKNOWN.value else None, tooltip=_rank_tooltip),
            Column(tr("单位"), lambda m: label(MediatorUnit, m.unit)),
            Column(tr("社区/网格"), _place),
            Column(tr("专长"), lambda m: "、".join(m.specialties), stretch=True),
            Column(tr("在办"), lambda m: str(m.open_cases), tooltip=lambda m: tr("担任主持人的已受理、调解中案件"),
                   sort=lambda m: m.open_cases),
            Column(tr("状态"), lambda m: tr("在用") if m.active else tr("停用"), colour=lambda m: None if m.active else style.MUTED),
        ], self)
        self.registry_proxy = QSortFilterProxyModel(self)  # a short list: sorting in the view is fine (STYLE rule 8)
        self.registry_view = table_view(self.registry_model, proxy=self.registry_proxy)
        self.registry_count = muted()
        self.add_mediator_button = QPushButton(tr("添加调解员…"))
        self.edit_mediator_button = QPushButton(tr("编辑…"))
        self.edit_mediator_button.setToolTip(tr("修改所选调解员的级别、单位、专长、申报亲属等（也可双击该行）"))
        registry_top = QHBoxLayout()
        registry_top.addWidget(self.registry_count, 1)
        for button in (self.add_mediator_button, self.edit_mediator_button):
            button.setVisible(False)  # until the registry says the user may maintain it
            registry_top.addWidget(button)
        registry_box = QGroupBox(tr("调解员名册"))
        registry_layout = QVBoxLayout(registry_box)
        registry_layout.addLayout(registry_top)
        registry_layout.addWidget(self.registry_view, 1)

        self.pairings_model = RowTableModel([
            Column(tr("老潘"), lambda p: p.senior_name),
            Column(tr("小潘"), lambda p: p.junior_name),
            Column(tr("开始"), lambda p: date_text(p.started_on)),
            Column(tr("结束"), lambda p: date_text(p.ended_on)),
            Column(tr("状态"), lambda p: tr("进行中") if p.active else tr("已结束"),
                   colour=lambda p: style.LEVEL_COLOURS["grid"] if p.active else style.MUTED, stretch=True),
        ], self)
        self.pairings_view = table_view(self.pairings_model)
        self.new_pairing_button = QPushButton(tr("新建结对…"))
        self.end_pairing_button = QPushButton(tr("结束结对…"))
        pairing_buttons = QHBoxLayout()
        pairing_buttons.addStretch(1)
        pairing_buttons.addWidget(self.new_pairing_button)
        pairing_buttons.addWidget(self.end_pairing_button)
        pairings_box = QGroupBox(tr("老潘+小潘结对"))
        pairings_layout = QVBoxLayout(pairings_box)
        pairings_layout.addWidget(self.pairings_view, 1)
        pairings_layout.addLayout(pairing_buttons)

        self.record_model = RowTableModel([
            Column(tr("受理编号"), lambda e: e.intake_no),
            Column(tr("当事人"), lambda e: e.parties, stretch=True),
            Column(tr("角色"), lambda e: label(CaseMediatorRole, e.role)),
            Column(tr("带教老潘"), lambda e: e.senior_name or tr("（无）"), colour=lambda e: None if e.senior_name else style.MUTED),
            Column(tr("方式"), lambda e: tr(VIA.get(e.via or "", ""))),
            Column(tr("状态"), lambda e: label(CaseStatus, e.status), colour=lambda e: status_colour(e.status)),
            Column(tr("点评"), lambda e: str(len(e.notes))),
        ], self)
        self.record_view = table_view(self.record_model)
        self.notes_text = QPlainTextEdit()
        self.notes_text.setReadOnly(True)
        self.notes_text.setPlaceholderText(tr("选择一个案件查看老潘的点评"))
        self.add_note_button = QPushButton(tr("添加点评…"))
        self.record_title = muted(tr("在名册或结对中选择一名小潘，查看其带教记录。"))
        notes_row = QHBoxLayout()
        notes_row.addWidget(self.notes_text, 1)
        notes_row.addWidget(self.add_note_button, 0, Qt.AlignmentFlag.AlignTop)
        record_box = QGroupBox(tr("带教记录"))
        record_layout = QVBoxLayout(record_box)
        record_layout.addWidget(self.record_title)
        record_layout.addWidget(self.record_view, 3)
        record_layout.addLayout(notes_row, 2)
        self.record_box = record_box

        bottom = QSplitter()
        bottom.addWidget(pairings_box)
        bottom.addWidget(record_box)
        bottom.setStretchFactor(0, 2)
        bottom.setStretchFactor(1, 3)
        bottom.setChildrenCollapsible(False)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(registry_box)
        split.addWidget(bottom)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self._update_buttons()

    def _connect_signals(self) -> None:
        self.registry_view.selectionModel().selectionChanged.connect(self._on_registry_current_row_changed)
        self.registry_view.doubleClicked.connect(self._on_registry_view_double_clicked)
        self.add_mediator_button.clicked.connect(self._on_add_mediator_button_clicked)
        self.edit_mediator_button.clicked.connect(self._on_edit_mediator_button_clicked)
        self.pairings_view.selectionModel().selectionChanged.connect(self._on_pairings_current_row_changed)
        self.record_view.selectionModel().selectionChanged.connect(self._on_record_current_row_changed)
        self.new_pairing_button.clicked.connect(self._on_new_pairing_button_clicked)
        self.end_pairing_button.clicked.connect(self._on_end_pairing_button_clicked)
        self.add_note_button.clicked.connect(self._on_add_note_button_clicked)
        self._runner.data_changed.connect(self._on_runner_data_changed)

    # ------------------------------------------------------------------ loading

    def refresh(self) -> None:
        self._dirty = True
        if self.isVisible():
            self.reload()

    def set_info(self, info: DeskInfo) -> None:
        """The committee's dictionaries (communities, grids, dispute types) for the mediator dialog."""
        self.info = info
        self._update_buttons()

    def reload(self) -> None:
        self._dirty = False
        actor = self._actor
        if self.info is None and actor.may(Action.MANAGE_REGISTRY):
            # Normally the window passes its DeskInfo on (set_info); read it here if it has not.
            self._runner.read(lambda session: load_desk_info(session, actor=actor, committee_name=""),
                              on_done=self._on_info_read, group=self._group)
        self._runner.read(lambda session: pairings.registry(session, actor=actor), on_done=self._on_loaded, group=self._group)
        if self.junior is not None:
            self.show_junior(self.junior)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.reload()

    def _on_info_read(self, info: DeskInfo) -> None:
        if self.info is None:
            self.set_info(info)

    def _on_loaded(self, registry: RegistryDetail) -> None:
        self.registry = registry
        self.registry_model.set_rows(registry.mediators)
        self.pairings_model.set_rows(registry.pairings)
        active = sum(m.active for m in registry.mediators)
        seniors = sum(m.rank == MediatorRank.SENIOR.value for m in registry.mediators)
        juniors = sum(m.rank == MediatorRank.JUNIOR.value for m in registry.mediators)
        self.registry_count.setText(self.tr("共 %1 人（在用 %2）：老潘 %3，小潘 %4。选择一名小潘查看带教记录。")
                                    .replace("%1", str(len(registry.mediators))).replace("%2", str(active))
                                    .replace("%3", str(seniors)).replace("%4", str(juniors)))
        self._update_buttons()
        self.loaded.emit(registry)

    def show_junior(self, junior: MediatorView) -> None:
        """Load and show this junior's mentoring record."""
        self.junior = junior
        self._record_request += 1
        request, actor = self._record_request, self._actor
        self.record_title.setText(self.tr("%1（小潘）的带教记录：读取中…").replace("%1", junior.name))
        self._runner.read(lambda s: tuple(pairings.mentoring_record(s, actor=actor, junior_id=junior.id)),
                          on_done=lambda record: self._on_record(request, junior, record), group=self._group)

    def _on_record(self, request: int, junior: MediatorView, record: tuple[MentoringRow, ...]) -> None:
        if request != self._record_request:
            return
        keep = selected_row(self.record_view)
        self.record = record
        self.record_model.set_rows(record)
        notes = sum(len(e.notes) for e in record)
        self.record_title.setText(self.tr("%1（小潘）的带教记录：%2 件案件，%3 条点评")
                                  .replace("%1", junior.name).replace("%2", str(len(record))).replace("%3", str(notes)))
        if keep is not None:
            for number, entry in enumerate(record):
                if entry.case_id == keep.case_id:
                    self.record_view.selectRow(number)
        self._show_notes()
        self.record_loaded.emit(junior.id)

    @Slot(object, object)
    def _on_runner_data_changed(self, kinds: frozenset, _ids: frozenset) -> None:
        if kinds & {"case", "mediator", "pairing", "review_note"}:
            self.refresh()

    # ------------------------------------------------------------------ selection

    @Slot()
    def _on_registry_current_row_changed(self) -> None:
        mediator = selected_row(self.registry_view)
        self._update_buttons()
        if mediator is not None and mediator.rank == MediatorRank.JUNIOR.value:
            self.show_junior(mediator)

    @Slot()
    def _on_pairings_current_row_changed(self) -> None:
        pairing = selected_row(self.pairings_view)
        self._update_buttons()
        if pairing is not None and self.registry is not None:
            junior = next((m for m in self.registry.mediators if m.id == pairing.junior_id), None)
            if junior is not None:
                self.show_junior(junior)

    @Slot()
    def _on_record_current_row_changed(self) -> None:
        self._show_notes()

    def _show_notes(self) -> None:
        entry = selected_row(self.record_view)
        self._update_buttons()
        if entry is None:
            self.notes_text.clear()
            return
        names = self.registry.names if self.registry else {}
        zone = ZoneInfo(self.registry.time_zone if self.registry else "Asia/Shanghai")
        lines = [f"{entry.intake_no} {entry.parties} · {label(CaseStatus, entry.status)}"]
        lines += [f"{instant_text(n.at, zone)} {names.get(n.by_login, n.by_login)}：{n.note}" for n in entry.notes]
        if not entry.notes:
            lines.append(self.tr("（暂无点评）"))
        self.notes_text.setPlainText("\n".join(lines))

    def _update_buttons(self) -> None:
        may_maintain = self.registry is not None and self.registry.may_maintain
        for button in (self.add_mediator_button, self.edit_mediator_button):
            button.setVisible(may_maintain)
        ready = may_maintain and self.info is not None
        self.add_mediator_button.setEnabled(ready)
        self.edit_mediator_button.setEnabled(ready and selected_row(self.registry_view) is not None)
        may_pair = self.registry is not None and self.registry.may_pair
        self.new_pairing_button.setEnabled(may_pair)
        pairing = selected_row(self.pairings_view)
        self.end_pairing_button.setEnabled(pairing is not None and pairing.may_end)
        only_supervisors = "" if may_pair else self.tr("仅主任或管理员可以安排结对")
        for button in (self.new_pairing_button, self.end_pairing_button):
            button.setToolTip(only_supervisors)
        entry = selected_row(self.record_view)
        may_note = entry is not None and entry.may_note
        self.add_note_button.setEnabled(may_note)
        self.add_note_button.setToolTip("" if may_note else self.tr("只有带教该案的老潘或主任可以写点评"))

    # ------------------------------------------------------------------ changes

    @Slot()
    def _on_add_mediator_button_clicked(self) -> None:
        if self.info is None:
            return
        actor = self._actor
        self._open(MediatorDialog(self.info, parent=self), lambda s, v: add_mediator(s, actor=actor, **v))

    @Slot()
    def _on_edit_mediator_button_clicked(self) -> None:
        mediator = selected_row(self.registry_view)
        if mediator is not None:
            self.edit_mediator(mediator.id)

    @Slot(QModelIndex)
    def _on_registry_view_double_clicked(self, index: QModelIndex) -> None:
        mediator = index.data(ROW_ROLE)
        if mediator is not None and self.edit_mediator_button.isEnabled():
            self.edit_mediator(mediator.id)

    def edit_mediator(self, mediator_id: int) -> None:
        """Read the entry fresh and in full (a reveal, audited), then open the edit dialog on it."""
        if self.registry is None or not self.registry.may_maintain or self.info is None:
            return
        self._edit_request += 1
        request, actor = self._edit_request, self._actor
        self._runner.write(lambda s: mediator_view(s, actor=actor, mediator_id=mediator_id, reveal=True),
                           on_done=lambda view: self._on_edit_loaded(request, view), on_error=self._on_edit_load_failed)

    def _on_edit_loaded(self, request: int, view: MediatorView) -> None:
        if request != self._edit_request or self.info is None:
            return
        actor = self._actor
        self._open(MediatorDialog(self.info, view, parent=self), lambda s, v: pairings.update_mediator(s, actor=actor, **v))

    def _on_edit_load_failed(self, error: BaseException) -> None:
        if not isinstance(error, DomainError):
            self._runner.task_error.emit(error)
            return
        self._show_message(self.tr("无法编辑调解员"), str(error))
        self.refresh()

    def _show_message(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self)
        self.message_box = box
        box.open()

    @Slot()
    def _on_new_pairing_button_clicked(self) -> None:
        if self.registry is None:
            return
        junior = self.junior.id if self.junior is not None else None
        dialog = PairingDialog(self.registry.mediators, today=self.registry.today, junior_id=junior, parent=self)
        self._open(dialog, lambda s, v: pairings.create_pairing(s, actor=self._actor, **v))

    @Slot()
    def _on_end_pairing_button_clicked(self) -> None:
        pairing = selected_row(self.pairings_view)
        if pairing is None or self.registry is None:
            return
        dialog = EndPairingDialog(pairing, today=self.registry.today, parent=self)
        self._open(dialog, lambda s, v: pairings.end_pairing(s, actor=self._actor, **v))

    @Slot()
    def _on_add_note_button_clicked(self) -> None:
        entry = selected_row(self.record_view)
        junior = self.junior
        if entry is None or junior is None:
            return
        dialog = ReviewNoteDialog(junior.name, entry, parent=self)
        self._open(dialog, lambda s, v: pairings.add_review_note(s, actor=self._actor, junior_id=junior.id, **v))

    def _open(self, dialog: SubmitDialog, save) -> None:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.submitted.connect(lambda values: self._save(dialog, save, values))
        dialog.finished.connect(lambda _result: self._on_dialog_finished(dialog))
        dialog.open()

    def _on_dialog_finished(self, dialog: SubmitDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _save(self, dialog: SubmitDialog, save, values: dict) -> None:
        """Save on the worker; the write announces what it changed, and this page refreshes from that."""
        self._runner.write(lambda session: save(session, values),
                           on_done=lambda _result: dialog.accept(),
                           on_error=lambda error: self._on_save_failed(dialog, error))

    def _on_save_failed(self, dialog: SubmitDialog, error: BaseException) -> None:
        dialog.set_busy(False)
        if not isinstance(error, DomainError):
            self._runner.task_error.emit(error)
            return
        if isinstance(error, Conflict):
            dialog.reject()
            self._show_message(self.tr("已被他人修改"), str(error))
            self.refresh()  # show what the other desk saved
            return
        if isinstance(dialog, MediatorDialog):
            dialog.show_refusal(error)
        else:
            dialog.set_error(str(error))
