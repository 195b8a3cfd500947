"""A form field with its error message in red underneath, checked when the user leaves it."""

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from ui.common import style


class FieldBox(QWidget):
    """One editor plus an error label below it (hidden while there is no error).

    Signals:
        left(): the editor lost focus (not to a popup of its own) — time to validate it.
        error_changed(): an error was shown or cleared (a form's banner follows its fields' errors).
    """

    left = Signal()
    error_changed = Signal()

    def __init__(self, editor: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.editor = editor
        self.error_label = QLabel()
        self.error_label.setStyleSheet(style.ERROR_CSS)
        self.error_label.setWordWrap(True)
        self.error_label.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(editor)
        layout.addWidget(self.error_label)
        editor.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.editor and event.type() == QEvent.Type.FocusOut:
            if not (isinstance(event, QFocusEvent) and event.reason() == Qt.FocusReason.PopupFocusReason):
                self.left.emit()
        return False

    @property
    def error(self) -> str:
        return self.error_label.text() if self.error_label.isVisibleTo(self) else ""

    def set_error(self, message: str | None) -> None:
        self.error_label.setText(message or "")
        self.error_label.setVisible(bool(message))
        self.editor.setProperty("invalid", bool(message))
        self.editor.setStyleSheet("border: 1px solid #c62828;" if message else "")
        self.error_changed.emit()

    def text(self) -> str:
        """The editor's value as typed (editable combos: their text; others: the chosen item's code, "" for a
        placeholder such as 请选择社区 whose code is None)."""
        editor = self.editor
        if isinstance(editor, QLineEdit):
            return editor.text().strip()
        if isinstance(editor, QPlainTextEdit):
            return editor.toPlainText().strip()
        if isinstance(editor, QComboBox):
            if editor.isEditable():
                return editor.currentText().strip()
            data = editor.currentData()
            return data if isinstance(data, str) else ""
        raise TypeError(f"no text for {type(editor).__name__}")


def field_label(text: str, editor: QWidget) -> QLabel:
    """A label as tall as its editor, so it stays level with the editor when an error line appears below."""
    label = QLabel(text)
    label.setMinimumHeight(editor.sizeHint().height())
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return label


TOP = Qt.AlignmentFlag.AlignTop


def line_edit(placeholder: str = "", *, max_length: int = 200) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setMaxLength(max_length)
    return edit


def combo(items: list[tuple[str, str | None]], *, editable: bool = False) -> QComboBox:
    """A combo box of (label, code) pairs; the code is the item's data."""
    box = QComboBox()
    box.setEditable(editable)
    for text, code in items:
        box.addItem(text, code)
    return box


def select_code(box: QComboBox, code: str | None) -> None:
    index = box.findData(code)
    if index >= 0:
        box.setCurrentIndex(index)


class DateTimeEdit(QDateTimeEdit):
    """A date-time editor that is one Tab stop: Tab leaves it instead of walking its year/month/day/hour/minute
    sections (those are reached by typing, the arrow keys or the calendar), so a form's Tab order stays short.
    A time is typed as it reads, "2026-11-20 08:15" (or just its digits)."""

    def event(self, event: QEvent) -> bool:
        # Only Tab itself: typing a separator ("-", ":") also moves sections through focusNextPrevChild.
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and not (
            event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        ):
            if event.text() in SEPARATORS and event.text() and self._section_untouched():
                return True  # Qt already moved on after a full section; the typed separator must not skip one more
            if event.key() == Qt.Key.Key_Backtab or event.key() == Qt.Key.Key_Tab and event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                return QWidget.focusNextPrevChild(self, False)
            if event.key() == Qt.Key.Key_Tab:
                return QWidget.focusNextPrevChild(self, True)
        return super().event(event)

    def _section_untouched(self) -> bool:
        """The cursor's section is wholly selected: just entered (after a full year, month…), nothing typed yet."""
        line = self.lineEdit()
        return line.hasSelectedText() and line.selectedText() == self.sectionText(self.currentSection())


SEPARATORS = "-/:. "
