"""Small, fully loaded tables for the workflow pages (STYLE rule 8: models, not item widgets).

`RowTableModel` shows a short list of frozen rows (a case's sittings, its history, a page of the 工作台, the
mediator registry) through `Column`s that turn a row into text, colour and tooltip. Lists that can grow past a
few thousand rows use the lazy `CaseTableModel` instead. Also the colours for statuses, which, like levels and
deadlines, always come with their text (DESIGN §8).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ui.common.style import STATUS_COLOURS, status_colour  # noqa: F401 (the row tables' colours live in style)

ROW_ROLE = Qt.ItemDataRole.UserRole + 11
# The case a row stands for, in every list that opens a case (the case list, the 警调 list, the 工作台).
CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 12
Index = QModelIndex | QPersistentModelIndex

@dataclass(frozen=True)
class Column:
    """One column: its title, how a row becomes text, and optionally a text colour and a tooltip."""

    title: str
    text: Callable[[Any], str]
    colour: Callable[[Any], QColor | None] | None = None
    tooltip: Callable[[Any], str | None] | None = None
    stretch: bool = False
    sort: Callable[[Any], Any] | None = None  # a key for SORT_ROLE (numbers sort as numbers); default: the text


class RowTableModel(QAbstractTableModel):
    """A read-only table over a tuple of frozen rows; `set_rows` replaces them all. No signals of its own."""

    def __init__(self, columns: Sequence[Column], parent: QObject | None = None):
        super().__init__(parent)
        self._columns = tuple(columns)
        self._rows: tuple[Any, ...] = ()

    @property
    def columns(self) -> tuple[Column, ...]:
        return self._columns

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    def rows(self) -> tuple[Any, ...]:
        return self._rows

    def row(self, number: int) -> Any | None:
        return self._rows[number] if 0 <= number < len(self._rows) else None

    def text(self, row: int, column: int) -> str:
        return self._columns[column].text(self._rows[row])

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return self._columns[section].title
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ForegroundRole:
            return column.colour(row) if column.colour else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.tooltip is not None:
                return column.tooltip(row)
            text = column.text(row)
            return text if len(text) > 12 else None
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return column.sort(row) if column.sort else column.text(row)
        return None


def table_view(model: RowTableModel, parent: QWidget | None = None, *, wrap: bool = False,
               proxy: QSortFilterProxyModel | None = None) -> QTableView:
    """A row-selecting view sized to its (short) contents, the `stretch` column taking the free width.

    With `proxy` (over `model`, sorting by SORT_ROLE) the user can sort by clicking a column title.
    """
    view = QTableView(parent)
    if proxy is not None:
        proxy.setSourceModel(model)
        proxy.setSortRole(SORT_ROLE)
        view.setModel(proxy)
        view.setSortingEnabled(True)
        view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    else:
        view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(wrap)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.verticalHeader().setVisible(False)
    rows = view.verticalHeader()
    if wrap:
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    else:
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(view.fontMetrics().height() + 10)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    for number, column in enumerate(model.columns):
        mode = QHeaderView.ResizeMode.Stretch if column.stretch else QHeaderView.ResizeMode.ResizeToContents
        header.setSectionResizeMode(number, mode)
    return view


def selected_row(view: QTableView) -> Any | None:
    """The row object under the view's current index, or None."""
    index = view.currentIndex()
    if not index.isValid() or not view.selectionModel().isRowSelected(index.row(), QModelIndex()):
        return None
    return index.data(ROW_ROLE)
