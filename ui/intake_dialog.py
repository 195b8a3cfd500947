"""新建案件: every intake field of the interchange format, checked as the user leaves each field.

Nothing is saved until every field is valid. Saving builds the case in the interchange shape (DESIGN §7) and
calls `register_case` on the worker; a refusal's JSON paths are mapped back to the fields, and anything that has
no field is shown in the banner at the top.
"""

import datetime as dt
import logging
import re
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDateTime, Qt, QTime, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from laopan.errors import DomainError, Refused
from laopan.models.enums import LABELS, Level, PartyRole
from laopan.services.actor import Actor
from laopan.services.derived import yuan_to_fen
from laopan.services.intake import Registered, register_case
from ui.desk_info import DeskInfo
from ui.fields import TOP, FieldBox, combo, field_label, line_edit, select_code
from ui.party_editor import PartyEditor
from ui.worker import TaskRunner

log = logging.getLogger(__name__)

_PARTY_PATH = re.compile(r"^parties\[(\d+)\](?:\.(.+))?$")
TOP_FIELDS = ("received_at", "source", "dispute_type", "level", "community", "grid", "summary", "claims", "amount_yuan")


class IntakeDialog(QDialog):
    """Register a new case.

    Signals:
        case_registered(object): the case was saved (a `Registered`: id, intake number, warnings).
    """

    case_registered = Signal(object)

    def __init__(self, runner: TaskRunner, actor: Actor, info: DeskInfo, parent: QWidget | None = None):
        super().__init__(parent)
        self._runner = runner
        self._actor = actor
        self._info = info
        self._zone = ZoneInfo(info.time_zone)
        self.parties: list[PartyEditor] = []
        self.fields: dict[str, FieldBox] = {}
        self.registered: Registered | None = None
        self._saving = False
        self.setWindowTitle(self.tr("新建案件"))
        self._build()
        self._connect_signals()
        self.add_party(PartyRole.APPLICANT)
        self.add_party(PartyRole.RESPONDENT)
        self._initial = self.case_data()
        self.resize(980, 700)

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        tr = self.tr
        info = self._info
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fdecea; color: #b71c1c; padding: 6px; border: 1px solid #f5c6cb;")
        self.banner.setVisible(False)

        now = self._actor.clock.now().astimezone(self._zone).replace(second=0, microsecond=0)
        received = QDateTimeEdit()
        received.setDisplayFormat("yyyy-MM-dd HH:mm")
        received.setCalendarPopup(True)
        received.setDateTime(QDateTime(now.date(), QTime(now.hour, now.minute)))
        editors: dict[str, tuple[str, QWidget]] = {
            "received_at": (tr("受理时间"), received),
            "source": (tr("来源"), combo([(text, code) for code, text in info.sources])),
            "dispute_type": (tr("纠纷类型"), combo([(text, code) for code, text in info.dispute_types])),
            "level": (tr("层级"), combo([(text, code) for code, text in LABELS[Level].items()])),
            "community": (tr("社区"), combo([(tr("请选择社区"), None), *((name, name) for name in info.communities)])),
            "grid": (tr("网格"), combo([(tr("（不指定）"), None)])),
            "summary": (tr("纠纷概要"), QPlainTextEdit()),
            "claims": (tr("请求事项"), QPlainTextEdit()),
            "amount_yuan": (tr("标的额（元）"), line_edit(tr("如 12000.00，可不填"), max_length=20)),
        }
        select_code(editors["dispute_type"][1], "neighbour")
        editors["summary"][1].setPlaceholderText(tr("纠纷的主要事实和争议焦点"))
        editors["claims"][1].setPlaceholderText(tr("每行一项"))
        for key in ("summary", "claims"):
            editors[key][1].setFixedHeight(64)
            editors[key][1].setTabChangesFocus(True)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(4)
        for key, (text, editor) in editors.items():
            self.fields[key] = FieldBox(editor)
        # Short choices side by side, long texts on their own rows.
        row1, row2 = QHBoxLayout(), QHBoxLayout()
        for row, keys in ((row1, ("received_at", "source", "dispute_type")), (row2, ("level", "community", "grid"))):
            for key in keys:
                row.addWidget(field_label(editors[key][0], editors[key][1]), 0, TOP)
                row.addWidget(self.fields[key], 1, TOP)
        form.addRow(row1)
        form.addRow(row2)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        one_line = editors["amount_yuan"][1]
        for key in ("summary", "claims", "amount_yuan"):
            form.addRow(field_label(editors[key][0], one_line), self.fields[key])

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
        column.addLayout(form)
        title = QLabel(tr("当事人"))
        bold = title.font()
        bold.setBold(True)
        title.setFont(bold)
        column.addWidget(title)
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
        self.save_button.setDefault(False)
        self.save_button.setAutoDefault(False)
        self.cancel_button.setAutoDefault(False)
        self._save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)

        outer = QVBoxLayout(self)
        outer.addWidget(self.banner)
        outer.addWidget(self._scroll, 1)
        outer.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.fields["community"].editor.currentIndexChanged.connect(self._on_community_combo_changed)
        for key, box in self.fields.items():
            box.left.connect(lambda key=key: self.validate_field(key))
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

    def remove_party(self, editor: PartyEditor) -> None:
        self.parties.remove(editor)
        self._parties_layout.removeWidget(editor)
        editor.deleteLater()
        self._renumber()

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
            self.remove_party(editor)

    @Slot()
    def _on_community_combo_changed(self) -> None:
        grid = self.fields["grid"].editor
        grid.clear()
        grid.addItem(self.tr("（不指定）"), None)
        for name in self._info.grids.get(self.fields["community"].text(), ()):
            grid.addItem(name, name)

    # ------------------------------------------------------------------ data

    def _received_at(self) -> dt.datetime:
        value = self.fields["received_at"].editor.dateTime().toPython()
        return value.replace(tzinfo=self._zone)

    def case_data(self) -> dict[str, Any]:
        """The case in the interchange shape (DESIGN §7), as `register_case` takes it."""
        data: dict[str, Any] = {"received_at": self._received_at().isoformat()}
        for key in ("source", "dispute_type", "level", "community", "grid", "summary", "amount_yuan"):
            value = self.fields[key].text()
            if value:
                data[key] = value
        claims = [line.strip() for line in self.fields["claims"].text().splitlines() if line.strip()]
        if claims:
            data["claims"] = claims
        data["parties"] = [editor.data() for editor in self.parties]
        return data

    @property
    def has_typed_data(self) -> bool:
        return self.case_data() != self._initial

    # ------------------------------------------------------------------ validation

    def check_field(self, key: str) -> str | None:
        tr = self.tr
        value = self.fields[key].text() if key != "received_at" else ""
        if key == "received_at" and self._received_at() > self._actor.clock.now():
            return tr("受理时间晚于现在")
        if key == "community" and not value:
            return tr("请选择社区")
        if key == "summary" and not value:
            return tr("纠纷概要不能为空")
        if key == "amount_yuan" and value:
            try:
                yuan_to_fen(value)
            except ValueError as error:
                return str(error)
        return None

    def validate_field(self, key: str) -> bool:
        message = self.check_field(key)
        self.fields[key].set_error(message)
        return message is None

    def validate(self) -> bool:
        """Check every field, showing each message under its field; True when all are valid."""
        results = [self.validate_field(key) for key in self.fields]
        results += [editor.validate() for editor in self.parties]
        return all(results)

    def clear_errors(self) -> None:
        for box in self.fields.values():
            box.set_error(None)
        for editor in self.parties:
            editor.clear_errors()
        self.parties_error.setVisible(False)
        self.banner.setVisible(False)

    def show_refused(self, refused: Refused) -> None:
        """Show each of the service's errors under its field; what maps to no field goes to the banner."""
        unmapped: list[str] = []
        for error in refused.errors:
            if not self._show_at(error.field, error.message):
                unmapped.append(f"{error.field}：{error.message}")
        if unmapped:
            self._show_banner("\n".join(unmapped))
        else:
            self._show_banner(self.tr("未保存：请改正标红的项目。"))
        self._focus_first_error()

    def _show_at(self, path: str, message: str) -> bool:
        if path in self.fields:
            self.fields[path].set_error(message)
            return True
        if path == "parties":
            self.parties_error.setText(message)
            self.parties_error.setVisible(True)
            return True
        match = _PARTY_PATH.match(path)
        if match and int(match.group(1)) < len(self.parties):
            return self.parties[int(match.group(1))].show_error(match.group(2), message)
        return False

    def _show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(True)

    def _focus_first_error(self) -> None:
        boxes = list(self.fields.values()) + [box for editor in self.parties for box in editor.fields.values()]
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
        """Check every field; when all are valid, register the case on the worker (async)."""
        if self._saving:
            return
        self.clear_errors()
        if not self.validate():
            self._show_banner(self.tr("未保存：请改正标红的项目。"))
            self._focus_first_error()
            return
        data, actor = self.case_data(), self._actor
        self._set_saving(True)
        self._runner.write(
            lambda session: register_case(session, actor=actor, data=data),
            on_done=self._on_saved,
            on_error=self._on_save_failed,
        )

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.save_button.setEnabled(not saving)
        self.save_button.setText(self.tr("正在保存…") if saving else self.tr("保存（Ctrl+S）"))

    def _on_saved(self, registered: Registered) -> None:
        self._set_saving(False)
        self.registered = registered
        self.case_registered.emit(registered)
        self._runner.announce({"case"}, {registered.id})
        super().accept()

    def _on_save_failed(self, error: BaseException) -> None:
        self._set_saving(False)
        if isinstance(error, Refused):
            self.show_refused(error)
        elif isinstance(error, DomainError):
            self._show_banner(str(error))
        else:
            log.error("保存案件失败", exc_info=error)
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
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("放弃新建案件？"), self.tr("已填写的内容尚未保存。放弃这些内容吗？"), parent=self)
        discard = box.addButton(self.tr("放弃"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("继续编辑"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        self.discard_box = box
        box.exec()
        self.discard_box = None
        return box.clickedButton() is discard
