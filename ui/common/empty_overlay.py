"""A line shown over an empty list ("未找到符合条件的案件"), so an empty result says so instead of looking unloaded."""

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel

from ui.common import style


class EmptyOverlay(QLabel):
    """A muted, centred note over `view`'s rows, following the view's size; hidden until `show_text`."""

    def __init__(self, view: QAbstractItemView):
        super().__init__(view.viewport())
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setStyleSheet(f"color: {style.MUTED.name()}; font-size: 14px;")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hide()
        view.viewport().installEventFilter(self)

    def show_text(self, text: str) -> None:
        self.setText(text)
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False
