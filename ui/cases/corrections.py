"""Correcting a case after intake from its detail: 编辑案件, 编辑当事人 / 添加当事人 and 删除当事人.

The dialogs send only what the user changed (`laopan.services.corrections` checks it exactly as intake does,
against the version the detail showed). A personal value this role sees masked is never put into an editor:
the field stays empty with a note that empty means unchanged, so masked text cannot be saved back; a user who
may reveal presses 显示 to load the real values (an audited reveal, through `case_detail(reveal=True)`). Every
save runs on the worker through `TaskRunner.write`, which announces `data_changed` by itself, so the detail,
the list and the agreement check read the case again without being told.
"""

import datetime as dt
import logging
import re
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from laopan.errors import Conflict, DomainError
from laopan.labels import label
from laopan.models.enums import PartyRole
from laopan.services import corrections
from laopan.services.actor import Actor
from laopan.services.cases import case_detail
from laopan.views.cases import CaseDetail, PartyView
from ui.common.case_form import datetime_edit, edited_instant
from ui.common.desk_info import DeskInfo, load_desk_info
from ui.common.fields import FieldBox, combo, line_edit, select_code
from ui.common.party_editor import PartyEditor
from ui.common.submit_dialog import SubmitDialog, muted
from ui.common.worker import TaskRunner

MASKED_HINT = "（已遮蔽，留空则不修改）"
MASKED_KEYS = ("id_number", "phone", "address", "agent.phone")
_PARTY_PATH = re.compile(r"^parties\[\d+\]\.")
_log = logging.getLogger(__name__)


def _put(editor: QWidget, value: Any) -> None:
    """Show a stored value in an editor of the party or case form."""
    text = "" if value is None else value.isoformat() if isinstance(value, dt.date) else str(value)
    if isinstance(editor, QPlainTextEdit):
        editor.setPlainText(text)
    elif isinstance(editor, QLineEdit):
        editor.setText(text)
    elif isinstance(editor, QComboBox):
        if editor.isEditable():
            editor.setCurrentText(text)
        else:
            select_code(editor, text or None)


class _CorrectionDialog(SubmitDialog):
    """What the three correction dialogs share: saving on the worker and showing the service's answer."""

    FAILURE_LOG = "保存更正失败"

    def __init__(self, runner: TaskRunner, actor: Actor, detail: CaseDetail, title: str, ok_text: str, parent: QWidget | None):
        super().__init__(title, ok_text, parent)
        self._runner, self._actor, self._detail = runner, actor, detail

    def task(self, values: Any):
        """The write, as a function of the session."""
        raise NotImplementedError

    def send(self, values: object) -> None:
        if not values:
            self.accept()  # nothing changed: nothing to save
            return
        self._runner.write(self.task(values), on_done=self._on_saved, on_error=self._on_save_failed)

    def _on_saved(self, _result: object) -> None:
        self.set_busy(False)
        self.accept()

    def _on_save_failed(self, error: BaseException) -> None:
        self.set_busy(False)
        if isinstance(error, Conflict):
            self.set_error(self.tr("%1。请关闭本窗口，在更新后的案件上重新修改。").replace("%1", str(error).rstrip("。")))
            self._runner.announce_stale({"case"}, {self._detail.id})  # show what is there now
            return
        self.show_save_failure(error, as_is=(DomainError,), log_message=self.FAILURE_LOG)


# ---------------------------------------------------------------- a party


class PartyDialog(_CorrectionDialog):
    """编辑当事人 (party given) or 添加当事人 (party None), on the intake's own party fields."""

    def __init__(self, runner: TaskRunner, actor: Actor, detail: CaseDetail, party: PartyView | None = None, *,
                 focus: str | None = None, parent: QWidget | None = None):
        adding = party is None
        title = self.tr("添加当事人") if adding else self.tr("编辑当事人 %1").replace("%1", party.name)
        super().__init__(runner, actor, detail, title, self.tr("保存"), parent)
        self._party = party
        self.focus_key = focus
        self.editor = PartyEditor(today=actor.today(detail.time_zone), role=PartyRole(party.role) if party else PartyRole.APPLICANT)
        self.editor.remove_button.setVisible(False)  # removing has its own button, asking for a reason
        self.editor.setTitle("")
        self.masked: set[str] = set()
        self.reveal_button = QPushButton(self.tr("显示"))
        self.reveal_button.setToolTip(self.tr("载入完整的身份证号、电话和住址（记入操作日志）"))
        self.reveal_note = muted()
        top = QHBoxLayout()
        top.addWidget(self.reveal_note, 1)
        top.addWidget(self.reveal_button)
        self.content.addLayout(top)
        self.content.addWidget(self.editor)
        self.resize(760, 360)
        if party is not None:
            self._fill(party, revealed=detail.revealed)
        self._before = self._current()
        self._show_masked_state()
        self.reveal_button.clicked.connect(self._on_reveal_button_clicked)

    def _fill(self, party: PartyView, *, revealed: bool) -> None:
        editor = self.editor
        select_code(editor.role_combo, party.role)
        select_code(editor.kind_combo, party.kind)
        values = {key: getattr(party, key) for key in editor.fields if "." not in key}
        agent = party.agent
        if agent is not None:
            editor.agent_box.setChecked(True)
            values.update({"agent.name": agent.name, "agent.relation": agent.relation, "agent.phone": agent.phone})
        for key, value in values.items():
            if key in MASKED_KEYS and value and not revealed:
                self.masked.add(key)  # what the screen shows is masked: never put it where it could be saved
                editor.fields[key].editor.setPlaceholderText(MASKED_HINT)
                continue
            _put(editor.fields[key].editor, value)

    def _show_masked_state(self) -> None:
        shown = bool(self.masked)
        self.reveal_note.setText(self.tr("身份证号、电话和住址已遮蔽：留空则不修改。") if shown else "")
        self.reveal_note.setVisible(shown)
        self.reveal_button.setVisible(shown and self._actor.may_reveal)

    def _current(self) -> dict[str, Any]:
        editor = self.editor
        now: dict[str, Any] = {key: box.text() for key, box in editor.fields.items()}
        now.update(role=editor.role_combo.currentData(), kind=editor.kind_combo.currentData(), agent=editor.agent_box.isChecked())
        return now

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self.focus_key in self.editor.fields:
            self.editor.fields[self.focus_key].editor.setFocus()

    @property
    def has_typed_data(self) -> bool:
        return self._current() != self._before

    # ------------------------------------------------------------------ revealing

    @Slot()
    def _on_reveal_button_clicked(self) -> None:
        actor, case_id = self._actor, self._detail.id
        self.reveal_button.setEnabled(False)
        self._runner.write(lambda s: case_detail(s, actor=actor, case_id=case_id, reveal=True),
                           on_done=self._on_revealed, on_error=self._on_reveal_failed)

    def _on_revealed(self, detail: CaseDetail) -> None:
        party = next((p for p in detail.parties if self._party is not None and p.id == self._party.id), None)
        if party is None:
            return
        real = {key: getattr(party, key) for key in ("id_number", "phone", "address")}
        real["agent.phone"] = party.agent.phone if party.agent else None
        for key in sorted(self.masked):
            box = self.editor.fields[key]
            box.editor.setPlaceholderText("")
            if not box.text():  # what the user already typed wins
                _put(box.editor, real[key])
            self._before[key] = real[key] or ""
        self.masked.clear()
        self._show_masked_state()

    def _on_reveal_failed(self, error: BaseException) -> None:
        self.reveal_button.setEnabled(True)
        self.set_error(str(error) if isinstance(error, DomainError) else self.tr("未能显示完整信息"))
        if not isinstance(error, DomainError):
            _log.error("显示完整信息失败", exc_info=error)

    # ------------------------------------------------------------------ saving

    def values(self) -> dict[str, Any] | None:
        self.editor.clear_errors()
        if not self.editor.validate():
            self.set_error(self.tr(self.UNSAVED))
            return None
        if self._party is None:
            return self.editor.data()
        before, now = self._before, self._current()
        changes: dict[str, Any] = {key: now[key] or None for key in ("role", "kind", *self.editor.fields)
                                   if "." not in key and now[key] != before[key]}
        if before["agent"] and not now["agent"]:
            changes["agent"] = None
        elif now["agent"]:
            agent = {key[6:]: now[key] or None for key in ("agent.name", "agent.relation", "agent.phone")
                     if now[key] != before[key] or not before["agent"]}
            if agent:
                changes["agent"] = agent
        return changes

    def task(self, values: dict[str, Any]):
        actor, case_id, version = self._actor, self._detail.id, self._detail.version
        if self._party is None:
            return lambda s: corrections.add_party(s, actor=actor, case_id=case_id, expected_version=version, party=values)
        party_id = self._party.id
        return lambda s: corrections.update_party(s, actor=actor, case_id=case_id, party_id=party_id,
                                                  expected_version=version, values=values)

    def _show_at(self, field: str, message: str) -> bool:
        key = _PARTY_PATH.sub("", field)
        return key in self.editor.fields and self.editor.show_error(key, message)

    def _focus_first_error(self) -> None:
        box = next((b for b in self.editor.fields.values() if b.error), None)
        if box is not None:
            box.editor.setFocus()


class RemovePartyDialog(_CorrectionDialog):
    """删除当事人: asks why (the reason goes into the case's history)."""

    def __init__(self, runner: TaskRunner, actor: Actor, detail: CaseDetail, party: PartyView, parent: QWidget | None = None):
        super().__init__(runner, actor, detail, self.tr("删除当事人"), self.tr("删除"), parent)
        self._party = party
        question = self.tr("删除%1 %2？删除后记入案件历史，无法在此撤销。").replace("%1", label(PartyRole, party.role)).replace("%2", party.name)
        self.content.addWidget(muted(question))
        self.reason = FieldBox(line_edit(self.tr("如：误录、重复登记"), max_length=200))
        form = QFormLayout()
        form.addRow(self.tr("删除原因"), self.reason)
        self.content.addLayout(form)
        self.resize(420, 150)

    def values(self) -> str | None:
        reason = self.reason.text()
        self.reason.set_error(None if reason else self.tr("请写明删除原因"))
        return reason or None

    def task(self, reason: str):
        actor, case_id, version, party_id = self._actor, self._detail.id, self._detail.version, self._party.id
        return lambda s: corrections.remove_party(s, actor=actor, case_id=case_id, party_id=party_id,
                                                  expected_version=version, reason=reason)

    def _show_at(self, field: str, message: str) -> bool:
        if field == "原因":
            self.reason.set_error(message)
            return True
        return False


# ---------------------------------------------------------------- the case's facts and its referral

_REFERRAL_TEXTS = (("incident_no", "警情编号"), ("station", "派出所"), ("incident_place", "案发地点"), ("officer", "移交民警"),
                   ("badge_no", "警号"), ("officer_phone", "民警电话"), ("approver", "审批人"))
_REFERRAL_TIMES = (("call_time", "报警时间"), ("incident_time", "案发时间"), ("referred_at", "移交时间"))


class CaseEditDialog(_CorrectionDialog):
    """编辑案件: the case's facts, the two outcome flags and, for a police-referred case, the referral."""

    def __init__(self, runner: TaskRunner, actor: Actor, detail: CaseDetail, info: DeskInfo, parent: QWidget | None = None):
        super().__init__(runner, actor, detail, self.tr("编辑案件 %1").replace("%1", detail.intake_no), self.tr("保存"), parent)
        self._zone = ZoneInfo(detail.time_zone)
        self._info = info
        tr = self.tr
        d = detail
        self.fields: dict[str, FieldBox] = {}
        facts = QFormLayout()
        facts.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        def add(form: QFormLayout, key: str, text: str, editor: QWidget, value: Any = None) -> None:
            if not isinstance(editor, QDateTimeEdit):
                _put(editor, value)
            self.fields[key] = FieldBox(editor)
            form.addRow(text, self.fields[key])

        add(facts, "received_at", tr("受理时间"), datetime_edit(d.received_at, self._zone))
        add(facts, "source", tr("来源"), combo([(text, code) for code, text in info.sources]), d.source)
        add(facts, "dispute_type", tr("纠纷类型"), combo([(text, code) for code, text in info.dispute_types]), d.dispute_type)
        add(facts, "community", tr("社区"), combo([(name, name) for name in info.communities]), d.community)
        add(facts, "grid", tr("网格"), combo([], editable=True))
        self._fill_grids(d.grid)
        for key, text, value in (("summary", tr("纠纷概要"), d.summary), ("claims", tr("请求事项"), "\n".join(d.claims))):
            editor = QPlainTextEdit()
            editor.setTabChangesFocus(True)
            editor.setFixedHeight(60)
            add(facts, key, text, editor, value)
        self.fields["claims"].editor.setPlaceholderText(tr("每行一项"))
        add(facts, "amount_yuan", tr("标的额（元）"), line_edit(tr("如 12000.00，可不填"), max_length=20), d.amount_yuan)
        self.flags = {"prevented_criminal": QCheckBox(tr("防止民转刑")), "prevented_group_petition": QCheckBox(tr("防止群体性上访"))}
        flags = QHBoxLayout()
        for key, box in self.flags.items():
            box.setChecked(bool(getattr(d, key)))
            flags.addWidget(box)
        flags.addStretch(1)
        facts.addRow(tr("成效"), flags)
        self.content.addLayout(facts)

        self.referral_box: QGroupBox | None = None
        r = d.referral
        if r is not None:
            self.referral_box = QGroupBox(tr("警情移交"))
            form = QFormLayout(self.referral_box)
            for key, text in _REFERRAL_TEXTS:
                add(form, f"referral.{key}", text, line_edit(max_length=100), getattr(r, key))
            for key, text in _REFERRAL_TIMES:
                add(form, f"referral.{key}", text, datetime_edit(getattr(r, key) or r.referred_at, self._zone))
            self.content.addWidget(self.referral_box)
        self.resize(640, 640 if r is not None else 420)
        self._before = self._current()
        self.fields["community"].editor.currentIndexChanged.connect(self._on_community_changed)

    def _fill_grids(self, grid: str | None) -> None:
        box: QComboBox = self.fields["grid"].editor
        box.clear()
        box.addItems(["", *self._info.grids.get(self.fields["community"].text(), ())])
        box.setCurrentText(grid or "")

    @Slot()
    def _on_community_changed(self) -> None:
        self._fill_grids(None)  # a grid belongs to its community

    def _value(self, key: str) -> Any:
        box = self.fields[key]
        if isinstance(box.editor, QDateTimeEdit):
            return edited_instant(box.editor, self._zone)
        return box.text()

    def _current(self) -> dict[str, Any]:
        now = {key: self._value(key) for key in self.fields}
        now.update({key: box.isChecked() for key, box in self.flags.items()})
        return now

    @property
    def has_typed_data(self) -> bool:
        return self._current() != self._before

    def values(self) -> dict[str, dict[str, Any]] | None:
        for box in self.fields.values():
            box.set_error(None)
        if not self.fields["summary"].text():
            self.fields["summary"].set_error(self.tr("纠纷概要不能为空"))
            self.set_error(self.tr(self.UNSAVED))
            return None
        before, now = self._before, self._current()
        case: dict[str, Any] = {}
        referral: dict[str, Any] = {}
        for key, value in now.items():
            if value == before[key]:
                continue
            if key == "claims":
                value = [line.strip() for line in value.splitlines() if line.strip()]
            elif isinstance(value, str):
                value = value or None
            if key.startswith("referral."):
                referral[key[9:]] = value
            else:
                case[key] = value
        return {"case": case, "referral": referral} if case or referral else {}

    def task(self, values: dict[str, dict[str, Any]]):
        actor, case_id, version = self._actor, self._detail.id, self._detail.version
        case, referral = values["case"], values["referral"]

        def save(session) -> None:
            if case:
                corrections.update_case(session, actor=actor, case_id=case_id, expected_version=version, values=case)
            if referral:  # one unit of work: the version was checked by the first write if there was one
                corrections.update_referral(session, actor=actor, case_id=case_id,
                                            expected_version=None if case else version, values=referral)

        return save

    def _show_at(self, field: str, message: str) -> bool:
        name = field.split(".")[-1]  # the case's and the referral's field names do not overlap
        key = name if name in self.fields else f"referral.{name}"
        if key in self.fields:
            self.fields[key].set_error(message)
            return True
        return False

    def _focus_first_error(self) -> None:
        box = next((b for b in self.fields.values() if b.error), None)
        if box is not None:
            box.editor.setFocus()


# ---------------------------------------------------------------- opening them


class Corrections(QObject):
    """Opens the correction dialogs for the case detail; `dialog` is the one open (tests drive it)."""

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget):
        super().__init__(parent)
        self._runner, self._actor, self._parent = runner, actor, parent
        self.dialog: _CorrectionDialog | None = None

    def _open(self, dialog: _CorrectionDialog) -> None:
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.finished.connect(dialog.deleteLater)
        dialog.destroyed.connect(self._on_dialog_destroyed)
        dialog.open()

    @Slot()
    def _on_dialog_destroyed(self) -> None:
        self.dialog = None

    def edit_party(self, detail: CaseDetail, index: int, focus: str | None = None) -> None:
        if 0 <= index < len(detail.parties):
            self._open(PartyDialog(self._runner, self._actor, detail, detail.parties[index], focus=focus, parent=self._parent))

    def add_party(self, detail: CaseDetail) -> None:
        self._open(PartyDialog(self._runner, self._actor, detail, parent=self._parent))

    def remove_party(self, detail: CaseDetail, index: int) -> None:
        if 0 <= index < len(detail.parties):
            self._open(RemovePartyDialog(self._runner, self._actor, detail, detail.parties[index], parent=self._parent))

    def edit_case(self, detail: CaseDetail) -> None:
        """Read the committee's dictionaries (sources, types, communities) on the worker, then open the form."""
        actor = self._actor
        self._runner.read(lambda s: load_desk_info(s, actor=actor, committee_name=""),
                          on_done=lambda info: self._open(CaseEditDialog(self._runner, actor, detail, info, parent=self._parent)))
