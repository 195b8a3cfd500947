"""What the window's 统计 page shows, read in one unit of work (the window runs it on its worker), and the case filters its clicks open.

Everything here is plain data: `load_statistics` calls the statistics service (figures, 环比/同比, breakdowns,
a year of months) and returns a frozen `StatsData`; the `*_filter` functions turn a figure or a bar into the
`CaseFilter` of exactly the cases it counts (the cases received in the period, in the page's scope).
"""

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import select

from laopan.models import CaseSource, Community, DisputeType
from laopan.services.actor import Actor
from laopan.services.cases import CaseFilter
from laopan.services.committee import committee_settings
from laopan.services.statistics import (
    MonthFigures,
    Period,
    Row,
    Scope,
    Statistics,
    breakdown,
    compare,
    month,
    monthly_series,
    period,
    statistics,
)

SERIES_MONTHS = 12


def year(number: int) -> Period:
    return period(dt.date(number, 1, 1), dt.date(number, 12, 31))


def is_year(when: Period) -> bool:
    return (when.first.month, when.first.day, when.last.month, when.last.day) == (1, 1, 12, 31) and when.first.year == when.last.year


def period_text(when: Period) -> str:
    return f"{when.first.year}年" if is_year(when) else when.label


@dataclass(frozen=True)
class StatsRequest:
    when: Period
    scope: Scope = Scope()
    by: str = "dispute_type"


@dataclass(frozen=True)
class StatsData:
    request: StatsRequest
    scope: Scope  # the scope the service applied (a mediator's own id filled in)
    current: Statistics
    previous: Statistics | None  # the month before (环比); None for a year
    last_year: Statistics  # the same period a year earlier (同比)
    by_type: tuple[Row, ...]
    table: tuple[Row, ...]
    codes: dict[str, dict[str, str]]  # by → row key (an id) → the code a CaseFilter takes
    series: tuple[MonthFigures, ...]
    today: dt.date


def load_statistics(session, *, actor: Actor, request: StatsRequest) -> StatsData:
    when, scope = request.when, request.scope
    if is_year(when):
        current = statistics(session, actor=actor, when=when, scope=scope)
        previous = None
        last_year = statistics(session, actor=actor, when=year(when.first.year - 1), scope=scope)
    else:
        comparison = compare(session, actor=actor, when=when, scope=scope)
        current, previous, last_year = comparison.current, comparison.previous, comparison.last_year
    by_type = tuple(breakdown(session, actor=actor, when=when, by="dispute_type", scope=scope))
    table = by_type if request.by == "dispute_type" else tuple(breakdown(session, actor=actor, when=when, by=request.by, scope=scope))
    today = actor.today(committee_settings(session, actor.committee_id).time_zone)
    end = min(when.last, max(today, when.first))
    series = monthly_series(session, actor=actor, last_month=month(end.year, end.month), months=SERIES_MONTHS, scope=scope)
    committee = actor.committee_id
    codes = {
        "dispute_type": {str(i): c for i, c in session.execute(select(DisputeType.id, DisputeType.code).where(DisputeType.committee_id == committee))},
        "source": {str(i): c for i, c in session.execute(select(CaseSource.id, CaseSource.code).where(CaseSource.committee_id == committee))},
        "community": {str(i): c for i, c in session.execute(select(Community.id, Community.name).where(Community.committee_id == committee))},
    }
    return StatsData(request, current.scope, current, previous, last_year, by_type, table, codes, tuple(series), today)


# ---------------------------------------------------------------- what a click opens


def base_filter(scope: Scope, when: Period) -> CaseFilter:
    """The cases a figure of the period counts: received in the period, in the scope."""
    return CaseFilter(level=scope.level, community=scope.community, source=scope.source, mediator_id=scope.mediator_id,
                      received_from=when.first, received_to=when.last)


def row_filter(data: StatsData, by: str, row: Row, when: Period | None = None) -> CaseFilter | None:
    """The cases of one breakdown row; None where no case filter says the same (the lead mediator)."""
    base = base_filter(data.scope, when or data.request.when)
    if by == "level":
        return replace(base, level=row.key) if base.level in (None, row.key) else None
    field = {"dispute_type": "dispute_type", "source": "source", "community": "community"}.get(by)
    code = data.codes.get(by, {}).get(row.key)
    if field is None or code is None or getattr(base, field) not in (None, code):
        return None
    return replace(base, **{field: code})
