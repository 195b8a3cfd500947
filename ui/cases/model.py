"""The case list as a lazy table model (STYLE rule 8, PITFALLS: 100,000 rows).

The worker sends the first block first and the model shows it at once (a provisional row count: the rows
received); the count follows as a second answer, capped at `COUNT_CAP` ("1,000+ 件"), and the model inserts the
rows it announces. Further blocks of `BLOCK` rows come from the worker when the view asks for rows it does not
hold: right after a loaded block by key (received_at, id), so reading straight through never pays OFFSET; a
scrollbar jump to a far block uses OFFSET. Beyond a capped count the list grows by `fetchMore` as the view
reaches its end. `data()` never queries: it shows a placeholder and asks for the block; when the block arrives
the model emits `dataChanged`. A filter change bumps a generation counter, so a block or count that answers an
older question is dropped.
"""

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from laopan.labels import days_left_text, label
from laopan.models.enums import CaseStatus, Level
from laopan.services.actor import Actor
from laopan.services.cases import COUNT_CAP, CaseFilter, CaseQuery, PageKey
from laopan.views.cases import CaseRow
from ui.common import style
from ui.common.row_table import CASE_ID_ROLE
from ui.common.worker import TaskRunner

BLOCK = 200
MAX_BLOCKS = 60  # rows kept in memory: ~12,000; far-away blocks are dropped and fetched again if needed

COL_INTAKE_NO, COL_RECEIVED, COL_PARTIES, COL_TYPE, COL_LEVEL, COL_STATUS, COL_LEAD, COL_DUE = range(8)
COLUMN_COUNT = 8

CASE_ROW_ROLE = Qt.ItemDataRole.UserRole + 2

_SERVED_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.FontRole,
        CASE_ID_ROLE,
        CASE_ROW_ROLE,
    }
)

Index = QModelIndex | QPersistentModelIndex


class _CaseSource:
    """One question to the database (actor + filters). Its methods run on the worker thread only."""

    def __init__(self, actor: Actor, filters: CaseFilter):
        self._actor = actor
        self._filters = filters
        self._query: CaseQuery | None = None

    def _ready(self, session) -> CaseQuery:
        if self._query is None:
            self._query = CaseQuery(session, actor=self._actor, filters=self._filters)
        return self._query

    def first_block(self, session) -> list[CaseRow]:
        return self._ready(session).page(session, offset=0, limit=BLOCK)

    def count(self, session) -> int:
        """The number of cases, counting no further than COUNT_CAP + 1 (more means "1,000+")."""
        return self._ready(session).count(session, limit=COUNT_CAP + 1)

    def block(self, session, number: int, after: PageKey | None = None) -> list[CaseRow]:
        if after is not None:
            return self._ready(session).page(session, after=after, limit=BLOCK)
        return self._ready(session).page(session, offset=number * BLOCK, limit=BLOCK)


def headers() -> tuple[str, ...]:
    from PySide6.QtCore import QCoreApplication

    tr = QCoreApplication.translate
    return (
        tr("CaseTableModel", "受理编号"), tr("CaseTableModel", "受理日期"), tr("CaseTableModel", "当事人"),
        tr("CaseTableModel", "类型"), tr("CaseTableModel", "层级"), tr("CaseTableModel", "状态"),
        tr("CaseTableModel", "主调"), tr("CaseTableModel", "期限"),
    )


def cell_text(row: CaseRow, column: int, unassigned: str = "待分配") -> str:
    if column == COL_INTAKE_NO:
        return row.intake_no
    if column == COL_RECEIVED:
        return row.received_on.isoformat()
    if column == COL_PARTIES:
        return row.parties
    if column == COL_TYPE:
        return row.dispute_type
    if column == COL_LEVEL:
        return label(Level, row.level)
    if column == COL_STATUS:
        return label(CaseStatus, row.status)
    if column == COL_LEAD:
        return row.lead_name or unassigned
    if column == COL_DUE:
        return days_left_text(row.days_left)
    return ""


class CaseTableModel(QAbstractTableModel):
    """Cases under a filter, newest first, loaded in blocks on the worker.

    Signals:
        first_block_loaded(): the first block under the current filters has arrived (before the count).
        count_changed(int): the number of cases under the current filters is known; with `count_capped` it is
            COUNT_CAP + 1, meaning "more than COUNT_CAP".
        block_loaded(int): block number N has arrived (rows N*BLOCK … N*BLOCK+BLOCK-1).
        load_failed(object): the count or a block could not be read (the exception).
    """

    count_changed = Signal(int)
    first_block_loaded = Signal()
    block_loaded = Signal(int)
    load_failed = Signal(object)

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QObject | None = None):
        super().__init__(parent)
        self._runner = runner
        self._actor = actor
        self._group = f"case-model-{id(self)}"
        self._filters = CaseFilter()
        self._generation = 0
        self._source: _CaseSource | None = None
        self._count = 0
        self._capped = False
        self._blocks: dict[int, list[CaseRow]] = {}
        self._pending: set[int] = set()
        self._reloading = False
        self._headers = headers()
        self._placeholder = self.tr("加载中…")
        self._unassigned = self.tr("待分配")
        self._bold = QFont()
        self._bold.setBold(True)

    # ------------------------------------------------------------------ public

    @property
    def filters(self) -> CaseFilter:
        return self._filters

    @property
    def generation(self) -> int:
        return self._generation

    @property
    def count_capped(self) -> bool:
        """The count said "more than COUNT_CAP"; the rows grow as the view reaches the end (`fetchMore`)."""
        return self._capped

    @property
    def loading(self) -> bool:
        return self._reloading or bool(self._pending)

    def set_filters(self, filters: CaseFilter) -> None:
        self._filters = filters
        self.reload()

    def reload(self) -> None:
        """Ask the worker again (filters changed, or a case was saved). The old rows stay until the answer."""
        self._generation += 1
        generation = self._generation
        self._runner.cancel(self._group)
        self._pending.clear()
        self._reloading = True
        source = _CaseSource(self._actor, self._filters)
        self._runner.read(
            source.first_block,
            on_done=lambda rows: self._on_first_block(generation, source, rows),
            on_error=lambda error: self._on_failed(generation, error),
            group=self._group,
        )

    def row_data(self, row: int) -> CaseRow | None:
        """The row if its block is loaded (never fetches)."""
        rows = self._blocks.get(row // BLOCK)
        offset = row % BLOCK
        return rows[offset] if rows is not None and offset < len(rows) else None

    def find_row(self, case_id: int) -> int | None:
        """The row of a case among the loaded blocks, or None."""
        for number, rows in self._blocks.items():
            for offset, row in enumerate(rows):
                if row.id == case_id:
                    return number * BLOCK + offset
        return None

    def loaded_rows(self) -> list[CaseRow]:
        """What is in memory, in list order (for sizing columns from a sample)."""
        return [row for number in sorted(self._blocks) for row in self._blocks[number]]

    # ------------------------------------------------------------------ Qt model

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < COLUMN_COUNT:
            return self._headers[section]
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _SERVED_ROLES or not index.isValid():
            return None
        number = index.row() // BLOCK
        rows = self._blocks.get(number)
        if rows is None:
            self._request(number)
            if role == Qt.ItemDataRole.DisplayRole and index.column() == COL_INTAKE_NO:
                return self._placeholder
            return None
        offset = index.row() % BLOCK
        if offset >= len(rows):
            return None  # the list shrank since it was counted; the next reload fixes the count
        row = rows[offset]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(row, column, self._unassigned)
        if role == CASE_ID_ROLE:
            return row.id
        if role == CASE_ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(row, column)
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if column == COL_DUE and row.days_left is not None and row.days_left < 0 else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        return None

    def _foreground(self, row: CaseRow, column: int):
        if column == COL_LEVEL:
            return style.LEVEL_COLOURS.get(row.level)
        if column == COL_STATUS:
            return style.status_colour(row.status)
        if column == COL_DUE:
            return style.due_colour(row.days_left, row.due_soon)
        if column == COL_LEAD and not row.lead_name:
            return style.MUTED
        return None

    def _tooltip(self, row: CaseRow, column: int) -> str | None:
        if column == COL_PARTIES:
            return row.parties
        if column == COL_DUE and row.due_on is not None:
            return self.tr("调解期限：%1").replace("%1", _date_cn(row.due_on))
        return None

    # ------------------------------------------------------------------ loading

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        return not parent.isValid() and self._capped and not self._reloading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._request(self._count // BLOCK)

    def _request(self, number: int) -> None:
        if self._reloading or number in self._pending or self._source is None:
            return
        self._pending.add(number)
        generation, source = self._generation, self._source
        previous = self._blocks.get(number - 1)
        # Reading straight through: start right after the previous block's last row (no OFFSET to skip).
        after = PageKey(previous[-1].received_at, previous[-1].id) if previous and len(previous) == BLOCK else None
        self._runner.read(
            lambda session: source.block(session, number, after),
            on_done=lambda rows: self._on_block(generation, number, rows),
            on_error=lambda error: self._on_failed(generation, error),
            group=self._group,
        )

    def _on_first_block(self, generation: int, source: _CaseSource, rows: list[CaseRow]) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._source = source
        self._count = len(rows)  # provisional: the rows at hand, until the count arrives
        self._capped = False
        self._blocks = {0: rows} if rows else {}
        self._pending.clear()
        self._reloading = len(rows) == BLOCK  # still counting
        self.endResetModel()
        self.first_block_loaded.emit()
        if len(rows) < BLOCK:  # the whole list is here: that is the count
            self.count_changed.emit(len(rows))
            return
        self._runner.read(
            source.count,
            on_done=lambda count: self._on_counted(generation, count),
            on_error=lambda error: self._on_failed(generation, error),
            group=self._group,
        )

    def _on_counted(self, generation: int, count: int) -> None:
        if generation != self._generation:
            return
        self._reloading = False
        self._capped = count > COUNT_CAP
        shown = max(count, self._count) if self._capped else count
        if shown > self._count and not self._capped:
            self.beginInsertRows(QModelIndex(), self._count, shown - 1)
            self._count = shown
            self.endInsertRows()
        elif shown < self._count:  # cases left the list between the two answers
            self.beginRemoveRows(QModelIndex(), shown, self._count - 1)
            self._count = shown
            self.endRemoveRows()
        self.count_changed.emit(count)

    def _on_block(self, generation: int, number: int, rows: list[CaseRow]) -> None:
        if generation != self._generation:
            return
        self._pending.discard(number)
        self._blocks[number] = rows
        self._evict(keep=number)
        first = number * BLOCK
        if self._capped and first + len(rows) > self._count:
            # Growing past a capped count: these rows are new to the view.
            self.beginInsertRows(QModelIndex(), self._count, first + len(rows) - 1)
            self._count = first + len(rows)
            self.endInsertRows()
            if len(rows) < BLOCK:  # the end: now the count is exact
                self._capped = False
                self.count_changed.emit(self._count)
        elif self._capped and len(rows) < BLOCK:
            self._capped = False
            self.count_changed.emit(self._count)
        last = min(first + BLOCK, self._count) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, COLUMN_COUNT - 1))
        self.block_loaded.emit(number)

    def _on_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self._reloading = False
        self._pending.clear()
        self.load_failed.emit(error)

    def _evict(self, keep: int) -> None:
        if len(self._blocks) <= MAX_BLOCKS:
            return
        for number in sorted(self._blocks, key=lambda n: abs(n - keep), reverse=True)[: len(self._blocks) - MAX_BLOCKS]:
            del self._blocks[number]


def _date_cn(day: dt.date) -> str:
    from laopan.clock import format_date_cn

    return format_date_cn(day)
