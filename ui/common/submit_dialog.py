"""The base of the workflow's small forms (reasons, escalation, assignment, deadlines, sittings).

A `SubmitDialog` checks that its form is complete, then hands the values to its caller through `submitted`;
the caller saves them on the worker and closes the dialog on success, or leaves it open with the service's
refusal shown. So a dialog never touches the database for a write itself, and a refusal never loses what
the user typed.
"""

import datetime as dt
import re

from PySide6.QtCore import QDate, QDateTime, QTime, Signal, Slot
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from ui.common import style


class SubmitDialog(QDialog):
    """A form with a red error line and OK/cancel; subclasses fill `content` and implement `values()`.

    Signals:
        submitted(object): the form's values (already complete); the caller saves them.
    """

    submitted = Signal(object)

    def __init__(self, title: str, ok_text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.content = QVBoxLayout()
        self.error_label = QLabel()
        self.error_label.setStyleSheet(style.ERROR_CSS)
        self.error_label.setWordWrap(True)
        self.error_label.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        outer = QVBoxLayout(self)
        outer.addLayout(self.content, 1)
        outer.addWidget(self.error_label)
        outer.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self._on_buttons_rejected)

    def values(self) -> object | None:
        """The form's values, or None after showing what is missing (`set_error`)."""
        raise NotImplementedError

    def set_error(self, message: str | None) -> None:
        self.error_label.setText(message or "")
        self.error_label.setVisible(bool(message))

    @property
    def error(self) -> str:
        return self.error_label.text() if self.error_label.isVisibleTo(self) else ""

    def set_busy(self, busy: bool) -> None:
        """While the worker saves: no second submit."""
        self.ok_button.setEnabled(not busy)

    def submit(self) -> None:
        """What the OK button does (also called by tests and shortcuts)."""
        values = self.values()
        if values is None:
            return
        self.set_error(None)
        self.set_busy(True)
        self.submitted.emit(values)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        self.submit()

    @Slot()
    def _on_buttons_rejected(self) -> None:
        self.reject()


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
    """An editor for a local wall-clock time (the caller converts to and from the committee's zone)."""
    edit = QDateTimeEdit()
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
