"""The liaison's referral list as a small in-memory table model, and the plain data the 警调 page loads.

The referral list is small (a street sees a few hundred referrals in a year), so the worker reads all of it at
once (`load_referrals`) and the model filters by state and search text itself. Deadlines carry colour and text:
"剩22小时" / "逾期3天" (DESIGN §8).
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont

from laopan.clock import Clock
from laopan.labels import instant_text, label, time_left_text
from laopan.models.enums import DEFAULT_STATION, ReferralState, RiskFlag
from laopan.services.actor import Actor
from laopan.services.committee import committee_settings, load_dictionaries
from laopan.services.referrals import list_referrals
from laopan.views.referrals import ReferralRow
from ui.common import style
from ui.common.row_table import CASE_ID_ROLE

COL_INTAKE_NO, COL_INCIDENT_NO, COL_STATION, COL_PARTIES, COL_STATE, COL_DUE, COL_REMAINING, COL_FLAGS = range(8)
COLUMN_COUNT = 8
REFERRAL_ROW_ROLE = Qt.ItemDataRole.UserRole + 11

STATES: tuple[ReferralState, ...] = (
    ReferralState.AWAITING_CONTACT, ReferralState.IN_MEDIATION, ReferralState.FEEDBACK_DUE,
    ReferralState.OVERDUE, ReferralState.CLOSED,
)

OVERDUE_BACKGROUND = QColor("#fdecea")
SOON_BACKGROUND = QColor("#fff4e0")
SOON_TEXT = QColor("#a04d00")
OVERDUE, SOON = "overdue", "soon"
_RISK_CODES = frozenset(flag.value for flag in RiskFlag)

_SERVED_ROLES = frozenset({
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.FontRole, CASE_ID_ROLE, REFERRAL_ROW_ROLE,
})

Index = QModelIndex | QPersistentModelIndex


# ---------------------------------------------------------------------- what the worker reads


@dataclass(frozen=True)
class LiaisonInfo:
    """The committee's stations and referral deadlines, read once when the page opens."""

    time_zone: str
    stations: tuple[str, ...]
    default_station: str | None
    first_contact_hours: int
    feedback_days: int


def load_liaison_info(session, *, actor: Actor) -> LiaisonInfo:
    settings = committee_settings(session, actor.committee_id)
    stations = tuple(sorted(load_dictionaries(session, actor.committee_id).stations))
    default = DEFAULT_STATION if DEFAULT_STATION in stations else (stations[0] if stations else None)
    return LiaisonInfo(settings.time_zone, stations, default, settings.referral_first_contact_hours, settings.referral_feedback_days)


@dataclass(frozen=True)
class ReferralSnapshot:
    """Every referral with its state at `now` (the actor's clock when they were read)."""

    now: dt.datetime
    rows: tuple[ReferralRow, ...]


def load_referrals(session, *, actor: Actor) -> ReferralSnapshot:
    return ReferralSnapshot(actor.clock.now(), tuple(list_referrals(session, actor=actor)))


# ---------------------------------------------------------------------- text and colour


def local_text(instant: dt.datetime | None, zone: ZoneInfo) -> str:
    return instant_text(instant, zone)


def urgency(row: ReferralRow) -> str | None:
    """OVERDUE, SOON (amber) or None, as the service decided when the rows were read."""
    if row.state == ReferralState.OVERDUE.value:
        return OVERDUE
    return SOON if row.due_soon else None


def deadline_kind(row: ReferralRow) -> str:
    tr = QCoreApplication.translate
    return tr("ReferralTableModel", "首次联系") if row.first_contact_at is None else tr("ReferralTableModel", "反馈结果")


def state_text(row: ReferralRow) -> str:
    text = label(ReferralState(row.state))
    if row.state == ReferralState.OVERDUE.value:
        tr = QCoreApplication.translate
        text += tr("ReferralTableModel", "（未联系）") if row.first_contact_at is None else tr("ReferralTableModel", "（未反馈）")
    return text


def flags_text(row: ReferralRow) -> str:
    tr = QCoreApplication.translate
    flags = [label(RiskFlag(code)) if code in _RISK_CODES else code for code in row.risk_flags]
    if row.second_mediation:
        flags.append(tr("ReferralTableModel", "二次调解"))
    if row.returned:
        flags.append(tr("ReferralTableModel", "已退回公安"))
    return "、".join(flags)


def headers() -> tuple[str, ...]:
    tr = QCoreApplication.translate
    return tuple(tr("ReferralTableModel", text) for text in ("受理编号", "警情编号", "派出所", "当事人", "状态", "期限", "剩余", "标记"))


def _sort_key(row: ReferralRow) -> tuple:
    """Open referrals by deadline, most urgent first; then closed ones, newest first."""
    if row.due_at is not None:
        return (0, row.due_at.timestamp(), row.referred_at.timestamp())
    return (1, -row.referred_at.timestamp(), 0.0)


# ---------------------------------------------------------------------- the model


class ReferralTableModel(QAbstractTableModel):
    """Referrals under a state filter and a search text; rows are `ReferralRow`s, never queried in `data()`.

    Signals:
        counts_changed(object): {state code: count} over every loaded referral (the search text narrows them).
    """

    counts_changed = Signal(object)

    def __init__(self, parent: QObject | None = None, *, clock: Clock, time_zone: str = "Asia/Shanghai"):
        super().__init__(parent)
        self._zone = ZoneInfo(time_zone)
        self._now = clock.now()  # each snapshot then brings the instant it was read at
        self._all: list[ReferralRow] = []
        self._rows: list[ReferralRow] = []
        self._state: str | None = None
        self._terms: tuple[str, ...] = ()
        self._headers = headers()
        self._bold = QFont()
        self._bold.setBold(True)

    # ------------------------------------------------------------------ public

    @property
    def now(self) -> dt.datetime:
        return self._now

    @property
    def zone(self) -> ZoneInfo:
        return self._zone

    @property
    def state_filter(self) -> str | None:
        return self._state

    def set_time_zone(self, time_zone: str) -> None:
        self._zone = ZoneInfo(time_zone)
        if self._rows:
            self.dataChanged.emit(self.index(0, COL_DUE), self.index(len(self._rows) - 1, COL_DUE))

    def set_snapshot(self, snapshot: ReferralSnapshot) -> None:
        self._now = snapshot.now
        self._all = sorted(snapshot.rows, key=_sort_key)
        self._refilter()

    def set_state_filter(self, state: str | None) -> None:
        if state != self._state:
            self._state = state
            self._refilter()

    def set_text(self, text: str) -> None:
        terms = tuple(term for term in text.casefold().split() if term)
        if terms != self._terms:
            self._terms = terms
            self._refilter()

    def counts(self) -> dict[str | None, int]:
        """How many referrals match the search text, per state code (None: all of them)."""
        matching = [row for row in self._all if self._matches_text(row)]
        counts: dict[str | None, int] = {state.value: 0 for state in STATES}
        for row in matching:
            counts[row.state] = counts.get(row.state, 0) + 1
        counts[None] = len(matching)
        return counts

    def row_data(self, row: int) -> ReferralRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def find_row(self, case_id: int) -> int | None:
        return next((number for number, row in enumerate(self._rows) if row.case_id == case_id), None)

    def all_rows(self) -> list[ReferralRow]:
        return list(self._all)

    # ------------------------------------------------------------------ filtering

    def _matches_text(self, row: ReferralRow) -> bool:
        if not self._terms:
            return True
        haystack = f"{row.intake_no} {row.incident_no} {row.parties}".casefold()
        return all(term in haystack for term in self._terms)

    def _refilter(self) -> None:
        self.beginResetModel()
        self._rows = [row for row in self._all if (self._state is None or row.state == self._state) and self._matches_text(row)]
        self.endResetModel()
        self.counts_changed.emit(self.counts())

    # ------------------------------------------------------------------ Qt model

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < COLUMN_COUNT:
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _SERVED_ROLES or not index.isValid():
            return None
        row = self.row_data(index.row())
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(row, column)
        if role == CASE_ID_ROLE:
            return row.case_id
        if role == REFERRAL_ROW_ROLE:
            return row
        level = urgency(row)
        if role == Qt.ItemDataRole.BackgroundRole:
            return OVERDUE_BACKGROUND if level == OVERDUE else SOON_BACKGROUND if level == SOON else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column in (COL_STATE, COL_DUE, COL_REMAINING) and level is not None:
                return style.OVERDUE if level == OVERDUE else SOON_TEXT
            return style.MUTED if row.state == ReferralState.CLOSED.value else None
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if column in (COL_STATE, COL_REMAINING) and level == OVERDUE else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        return None

    def cell_text(self, row: ReferralRow, column: int) -> str:
        if column == COL_INTAKE_NO:
            return row.intake_no
        if column == COL_INCIDENT_NO:
            return row.incident_no
        if column == COL_STATION:
            return row.station
        if column == COL_PARTIES:
            return row.parties
        if column == COL_STATE:
            return state_text(row)
        if column == COL_DUE:
            return local_text(row.due_at, self._zone)
        if column == COL_REMAINING:
            return time_left_text(row.due_at, self._now)
        if column == COL_FLAGS:
            return flags_text(row)
        return ""

    def _tooltip(self, row: ReferralRow, column: int) -> str | None:
        tr = self.tr
        if column in (COL_DUE, COL_REMAINING, COL_STATE) and row.due_at is not None:
            return tr("%1期限：%2").replace("%1", deadline_kind(row)).replace("%2", local_text(row.due_at, self._zone))
        if column == COL_PARTIES:
            return row.parties
        if column == COL_FLAGS:
            return flags_text(row) or None
        return None
