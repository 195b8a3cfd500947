"""The window's sections: the navigation list beside a stack of pages, each page built the first time it is shown.

A section is added with its page, or with a factory that builds it (and imports its module). Until then the
stack holds an empty placeholder in its place. Most users open two or three sections a day, and every page built
before the case list's first page is start-up time (issue 16 item 6: ≤ 1.0 s to "ready").
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QListWidget, QStackedWidget, QWidget


class Sections(QObject):
    """Pages by key, in navigation order.

    Signals:
        built(str, QWidget): the page of that key was just built (the window connects its signals then).
    """

    built = Signal(str, QWidget)

    def __init__(self, nav: QListWidget, stack: QStackedWidget, parent: QObject | None = None):
        super().__init__(parent)
        self._nav, self._stack = nav, stack
        self._keys: list[str] = []
        self._titles: list[str] = []
        self._pages: dict[str, QWidget] = {}
        self._factories: dict[str, Callable[[], QWidget]] = {}
        nav.currentRowChanged.connect(self._on_nav_current_row_changed)

    def add(self, key: str, title: str, page: QWidget | Callable[[], QWidget]) -> None:
        self._keys.append(key)
        self._titles.append(title)
        self._nav.addItem(title)
        if isinstance(page, QWidget):
            self._pages[key] = page
            self._stack.addWidget(page)
        else:
            self._factories[key] = page
            self._stack.addWidget(QWidget())

    def __contains__(self, key: str) -> bool:
        return key in self._keys

    def entries(self) -> list[tuple[str, str]]:
        """(title, key) of every section, in navigation order."""
        return list(zip(self._titles, self._keys))

    def page(self, key: str) -> QWidget:
        """The page of `key`, built now if it has not been yet (KeyError for a section the user does not have)."""
        page = self._pages.get(key)
        if page is None:
            page = self._build(key)
        return page

    def built_pages(self) -> list[QWidget]:
        return [self._pages[key] for key in self._keys if key in self._pages]

    def key_of(self, page: QWidget) -> str:
        return next(key for key, built in self._pages.items() if built is page)

    def current_key(self) -> str:
        return self._keys[self._stack.currentIndex()]

    def show(self, key: str) -> None:
        index = self._keys.index(key)
        self.page(key)  # built before it becomes current: a placeholder is never shown
        self._stack.setCurrentIndex(index)
        self._nav.setCurrentRow(index)

    def _build(self, key: str) -> QWidget:
        factory = self._factories.pop(key)  # KeyError: a section this user does not have
        index = self._keys.index(key)
        page = factory()
        self._pages[key] = page
        placeholder = self._stack.widget(index)
        self._stack.insertWidget(index, page)
        if self._stack.currentWidget() is placeholder:
            self._stack.setCurrentWidget(page)
        self._stack.removeWidget(placeholder)
        placeholder.deleteLater()
        self.built.emit(key, page)
        return page

    @Slot(int)
    def _on_nav_current_row_changed(self, row: int) -> None:
        if row >= 0:
            self.show(self._keys[row])
