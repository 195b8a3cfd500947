"""The base of every form dialog (`FormDialog`) and of the workflow's small forms (reasons, escalation,
assignment, deadlines, sittings).

A `SubmitDialog` checks that its form is complete, then hands the values to its caller through `submitted`;
the caller saves them on the worker and closes the dialog on success, or leaves it open with the service's
refusal shown. So a dialog never touches the database for a write itself, and a refusal never loses what
the user typed.
"""

import datetime as dt
import re

from PySide6.QtCore import QT_TR_NOOP, QDate, QDateTime, QTime, Signal, Slot
from PySide6.QtWidgets import (
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from laopan.errors import Refused
from ui.common import style
from ui.common.fields import DateTimeEdit


class FormDialog(QDialog):
    """What every form dialog shares: an error line for what no field shows, a submit button that is off while
    the form is being saved, submitting as "check the form, then hand its values on", a service's refusal shown
    under the fields it names, and Esc asking before typed data is thrown away.

    A subclass builds its form with `error_label` (see `error_line`) and `ok_button` in it, and implements
    `values()` (None after showing what is missing) and `send(values)` (save them, or give them to the caller).
    """

    DISCARD_TITLE = ""  # the title of the question Esc asks when something was typed
    UNSAVED = QT_TR_NOOP("未保存：请改正标红的项目。")

    error_label: QLabel
    ok_button: QPushButton

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.discard_box: QMessageBox | None = None
        self._busy = False

    @staticmethod
    def error_line(css: str = style.ERROR_CSS) -> QLabel:
        """The error line (hidden until there is something to say)."""
        label = QLabel()
        label.setStyleSheet(css)
        label.setWordWrap(True)
        label.setVisible(False)
        return label

    def values(self) -> object | None:
        """The form's values, or None after showing what is missing (`set_error`)."""
        raise NotImplementedError

    def send(self, values: object) -> None:
        """Save the complete values (or hand them to whoever saves them); `set_busy(False)` when that ends."""
        raise NotImplementedError

    def submit(self) -> None:
        """What the submit button does (also called by tests and shortcuts); nothing while already saving."""
        if self._busy:
            return
        values = self.values()
        if values is None:
            return
        self.set_error(None)
        self.set_busy(True)
        self.send(values)

    def set_error(self, message: str | None) -> None:
        self.error_label.setText(message or "")
        self.error_label.setVisible(bool(message))

    @property
    def error(self) -> str:
        return self.error_label.text() if self.error_label.isVisibleTo(self) else ""

    @property
    def busy(self) -> bool:
        return self._busy

    def set_busy(self, busy: bool) -> None:
        """While the values are saved: no second submit."""
        self._busy = busy
        self.ok_button.setEnabled(not busy)

    @Slot()
    def _on_submit_requested(self) -> None:
        self.submit()

    @Slot()
    def _on_cancel_requested(self) -> None:
        self.reject()

    # ------------------------------------------------------------------ a service's refusal

    def show_refused(self, refused: Refused) -> None:
        """Show each of the service's errors under its field; what maps to no field goes to the error line."""
        unmapped = [f"{error.field}：{error.message}" for error in refused.errors if not self._show_at(error.field, error.message)]
        self.set_error("\n".join(unmapped) if unmapped else self.tr(self.UNSAVED))
        self._focus_first_error()

    def _show_at(self, field: str, message: str) -> bool:
        """Show `message` under what the service's `field` names; False when the form has no such field."""
        return False

    def _focus_first_error(self) -> None:
        """Bring the first field showing an error into view and focus it (a form with fields does)."""

    def show_save_failure(self, error: BaseException, *, as_is: tuple[type[BaseException], ...], log_message: str) -> None:
        """A save that failed: a `Refused` under its fields, a refusal of the `as_is` kinds as it is, anything
        else (a bug) logged with its traceback and named as a program error."""
        if isinstance(error, Refused):
            self.show_refused(error)
        elif isinstance(error, as_is):
            self.set_error(str(error))
        else:
            from ui.common.incident import record_unexpected

            reference = record_unexpected(error, log_message)
            self.set_error(self.tr("未保存：程序出错，已记录（错误编号 %1），请联系管理员。").replace("%1", reference))

    # ------------------------------------------------------------------ closing

    @property
    def has_typed_data(self) -> bool:
        """Whether Esc would throw away something the user typed (then it asks first)."""
        return False

    def reject(self) -> None:
        if self.has_typed_data and not self._confirm_discard():
            return
        super().reject()

    def _confirm_discard(self) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr(self.DISCARD_TITLE), self.tr("已填写的内容尚未保存。放弃这些内容吗？"), parent=self)
        discard = box.addButton(self.tr("放弃"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("继续编辑"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        self.discard_box = box
        box.exec()
        self.discard_box = None
        return box.clickedButton() is discard


class SubmitDialog(FormDialog):
    """A form with a red error line and OK/cancel whose caller saves; subclasses fill `content` and implement
    `values()`. The caller closes it (`accept()`) on success, or calls `set_busy(False)` and `set_error(…)`.

    Signals:
        submitted(object): the form's values (already complete); the caller saves them.
    """

    submitted = Signal(object)

    def __init__(self, title: str, ok_text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.content = QVBoxLayout()
        self.error_label = self.error_line()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        outer = QVBoxLayout(self)
        outer.addLayout(self.content, 1)
        outer.addWidget(self.error_label)
        outer.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_submit_requested)
        self.buttons.rejected.connect(self._on_cancel_requested)

    def send(self, values: object) -> None:
        self.submitted.emit(values)


def muted(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {style.MUTED.name()};")
    return label


def date_edit(value: dt.date, *, minimum: dt.date | None = None, maximum: dt.date | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    if minimum is not None:
        edit.setMinimumDate(QDate(minimum.year, minimum.month, minimum.day))
    if maximum is not None:
        edit.setMaximumDate(QDate(maximum.year, maximum.month, maximum.day))
    edit.setDate(QDate(value.year, value.month, value.day))
    return edit


def date_of(edit: QDateEdit) -> dt.date:
    value = edit.date()
    return dt.date(value.year(), value.month(), value.day())


def datetime_edit(value: dt.datetime, *, maximum: dt.datetime | None = None) -> QDateTimeEdit:
    """An editor for a local wall-clock time (the caller converts to and from the committee's zone); the same
    one-Tab-stop, typeable picker as the intake forms'."""
    edit = DateTimeEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    if maximum is not None:
        edit.setMaximumDateTime(_qdatetime(maximum))
    edit.setDateTime(_qdatetime(value))
    return edit


def _qdatetime(value: dt.datetime) -> QDateTime:
    return QDateTime(QDate(value.year, value.month, value.day), QTime(value.hour, value.minute))


def datetime_of(edit: QDateTimeEdit, zone: dt.tzinfo) -> dt.datetime:
    value = edit.dateTime()
    day, time = value.date(), value.time()
    return dt.datetime(day.year(), day.month(), day.day(), time.hour(), time.minute(), tzinfo=zone)


_SEPARATORS = re.compile(r"[、,，;；\s]+")


def split_names(text: str) -> list[str]:
    """"潘明杰、王芳, 李强" → ["潘明杰", "王芳", "李强"]."""
    return [name for name in _SEPARATORS.split(text.strip()) if name]
