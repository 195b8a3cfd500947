"""What the two intake forms share — 新建案件 (`IntakeDialog`) and 新建警情 (`ReferralIntakeDialog`).

A `CaseFormDialog` holds the red banner, the party editors (added, removed, renumbered), the grids that follow the
chosen community, fields checked as the user leaves them, saving through `register_case` on the worker, and a
refusal's JSON paths (`summary`, `parties`, `parties[0].id_number`) mapped back under their fields, anything else
in the banner. Enter saves instead of closing; Esc asks before throwing typed data away. A subclass builds its own
fields into `fields` (`_build_form`), says what the case is (`case_data`) and how each field is checked
(`check_field`). What every form dialog does — error line, busy submit button, refusals mapped to fields, the
discard question — is `FormDialog`'s (`ui.common.submit_dialog`).

The module also holds the pieces the liaison's action dialogs (`ui.liaison.dialogs`) share with these forms: the
banner, the 保存/取消 row with Ctrl+S, and a minute-precise date-time editor in the committee's zone.
"""

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDateTime, Qt, QTime, Signal, Slot
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from laopan.errors import DomainError
from laopan.models.enums import PartyRole
from laopan.services.actor import Actor
from laopan.services.intake import Registered, register_case
from ui.common.desk_info import DeskInfo
from ui.common.fields import DateTimeEdit, FieldBox
from ui.common.party_editor import PartyEditor
from ui.common.repeat_hint import RepeatHint
from ui.common.submit_dialog import FormDialog
from ui.common.worker import TaskRunner

PARTY_PATH = re.compile(r"^parties\[(\d+)\](?:\.(.+))?$")
BANNER_CSS = "background: #fdecea; color: #b71c1c; padding: 6px; border: 1px solid #f5c6cb;"


# ---------------------------------------------------------------------- shared pieces


def datetime_edit(instant: dt.datetime, zone: ZoneInfo) -> QDateTimeEdit:
    """A minute-precise date-time editor showing `instant` in the committee's zone: typed (2026-12-04 09:30) or
    picked from the calendar, and one Tab stop."""
    local = instant.astimezone(zone)
    edit = DateTimeEdit()
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    edit.setCalendarPopup(True)
    edit.setDateTime(QDateTime(local.date(), QTime(local.hour, local.minute)))
    return edit


def edited_instant(edit: QDateTimeEdit, zone: ZoneInfo) -> dt.datetime:
    """The editor's value as an aware instant in the committee's zone."""
    return edit.dateTime().toPython().replace(second=0, microsecond=0, tzinfo=zone)


def set_edited_instant(edit: QDateTimeEdit, instant: dt.datetime, zone: ZoneInfo) -> None:
    local = instant.astimezone(zone)
    edit.setDateTime(QDateTime(local.date(), QTime(local.hour, local.minute)))


class OptionalInstantEdit(QWidget):
    """An optional time (报警时间, 案发时间): the same picker as 移交时间, with 未知 ticked until a time is entered.
    Typing or picking a time unticks 未知; ticking it again leaves the time out.

    Signals:
        changed(): the time or 未知 changed (time to check it).
    """

    changed = Signal()

    def __init__(self, instant: dt.datetime, zone: ZoneInfo, parent: QWidget | None = None):
        super().__init__(parent)
        self._zone = zone
        self.edit = datetime_edit(instant, zone)
        self.unknown_box = QCheckBox(self.tr("未知"))
        self.unknown_box.setToolTip(self.tr("不知道时间时勾选；输入时间后自动取消"))
        self.unknown_box.setChecked(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.unknown_box)
        self.setFocusProxy(self.edit)
        self.edit.dateTimeChanged.connect(self._on_edit_changed)
        self.unknown_box.toggled.connect(self._on_unknown_toggled)
        self._on_unknown_toggled(True)

    def instant(self) -> dt.datetime | None:
        """The time entered, None while 未知 is ticked."""
        return None if self.unknown_box.isChecked() else edited_instant(self.edit, self._zone)

    def set_instant(self, instant: dt.datetime | None) -> None:
        if instant is not None:
            set_edited_instant(self.edit, instant, self._zone)
        self.unknown_box.setChecked(instant is None)

    @Slot()
    def _on_edit_changed(self) -> None:
        if self.unknown_box.isChecked():
            self.unknown_box.setChecked(False)  # emits changed
        else:
            self.changed.emit()

    @Slot(bool)
    def _on_unknown_toggled(self, unknown: bool) -> None:
        # Greyed, not disabled: the time stays typeable, and typing it is what unticks 未知.
        self.edit.setStyleSheet("QDateTimeEdit { color: #9e9e9e; }" if unknown else "")
        self.changed.emit()


def error_banner() -> QLabel:
    """The red line at the top of a form for what no field shows (hidden until there is something to say)."""
    return FormDialog.error_line(BANNER_CSS)


def save_cancel_buttons(dialog: QDialog) -> tuple[QDialogButtonBox, QPushButton, QPushButton, QShortcut]:
    """保存（Ctrl+S）and 取消, neither an auto-default (Enter in a field goes to the dialog's `accept`), and the
    Ctrl+S shortcut; the caller connects them."""
    tr = dialog.tr
    buttons = QDialogButtonBox()
    save = buttons.addButton(tr("保存（Ctrl+S）"), QDialogButtonBox.ButtonRole.AcceptRole)
    cancel = buttons.addButton(tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
    for button in (save, cancel):
        button.setAutoDefault(False)
    return buttons, save, cancel, QShortcut(QKeySequence.StandardKey.Save, dialog)


def section_title(text: str) -> QLabel:
    """A bold heading over a part of a form (警情, 案件, 当事人)."""
    label = QLabel(text)
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    return label


class SavingFormDialog(FormDialog):
    """A form that saves itself on the worker (`send`): the banner at the top, 保存（Ctrl+S）/取消 at the bottom.
    Enter saves instead of closing, and nothing closes it while it saves. A subclass calls `_build_save_cancel()`
    while building (then lays out `banner` and `buttons`) and `_connect_save_cancel()` in `_connect_signals`; its
    fields (`fields`) are checked by `check_field` as the user leaves them and again on saving."""

    fields: dict[str, FieldBox]

    def _build_save_cancel(self) -> None:
        self.banner = self.error_label = error_banner()
        self.buttons, self.save_button, self.cancel_button, self._save_shortcut = save_cancel_buttons(self)
        self.ok_button = self.save_button

    def _connect_save_cancel(self) -> None:
        self.save_button.clicked.connect(self._on_submit_requested)
        self.cancel_button.clicked.connect(self._on_cancel_requested)
        self._save_shortcut.activated.connect(self._on_submit_requested)

    def save(self) -> None:
        """Check the form; when it is complete, save it on the worker (async)."""
        self.submit()

    def check_field(self, key: str) -> str | None:
        """The message for what is wrong with `fields[key]`, None when it is fine."""
        raise NotImplementedError

    def validate_field(self, key: str) -> bool:
        """Check one field (when the user leaves it, and on saving), showing the message under it."""
        message = self.check_field(key)
        self.fields[key].set_error(message)
        return message is None

    def accept(self) -> None:  # Enter in a field must not close the dialog unsaved
        self.save()

    def _close_saved(self) -> None:
        """Close after a successful save (`accept` itself saves)."""
        QDialog.accept(self)

    def reject(self) -> None:
        if self.busy:
            return
        super().reject()


# ---------------------------------------------------------------------- the base form


class CaseFormDialog(SavingFormDialog):
    """A form that registers a new case; subclasses build their fields and call `_setup()` in `__init__`.

    The error line is the banner at the top, the submit button is 保存, and the form saves itself (`send`).

    Signals:
        case_registered(object): the case was saved (a `Registered`: id, intake number, warnings).
    """

    case_registered = Signal(object)

    TITLE = ""  # the window title (translated with tr)
    SIZE = (980, 700)
    BANNER_ERRORS: tuple[type[BaseException], ...] = (DomainError,)  # refusals shown as they are, in the banner
    FAILURE_LOG = "保存案件失败"

    def __init__(self, runner: TaskRunner, actor: Actor, info: DeskInfo, time_zone: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._runner = runner
        self._actor = actor
        self._info = info
        self._zone = ZoneInfo(time_zone)
        self.fields: dict[str, FieldBox] = {}
        self.parties: list[PartyEditor] = []
        self.registered: Registered | None = None

    def _setup(self) -> None:
        """Build the form, start it with an applicant and a respondent, and remember it as untouched."""
        self.setWindowTitle(self.tr(self.TITLE))
        self._build()
        self._connect_signals()
        self.add_party(PartyRole.APPLICANT)
        self.add_party(PartyRole.RESPONDENT)
        for box in self._form_boxes():
            box.error_changed.connect(self._on_field_error_changed)
        self._initial = self.case_data()
        self.resize(*self.SIZE)

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        tr = self.tr
        self._build_save_cancel()

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
        self._build_form(column)
        column.addWidget(section_title(tr("当事人")))
        column.addLayout(self._parties_layout)
        column.addLayout(add_row)
        column.addStretch(1)
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from 取消 back to the first field
        self._scroll.setWidget(body)

        outer = QVBoxLayout(self)
        outer.addWidget(self.banner)
        outer.addWidget(self._scroll, 1)
        outer.addWidget(self.buttons)

    def _build_form(self, column: QVBoxLayout) -> None:
        """Put the form's own fields (into `fields`) on `column`, above the parties."""
        raise NotImplementedError

    def _connect_signals(self) -> None:
        self.fields["community"].editor.currentIndexChanged.connect(self._on_community_combo_changed)
        for key, box in self.fields.items():
            box.left.connect(lambda key=key: self.validate_field(key))
        self.add_party_button.clicked.connect(self._on_add_party_button_clicked)
        self._connect_save_cancel()

    # ------------------------------------------------------------------ parties

    def add_party(self, role: PartyRole = PartyRole.THIRD_PARTY) -> PartyEditor:
        editor = PartyEditor(today=self._info.today, role=role)
        editor.remove_requested.connect(self._on_party_remove_requested)
        for box in editor.fields.values():
            box.error_changed.connect(self._on_field_error_changed)
        editor.repeat_hint = RepeatHint(editor, self._runner, self._actor)  # this person's earlier cases, as typed
        self.parties.append(editor)
        self._parties_layout.addWidget(editor)
        self._renumber()
        return editor

    def remove_party(self, editor: PartyEditor) -> None:
        self.parties.remove(editor)
        self._parties_layout.removeWidget(editor)
        editor.deleteLater()
        self._renumber()
        self._on_field_error_changed()  # the removed party's errors went with it

    def _renumber(self) -> None:
        for index, editor in enumerate(self.parties):
            editor.set_index(index)
            editor.remove_button.setEnabled(len(self.parties) > 1)
        self._set_tab_order()

    # ------------------------------------------------------------------ keyboard

    def _own_tab_chain(self) -> list[QWidget]:
        """The form's own widgets in reading order (the parties follow them)."""
        return [box.editor for box in self._form_boxes()] + list(getattr(self, "outcome_boxes", {}).values())

    def tab_chain(self) -> list[QWidget]:
        """Reading order: the case facts, each party right after them, + 添加当事人, then 保存 and 取消 last."""
        parties = [widget for editor in self.parties for widget in editor.tab_chain()]
        return [*self._own_tab_chain(), *parties, self.add_party_button, self.save_button, self.cancel_button]

    def _set_tab_order(self) -> None:
        chain = self.tab_chain()
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

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

    def case_data(self) -> dict[str, Any]:
        """The case in the interchange shape (DESIGN §7), as `register_case` takes it."""
        raise NotImplementedError

    @property
    def has_typed_data(self) -> bool:
        return self.case_data() != self._initial

    # ------------------------------------------------------------------ validation

    def validate(self) -> bool:
        """Check every field, showing each message under its field; True when all are valid."""
        results = [self.validate_field(key) for key in self.fields]
        results += [editor.validate() for editor in self.parties]
        return all(results)

    def _form_boxes(self) -> list[FieldBox]:
        """The form's own fields in the order they are shown (the parties' fields follow them)."""
        return list(self.fields.values())

    def _has_field_errors(self) -> bool:
        boxes = [*self._form_boxes(), *(box for editor in self.parties for box in editor.fields.values())]
        party_level = any(editor.error_label.isVisibleTo(editor) for editor in self.parties)
        return any(box.error for box in boxes) or party_level or self.parties_error.isVisibleTo(self)

    @Slot()
    def _on_field_error_changed(self) -> None:
        """"未保存：请改正标红的项目" goes as soon as nothing is red any more (other banner texts stay)."""
        if self.banner.isVisibleTo(self) and self.banner.text() == self.tr(self.UNSAVED) and not self._has_field_errors():
            self.set_error(None)

    def clear_errors(self) -> None:
        for box in self._form_boxes():
            box.set_error(None)
        for editor in self.parties:
            editor.clear_errors()
        self.parties_error.setVisible(False)
        self.banner.setVisible(False)

    def _show_at(self, path: str, message: str) -> bool:
        """Show `message` under what the service's JSON `path` names; False when no field of the form has it."""
        if path in self.fields:
            self.fields[path].set_error(message)
            return True
        if path == "parties":
            self.parties_error.setText(message)
            self.parties_error.setVisible(True)
            return True
        match = PARTY_PATH.match(path)
        if match and int(match.group(1)) < len(self.parties):
            return self.parties[int(match.group(1))].show_error(match.group(2), message)
        return False

    def _focus_first_error(self) -> None:
        boxes = [*self._form_boxes(), *(box for editor in self.parties for box in editor.fields.values())]
        for box in boxes:
            if box.error:
                self._scroll.ensureWidgetVisible(box)
                box.editor.setFocus()
                return

    # ------------------------------------------------------------------ saving

    def values(self) -> dict[str, Any] | None:
        self.clear_errors()
        if not self.validate():
            self.set_error(self.tr(self.UNSAVED))
            self._focus_first_error()
            return None
        return self.case_data()

    def send(self, values: object) -> None:
        data, actor = values, self._actor
        self._runner.write(
            lambda session: register_case(session, actor=actor, data=data),
            on_done=self._on_saved,
            on_error=self._on_save_failed,
        )

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        self.save_button.setText(self.tr("正在保存…") if busy else self.tr("保存（Ctrl+S）"))

    def _on_saved(self, registered: Registered) -> None:
        self.set_busy(False)
        self.registered = registered
        self.case_registered.emit(registered)
        self._close_saved()

    def _on_save_failed(self, error: BaseException) -> None:
        self.set_busy(False)
        self.show_save_failure(error, as_is=self.BANNER_ERRORS, log_message=self.FAILURE_LOG)


def outcome_boxes(parent: QWidget) -> dict[str, QCheckBox]:
    """The case's outcome flags (counted in the monthly report), keyed as the intake input names them."""
    boxes = {"prevented_criminal": QCheckBox(parent.tr("防止民转刑")),
             "prevented_group_petition": QCheckBox(parent.tr("防止群体性上访"))}
    boxes["prevented_criminal"].setToolTip(parent.tr("调解化解了可能激化为刑事案件的纠纷"))
    boxes["prevented_group_petition"].setToolTip(parent.tr("调解化解了可能引发群体性上访的纠纷"))
    return boxes


def outcome_data(boxes: dict[str, QCheckBox]) -> dict[str, bool]:
    return {key: True for key, box in boxes.items() if box.isChecked()}
