"""Scroll areas for pages inside panes: `scrolled` (the page follows the area's size) and `FittedScroll` (a pane
whose minimum height does not follow its page's)."""

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


def scrolled(page: QWidget) -> QScrollArea:
    """`page` in a frameless scroll area that resizes it: scroll bars only when the area is smaller than the page's
    minimum (or, for a page of wrapping labels, than its height for the width)."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(page)
    return area


class FittedScroll(QScrollArea):
    """`page`, scrolled up and down only when the area is shorter than the page's minimum. The area's own minimum
    height is `min_height` whatever the page shows, so a splitter holding it keeps its sizes as the page's content
    changes.

    The page is sized by hand rather than with `widgetResizable`, which gives a page holding wrapping labels its
    preferred height, and so scrolls where the page would fit."""

    def __init__(self, page: QWidget, *, min_height: int):
        super().__init__()
        self._min_height = min_height
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no Tab stop of its own: Tab goes to the page's fields
        self.setWidget(page)  # also filters the page's events (eventFilter)

    def minimumSizeHint(self) -> QSize:
        width = self.widget().minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
        return QSize(width, self._min_height)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:  # the page's minimum may change
            self._fit()
        return super().eventFilter(watched, event)

    def _fit(self) -> None:
        page = self.widget()
        needed = page.minimumSizeHint().height()
        scroll_bar = self.verticalScrollBar().sizeHint().width() if needed > self.height() else 0
        page.resize(self.width() - scroll_bar, max(self.height(), needed))
