"""新建警情: register a police-referred joint case in one form — the 警情, the case, its parties.

The form builds the case in the interchange shape (DESIGN §7: source `police_referral` plus a `police_referral`
object) and calls `register_case` on the worker, exactly like the main intake. Fields are checked as the user
leaves them with the service's own validators; a refusal's JSON paths (`police_referral.officer_phone`,
`parties[0].id_number`) are mapped back under their fields, anything else goes to the banner.
"""

import datetime as dt
import logging
import re
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from laopan.errors import Refused
from laopan.models.enums import LABELS, SOURCES, Level, PartyRole, ReferralNature, RiskFlag
from laopan.services.actor import Actor
from laopan.services.intake import Registered, register_case
from laopan.validation import ValidationError, check_phone
from ui.desk_info import DeskInfo
from ui.fields import TOP, FieldBox, combo, field_label, line_edit, select_code
from ui.liaison_model import LiaisonInfo
from ui.party_editor import PartyEditor
from ui.referral_dialogs import CHANGED_KINDS, USER_ERRORS, datetime_edit, edited_instant
from ui.worker import TaskRunner

log = logging.getLogger(__name__)

POLICE_SOURCE = "police_referral"
_PARTY_PATH = re.compile(r"^parties\[(\d+)\](?:\.(.+))?$")
_REFERRAL_PATH = re.compile(r"^police_referral\.(\w+)")
_TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d %H:%M")
TIME_HINT = "2026-11-27 07:10"


def parse_local_time(text: str, zone: ZoneInfo) -> dt.datetime:
    """"2026-11-27 07:10" (also with seconds, a T or slashes) as an instant in the committee's zone."""
    for pattern in _TIME_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), pattern).replace(tzinfo=zone)
        except ValueError:
            continue
    raise ValueError(text)


def value_of(box: FieldBox) -> str:
    """A field's value; a fixed-choice combo gives its code ("" for a "（不填）" item), never its label."""
    editor = box.editor
    if isinstance(editor, QComboBox) and not editor.isEditable():
        data = editor.currentData()
        return data if isinstance(data, str) else ""
    return box.text()


def _bold(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    return label


class ReferralIntakeDialog(QDialog):
    """Register a joint case from a police referral.

    Signals:
        case_registered(object): the case was saved (a `Registered`: id, intake number, warnings).
    """

    case_registered = Signal(object)

    def __init__(self, runner: TaskRunner, actor: Actor, info: DeskInfo, liaison: LiaisonInfo, parent: QWidget | None = None):
        super().__init__(parent)
        self._runner = runner
        self._actor = actor
        self._info = info
        self._liaison = liaison
        self._zone = ZoneInfo(liaison.time_zone)
        self.fields: dict[str, FieldBox] = {}
        self.referral_fields: dict[str, FieldBox] = {}
        self.risk_boxes: dict[str, QCheckBox] = {}
        self.parties: list[PartyEditor] = []
        self.registered: Registered | None = None
        self.discard_box: QMessageBox | None = None
        self._saving = False
        self.setWindowTitle(self.tr("新建警情（警调联合案件）"))
        self._build()
        self._connect_signals()
        self.add_party(PartyRole.APPLICANT)
        self.add_party(PartyRole.RESPONDENT)
        self._initial = self.case_data()
        self.resize(1000, 700)

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        tr = self.tr
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fdecea; color: #b71c1c; padding: 6px; border: 1px solid #f5c6cb;")
        self.banner.setVisible(False)
        self._one_line = QLineEdit()  # labels are as tall as a one-line editor, even beside a text box

        station = combo([(tr("请选择派出所"), None), *((name, name) for name in self._liaison.stations)])
        select_code(station, self._liaison.default_station)
        place_hint = tr("如 %1").replace("%1", TIME_HINT)
        referral = QGridLayout()
        self._grid_rows(referral, self.referral_fields, [
            [("incident_no", tr("警情编号"), line_edit(tr("必填，如 JQ202611270012"), max_length=40)),
             ("station", tr("派出所"), station),
             ("nature", tr("警情性质"), combo([(tr("（不填）"), None), *((text, code) for code, text in LABELS[ReferralNature].items())]))],
            [("call_time", tr("报警时间"), line_edit(place_hint, max_length=19)),
             ("incident_time", tr("案发时间"), line_edit(place_hint, max_length=19)),
             ("referred_at", tr("移交时间"), datetime_edit(self._actor.clock.now(), self._zone))],
            [("officer", tr("民警"), line_edit(max_length=64)),
             ("badge_no", tr("警号"), line_edit(max_length=20)),
             ("officer_phone", tr("民警电话"), line_edit(tr("手机或 0574-87654321"), max_length=30))],
            [("approver", tr("审批领导"), line_edit(max_length=64)),
             ("incident_place", tr("案发地点"), line_edit(max_length=200))],
        ])
        risks = QHBoxLayout()
        for code, text in LABELS[RiskFlag].items():
            box = QCheckBox(text)
            self.risk_boxes[code] = box
            risks.addWidget(box)
        risks.addStretch(1)
        self.consent_box = QCheckBox(tr("当事人同意调解"))
        self.consent_box.setToolTip(tr("勾选：民警已确认双方当事人同意由人民调解委员会调解"))
        risks.addWidget(self.consent_box)
        risk_row = referral.rowCount()
        referral.addWidget(field_label(tr("风险标记"), self.consent_box), risk_row, 0)
        referral.addLayout(risks, risk_row, 1, 1, 5)

        case = QGridLayout()
        source = QLabel(SOURCES[POLICE_SOURCE])
        source.setToolTip(tr("警情登记的案件来源固定为公安机关移交"))
        summary = QPlainTextEdit()
        summary.setPlaceholderText(tr("纠纷的主要事实和争议焦点（可参照警情记录）"))
        summary.setFixedHeight(56)
        summary.setTabChangesFocus(True)
        self._grid_rows(case, self.fields, [
            [("dispute_type", tr("纠纷类型"), combo([(text, code) for code, text in self._info.dispute_types])),
             ("level", tr("层级"), combo([(text, code) for code, text in LABELS[Level].items()])),
             ("community", tr("社区"), combo([(tr("请选择社区"), None), *((name, name) for name in self._info.communities)]))],
        ])
        grid = combo([(tr("（不指定）"), None)])
        self.fields["grid"] = FieldBox(grid)
        case.addWidget(field_label(tr("网格"), grid), 1, 0, TOP)
        case.addWidget(self.fields["grid"], 1, 1, TOP)
        case.addWidget(field_label(tr("来源"), grid), 1, 2, TOP)
        source.setMinimumHeight(grid.sizeHint().height())
        case.addWidget(source, 1, 3, 1, 3, TOP)
        self._grid_rows(case, self.fields, [[("summary", tr("纠纷概要"), summary)]])
        select_code(self.fields["dispute_type"].editor, "neighbour")

        self.parties_error = QLabel()
        self.parties_error.setStyleSheet("color: #c62828;")
        self.parties_error.setVisible(False)
        self._parties_layout = QVBoxLayout()
        self._parties_layout.setSpacing(6)
        self.add_party_button = QPushButton(tr("+ 添加当事人"))
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_party_button)
        add_row.addWidget(self.parties_error, 1)

        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(_bold(tr("警情")))
        column.addLayout(referral)
        column.addWidget(_bold(tr("案件")))
        column.addLayout(case)
        column.addWidget(_bold(tr("当事人")))
        column.addLayout(self._parties_layout)
        column.addLayout(add_row)
        column.addStretch(1)
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setWidget(body)

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(tr("保存（Ctrl+S）"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        for button in (self.save_button, self.cancel_button):
            button.setAutoDefault(False)
        self._save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)

        outer = QVBoxLayout(self)
        outer.addWidget(self.banner)
        outer.addWidget(self._scroll, 1)
        outer.addWidget(self.buttons)

    def _grid_rows(self, grid: QGridLayout, boxes: dict[str, FieldBox], rows: list[list[tuple[str, str, QWidget]]]) -> None:
        """Label + field pairs, three to a row; the last field of a short row spans the rest of it."""
        start = grid.rowCount() if grid.count() else 0
        one_line = self._one_line
        for number, items in enumerate(rows):
            for column, (key, text, editor) in enumerate(items):
                box = FieldBox(editor)
                boxes[key] = box
                span = 1 + 2 * (3 - len(items)) if column == len(items) - 1 else 1
                grid.addWidget(field_label(text, one_line), start + number, column * 2, TOP)
                grid.addWidget(box, start + number, column * 2 + 1, 1, span, TOP)
        for column in (1, 3, 5):
            grid.setColumnStretch(column, 1)

    def _connect_signals(self) -> None:
        self.fields["community"].editor.currentIndexChanged.connect(self._on_community_combo_changed)
        for key, box in self.fields.items():
            box.left.connect(lambda key=key: self.validate_field(key))
        for key, box in self.referral_fields.items():
            box.left.connect(lambda key=key: self.validate_referral_field(key))
        self.add_party_button.clicked.connect(self._on_add_party_button_clicked)
        self.save_button.clicked.connect(self._on_save_requested)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self._save_shortcut.activated.connect(self._on_save_requested)

    # ------------------------------------------------------------------ parties

    def add_party(self, role: PartyRole = PartyRole.THIRD_PARTY) -> PartyEditor:
        editor = PartyEditor(today=self._info.today, role=role)
        editor.remove_requested.connect(self._on_party_remove_requested)
        self.parties.append(editor)
        self._parties_layout.addWidget(editor)
        self._renumber()
        return editor

    def _renumber(self) -> None:
        for index, editor in enumerate(self.parties):
            editor.set_index(index)
            editor.remove_button.setEnabled(len(self.parties) > 1)

    @Slot()
    def _on_add_party_button_clicked(self) -> None:
        editor = self.add_party()
        editor.fields["name"].editor.setFocus()
        self._scroll.ensureWidgetVisible(editor)

    @Slot()
    def _on_party_remove_requested(self) -> None:
        editor = self.sender()
        if isinstance(editor, PartyEditor) and editor in self.parties:
            self.parties.remove(editor)
            self._parties_layout.removeWidget(editor)
            editor.deleteLater()
            self._renumber()

    @Slot()
    def _on_community_combo_changed(self) -> None:
        grid = self.fields["grid"].editor
        grid.clear()
        grid.addItem(self.tr("（不指定）"), None)
        for name in self._info.grids.get(value_of(self.fields["community"]), ()):
            grid.addItem(name, name)

    # ------------------------------------------------------------------ data

    def referred_at(self) -> dt.datetime:
        return edited_instant(self.referral_fields["referred_at"].editor, self._zone)

    def _time_value(self, key: str) -> str | None:
        text = value_of(self.referral_fields[key])
        if not text:
            return None
        try:
            return parse_local_time(text, self._zone).isoformat()
        except ValueError:
            return text  # the schema refuses it under the field

    def referral_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"referred_at": self.referred_at().isoformat()}
        for key in ("incident_no", "station", "nature", "officer", "badge_no", "officer_phone", "approver", "incident_place"):
            value = value_of(self.referral_fields[key])
            if value:
                data[key] = value
        for key in ("call_time", "incident_time"):
            if (value := self._time_value(key)) is not None:
                data[key] = value
        flags = [code for code, box in self.risk_boxes.items() if box.isChecked()]
        if flags:
            data["risk_flags"] = flags
        if self.consent_box.isChecked():
            data["consent"] = True
        return data

    def case_data(self) -> dict[str, Any]:
        """The joint case in the interchange shape (DESIGN §7), as `register_case` takes it."""
        data: dict[str, Any] = {"source": POLICE_SOURCE}
        for key in ("dispute_type", "level", "community", "grid", "summary"):
            value = value_of(self.fields[key])
            if value:
                data[key] = value
        data["parties"] = [editor.data() for editor in self.parties]
        data["police_referral"] = self.referral_data()
        return data

    @property
    def has_typed_data(self) -> bool:
        return self.case_data() != self._initial

    # ------------------------------------------------------------------ validation

    def check_field(self, key: str) -> str | None:
        value = value_of(self.fields[key])
        if key == "community" and not value:
            return self.tr("请选择社区")
        if key == "summary" and not value:
            return self.tr("纠纷概要不能为空")
        return None

    def check_referral_field(self, key: str) -> str | None:
        tr = self.tr
        value = value_of(self.referral_fields[key]) if key != "referred_at" else ""
        now = self._actor.clock.now()
        if key == "incident_no" and not value:
            return tr("警情编号不能为空")
        if key == "station" and not value:
            return tr("请选择派出所（字典中没有派出所时，请管理员先添加）")
        if key == "officer_phone" and value:
            try:
                check_phone(value)
            except ValidationError as error:
                return error.message
        if key == "referred_at" and self.referred_at() > now:
            return tr("移交时间晚于现在")
        if key in ("call_time", "incident_time") and value:
            try:
                at = parse_local_time(value, self._zone)
            except ValueError:
                return tr("时间格式应为 %1").replace("%1", TIME_HINT)
            if at > now:
                return tr("不能晚于现在")
            if at > self.referred_at():
                return tr("晚于移交时间")
        return None

    def validate_field(self, key: str) -> bool:
        message = self.check_field(key)
        self.fields[key].set_error(message)
        return message is None

    def validate_referral_field(self, key: str) -> bool:
        message = self.check_referral_field(key)
        self.referral_fields[key].set_error(message)
        return message is None

    def validate(self) -> bool:
        results = [self.validate_referral_field(key) for key in self.referral_fields]
        results += [self.validate_field(key) for key in self.fields]
        results += [editor.validate() for editor in self.parties]
        return all(results)

    def clear_errors(self) -> None:
        for box in (*self.fields.values(), *self.referral_fields.values()):
            box.set_error(None)
        for editor in self.parties:
            editor.clear_errors()
        self.parties_error.setVisible(False)
        self.banner.setVisible(False)

    def show_refused(self, refused: Refused) -> None:
        """Each of the service's errors under its field; what maps to no field goes to the banner."""
        unmapped = [f"{error.field}：{error.message}" for error in refused.errors if not self._show_at(error.field, error.message)]
        self._show_banner("\n".join(unmapped) if unmapped else self.tr("未保存：请改正标红的项目。"))
        self._focus_first_error()

    def _show_at(self, path: str, message: str) -> bool:
        if path in self.fields:
            self.fields[path].set_error(message)
            return True
        referral = _REFERRAL_PATH.match(path)
        if referral and referral.group(1) in self.referral_fields:
            self.referral_fields[referral.group(1)].set_error(message)
            return True
        if path == "parties":
            self.parties_error.setText(message)
            self.parties_error.setVisible(True)
            return True
        party = _PARTY_PATH.match(path)
        if party and int(party.group(1)) < len(self.parties):
            return self.parties[int(party.group(1))].show_error(party.group(2), message)
        return False

    def _show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(True)

    def _focus_first_error(self) -> None:
        boxes = [*self.referral_fields.values(), *self.fields.values(), *(box for editor in self.parties for box in editor.fields.values())]
        for box in boxes:
            if box.error:
                self._scroll.ensureWidgetVisible(box)
                box.editor.setFocus()
                return

    # ------------------------------------------------------------------ saving

    @Slot()
    def _on_save_requested(self) -> None:
        self.save()

    @Slot()
    def _on_cancel_button_clicked(self) -> None:
        self.reject()

    def save(self) -> None:
        """Check every field; when all are valid, register the joint case on the worker (async)."""
        if self._saving:
            return
        self.clear_errors()
        if not self.validate():
            self._show_banner(self.tr("未保存：请改正标红的项目。"))
            self._focus_first_error()
            return
        data, actor = self.case_data(), self._actor
        self._set_saving(True)
        self._runner.write(lambda session: register_case(session, actor=actor, data=data),
                           on_done=self._on_saved, on_error=self._on_save_failed)

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.save_button.setEnabled(not saving)
        self.save_button.setText(self.tr("正在保存…") if saving else self.tr("保存（Ctrl+S）"))

    def _on_saved(self, registered: Registered) -> None:
        self._set_saving(False)
        self.registered = registered
        self.case_registered.emit(registered)
        self._runner.announce(set(CHANGED_KINDS), {registered.id})
        super().accept()

    def _on_save_failed(self, error: BaseException) -> None:
        self._set_saving(False)
        if isinstance(error, Refused):
            self.show_refused(error)
        elif isinstance(error, USER_ERRORS):
            self._show_banner(str(error))
        else:
            log.error("保存警情失败", exc_info=error)
            self._show_banner(self.tr("保存失败（程序错误）：%1").replace("%1", repr(error)))

    # ------------------------------------------------------------------ closing

    def accept(self) -> None:  # Enter in a field must not close the dialog unsaved
        self.save()

    def reject(self) -> None:
        if self._saving:
            return
        if self.has_typed_data and not self._confirm_discard():
            return
        super().reject()

    def _confirm_discard(self) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("放弃新建警情？"), self.tr("已填写的内容尚未保存。放弃这些内容吗？"), parent=self)
        discard = box.addButton(self.tr("放弃"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("继续编辑"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        self.discard_box = box
        box.exec()
        self.discard_box = None
        return box.clickedButton() is discard
