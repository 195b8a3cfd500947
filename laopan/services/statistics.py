"""Statistics of a period (DESIGN §6): what the monthly report to the 司法所, the 统计 page and the workload
figures are built from.

Every figure is an SQL aggregate (SUM(CASE …) … GROUP BY) over the cases *received* in the period — the
cohort a 司法所 form counts — so the cost does not grow with Python loops over cases. Outcomes are the case's
status, or the status it had before it was closed (结案归档 keeps the outcome).

Definitions (what the report's columns mean):
* 登记 `received`: cases received in the period; 受理 `accepted`: of those, the ones accepted (accepted_at set).
* 调解成功 `settled` (书面 / 口头 by the agreement's kind), 调解终止 `terminated`, 在办 `pending` (registered,
  accepted or mediating), 逾期 `overdue`: pending with the mediation deadline before today (as of the clock).
* 成功率 = settled / accepted ("—" when nothing was accepted).
* 涉及金额 = 标的额 of all received cases; 协议金额 = 标的额 of the settled ones (the agreement keeps its sums in
  clause text, not as a number; the 司法所 form's "协议涉及金额" is this figure).
* 履行: settled cases with a 回访 that found the agreement performed (0 until follow-ups are recorded).
* 司法确认: settled cases with a judicial confirmation the court ruled 确认有效.
* 平均调解天数: from acceptance (committee calendar day) to the agreement's signing day, over settled cases.
"""

import datetime as dt
import functools
from dataclasses import dataclass, fields
from zoneinfo import ZoneInfo

from sqlalchemy import Date, String, and_, bindparam, case, cast, exists, func, literal, literal_column, or_, select
from sqlmodel import Session

from laopan import labels
from laopan.clock import start_of_day
from laopan.errors import PermissionDenied, ValidationError
from laopan.models import Agreement, Case, CaseMediator, CaseSource, Community, FollowUp, PoliceReferral
from laopan.models.casefile import JudicialConfirmation, JudicialResult
from laopan.models.enums import AgreementKind, CaseMediatorRole, CaseStatus, Level, PerformanceStatus, Role
from laopan.security.permissions import Action
from laopan.services import cached
from laopan.services.actor import Actor
from laopan.services.committee import committee_settings

BY = ("dispute_type", "source", "level", "community", "mediator")
NO_RATE = "—"


# ---------------------------------------------------------------- periods and scope


@dataclass(frozen=True)
class Period:
    """Calendar days [first, last] in the committee's time zone."""

    first: dt.date
    last: dt.date

    @property
    def label(self) -> str:
        if self.first.day == 1 and self.last == _month_end(self.first.year, self.first.month):
            return f"{self.first.year}年{self.first.month}月"
        return f"{self.first.isoformat()} 至 {self.last.isoformat()}"

    def previous_month(self) -> "Period":
        first = self.first.replace(day=1) - dt.timedelta(days=1)
        return month(first.year, first.month)

    def same_month_last_year(self) -> "Period":
        return month(self.first.year - 1, self.first.month)


def _month_end(year: int, number: int) -> dt.date:
    return dt.date(year + number // 12, number % 12 + 1, 1) - dt.timedelta(days=1)


def month(year: int, number: int) -> Period:
    return Period(dt.date(year, number, 1), _month_end(year, number))


def parse_month(text: str) -> Period:
    """2026-11 → November 2026; anything else is refused naming the option."""
    try:
        year, number = (int(part) for part in text.strip().split("-"))
        return month(year, number)
    except ValueError:
        raise ValidationError("月份", "格式应为 2026-11") from None


def period(first: dt.date, last: dt.date) -> Period:
    if last < first:
        raise ValidationError("统计期间", "结束日期早于开始日期")
    return Period(first, last)


@dataclass(frozen=True)
class Scope:
    """Optional narrowing of the statistics: community name, level code, mediator id, source code."""

    community: str | None = None
    level: str | None = None
    mediator_id: int | None = None
    source: str | None = None


def effective_scope(actor: Actor, scope: Scope | None) -> Scope:
    """Supervisors and admins see the whole committee; a mediator sees their own cases only."""
    scope = scope or Scope()
    actor.require(Action.VIEW_STATISTICS)
    if actor.is_supervisor:
        return scope
    if actor.role is Role.MEDIATOR:
        if actor.mediator_id is None:
            raise PermissionDenied("当前用户未关联调解员，不能查看统计")
        if scope.mediator_id not in (None, actor.mediator_id):
            raise PermissionDenied("调解员只能查看本人承办案件的统计")
        return Scope(scope.community, scope.level, actor.mediator_id, scope.source)
    raise PermissionDenied("当前角色无权查看统计")


# ---------------------------------------------------------------- read models


@dataclass(frozen=True)
class Figures:
    received: int = 0
    accepted: int = 0
    rejected: int = 0
    settled: int = 0
    settled_written: int = 0
    settled_oral: int = 0
    terminated: int = 0
    pending: int = 0
    overdue: int = 0
    amount_involved_fen: int = 0
    amount_agreed_fen: int = 0
    performed: int = 0
    judicially_confirmed: int = 0
    prevented_criminal: int = 0
    prevented_group_petition: int = 0
    settle_days_total: float = 0.0
    settle_days_count: int = 0

    @property
    def success_rate(self) -> float | None:
        return self.settled / self.accepted if self.accepted else None

    @property
    def success_rate_text(self) -> str:
        return rate_text(self.success_rate)

    @property
    def average_days_to_settle(self) -> float | None:
        return self.settle_days_total / self.settle_days_count if self.settle_days_count else None

    def plus(self, other: "Figures") -> "Figures":
        return Figures(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(Figures)})


def rate_text(value: float | None) -> str:
    return NO_RATE if value is None else f"{value:.1%}"


@dataclass(frozen=True)
class Row:
    """One group of a breakdown: its key (code or id), its Chinese label, and its figures."""

    key: str
    label: str
    figures: Figures


@dataclass(frozen=True)
class ReferralFigures:
    """Police referrals of cases received in the period; due counts include only deadlines already passed."""

    referrals: int = 0
    first_contact_due: int = 0
    first_contact_on_time: int = 0
    feedback_due: int = 0
    feedback_on_time: int = 0

    @property
    def first_contact_rate(self) -> float | None:
        return self.first_contact_on_time / self.first_contact_due if self.first_contact_due else None

    @property
    def feedback_rate(self) -> float | None:
        return self.feedback_on_time / self.feedback_due if self.feedback_due else None


@dataclass(frozen=True)
class Statistics:
    period: Period
    scope: Scope
    totals: Figures
    referrals: ReferralFigures
    judicial_confirmation_recorded: bool = True
    """True: judicial confirmations are recorded (laopan.services.judicial), so that figure counts real rulings."""


@dataclass(frozen=True)
class Comparison:
    """This period beside the month before (环比) and the same month a year earlier (同比)."""

    current: Statistics
    previous: Statistics
    last_year: Statistics

    @staticmethod
    def change(now: int | float, before: int | float) -> str:
        if not before:
            return NO_RATE
        return f"{(now - before) / before:+.1%}"


# ---------------------------------------------------------------- queries


def _outcome():
    return case((Case.status == CaseStatus.CLOSED.value, Case.status_before_close), else_=Case.status)


def _count(condition):
    return func.sum(case((condition, 1), else_=0))


def _days_to_settle(dialect: str):
    """Days from acceptance (committee calendar day) to the agreement's signing day, in SQL."""
    if dialect == "postgresql":
        return cast(Agreement.signed_on, Date) - cast(func.timezone(bindparam("tz", type_=String), Case.accepted_at), Date)
    # SQLite keeps instants as naive UTC text: shift by the zone's offset (taken at the period's start) first.
    return func.julianday(Agreement.signed_on) - func.julianday(func.date(Case.accepted_at, bindparam("offset", type_=String)))


def _figure_columns(dialect: str) -> list:
    """The figures as SUM(CASE …) columns; what varies per call (today, the zone) is a bound parameter, so the
    columns are built once per dialect and SQLAlchemy's compiled cache serves every later call."""
    outcome = _outcome()
    settled = outcome == CaseStatus.SETTLED.value
    pending = outcome.in_((CaseStatus.REGISTERED.value, CaseStatus.ACCEPTED.value, CaseStatus.MEDIATING.value))
    performed = exists().where(FollowUp.case_id == Case.id, FollowUp.performance_status == PerformanceStatus.PERFORMED.value)
    confirmed = exists().where(JudicialConfirmation.case_id == Case.id, JudicialConfirmation.result == JudicialResult.CONFIRMED.value)
    days = _days_to_settle(dialect)
    has_days = and_(settled, Agreement.signed_on.is_not(None), Case.accepted_at.is_not(None))
    return [
        func.count(Case.id),
        _count(Case.accepted_at.is_not(None)),
        _count(outcome == CaseStatus.REJECTED.value),
        _count(settled),
        _count(and_(settled, Agreement.kind == AgreementKind.WRITTEN.value)),
        _count(and_(settled, Agreement.kind == AgreementKind.ORAL.value)),
        _count(outcome == CaseStatus.TERMINATED.value),
        _count(pending),
        _count(and_(pending, Case.due_on < bindparam("today"))),
        func.coalesce(func.sum(Case.amount_fen), 0),
        func.coalesce(func.sum(case((settled, Case.amount_fen), else_=0)), 0),
        _count(and_(settled, performed)),
        _count(and_(settled, confirmed)),
        _count(Case.prevented_criminal),
        _count(Case.prevented_group_petition),
        func.coalesce(func.sum(case((has_days, days), else_=0)), 0),
        _count(has_days),
    ]


_FIGURE_NAMES = tuple(f.name for f in fields(Figures))


def _figures(values) -> Figures:
    return Figures(*(
        (float(value or 0) if name == "settle_days_total" else int(value or 0)) for name, value in zip(_FIGURE_NAMES, values, strict=True)
    ))


def _where(shape: tuple[bool, bool, bool, bool], values: dict | None = None) -> list:
    """The committee's cases received in [start, end), narrowed by the scope parts present (level, community,
    source, mediator): named bound parameters for a cached statement, or `values` themselves when given."""
    has_level, has_community, has_source, has_mediator = shape

    def p(name: str):
        return bindparam(name) if values is None else values[name]

    committee = p("committee")
    conditions = [Case.committee_id == committee, Case.received_at >= p("start"), Case.received_at < p("end")]
    if has_level:
        conditions.append(Case.level == p("level"))
    if has_community:
        conditions.append(Case.community_id == select(Community.id).where(
            Community.committee_id == committee, Community.name == p("community")).scalar_subquery())
    if has_source:
        conditions.append(Case.source_id == select(CaseSource.id).where(
            CaseSource.committee_id == committee, CaseSource.code == p("source")).scalar_subquery())
    if has_mediator:
        conditions.append(exists().where(CaseMediator.case_id == Case.id, CaseMediator.mediator_id == p("mediator_id")))
    return conditions


_GROUP_COLUMNS = {
    "dispute_type": lambda: Case.dispute_type_id, "source": lambda: Case.source_id,
    "community": lambda: Case.community_id, "level": lambda: Case.level,
}


@functools.cache
def _figures_statement(dialect: str, by: str | None, shape: tuple[bool, bool, bool, bool]):
    """The figures of the period, in total (by None) or per group, built once per (dialect, grouping, scope shape)."""
    columns = _figure_columns(dialect)
    if by == "mediator":
        lead = (
            select(CaseMediator.case_id, func.min(CaseMediator.mediator_id).label("mediator_id"))
            .where(CaseMediator.role == CaseMediatorRole.LEAD.value).group_by(CaseMediator.case_id).subquery()
        )
        return (
            select(lead.c.mediator_id, *columns).select_from(Case)
            .outerjoin(Agreement, (Agreement.case_id == Case.id) & Agreement.superseded_at.is_(None))
            .join(lead, lead.c.case_id == Case.id).where(*_where(shape)).group_by(lead.c.mediator_id)
        )
    group = (_GROUP_COLUMNS[by](),) if by else ()
    statement = (
        select(*group, *columns).select_from(Case)
        .outerjoin(Agreement, (Agreement.case_id == Case.id) & Agreement.superseded_at.is_(None))
        .where(*_where(shape))
    )
    return statement.group_by(*group) if group else statement


@functools.cache
def _referral_statement(shape: tuple[bool, bool, bool, bool]):
    now = bindparam("now")
    return select(
        func.count(PoliceReferral.id),
        _count(or_(PoliceReferral.first_contact_at.is_not(None), PoliceReferral.first_contact_due_at <= now)),
        _count(PoliceReferral.first_contact_at <= PoliceReferral.first_contact_due_at),
        _count(or_(PoliceReferral.feedback_at.is_not(None), PoliceReferral.feedback_due_at <= now)),
        _count(PoliceReferral.feedback_at <= PoliceReferral.feedback_due_at),
    ).select_from(Case).join(PoliceReferral, PoliceReferral.case_id == Case.id).where(*_where(shape))


def time_zone(session: Session, committee_id: int) -> str:
    """The committee's time zone, read once per desk (laopan.services.cached)."""
    return cached.memo(session, committee_id, "time_zone", lambda s: committee_settings(s, committee_id).time_zone)


class _Query:
    """The FROM and WHERE every figure shares: the committee's cases received in the period, narrowed by scope.

    Statements are executed on the session's connection (Core, not the ORM: they load no entities)."""

    def __init__(self, session: Session, actor: Actor, when: Period, scope: Scope, *, days_from: dt.date | None = None):
        self.session, self.actor, self.period, self.scope = session, actor, when, scope
        self.tz = time_zone(session, actor.committee_id)
        self.start = start_of_day(when.first, self.tz)
        self.end = start_of_day(when.last + dt.timedelta(days=1), self.tz)
        self.today = actor.today(self.tz)
        if scope.level and scope.level not in {level.value for level in Level}:
            raise ValidationError("层级", f"应为{'、'.join(level.value for level in Level)}之一")
        self.connection = session.connection()
        self.dialect = self.connection.dialect.name
        self.shape = (bool(scope.level), bool(scope.community), bool(scope.source), scope.mediator_id is not None)
        self.params = {"committee": actor.committee_id, "start": self.start, "end": self.end, "today": self.today,
                       "level": scope.level, "community": scope.community, "source": scope.source,
                       "mediator_id": scope.mediator_id}
        if self.dialect == "postgresql":
            self.params["tz"] = self.tz
        else:
            offset = int(dt.datetime.combine(days_from or when.first, dt.time(12), ZoneInfo(self.tz)).utcoffset().total_seconds() // 60)
            self.params["offset"] = f"{offset:+d} minutes"

    def where(self) -> list:
        """The same conditions with this call's values (for statements built per call, e.g. the workload's)."""
        return _where(self.shape, self.params)

    def run(self, statement, **extra):
        return self.connection.execute(statement, {**self.params, **extra} if extra else self.params)

    def figures(self, by: str | None = None) -> list:
        return self.run(_figures_statement(self.dialect, by, self.shape)).all()

    def referrals(self) -> ReferralFigures:
        row = self.run(_referral_statement(self.shape), now=self.actor.clock.now()).one()
        return ReferralFigures(*(int(value or 0) for value in row))


def statistics(session: Session, *, actor: Actor, when: Period, scope: Scope | None = None) -> Statistics:
    """The totals of a period (an explicit all-zero report when it has no cases)."""
    scope = effective_scope(actor, scope)
    query = _Query(session, actor, when, scope)
    (row,) = query.figures()
    return Statistics(when, scope, _figures(row), query.referrals())


def _labels(session: Session, committee: int, by: str) -> list[tuple]:
    """(key, label) of every entry of the dictionary a breakdown groups by, in dictionary order (read once per desk)."""
    from laopan.models import DisputeType

    if by == "level":
        return [(level.value, labels.label(level)) for level in Level]
    table = {"dispute_type": DisputeType, "source": CaseSource, "community": Community}[by]
    label = table.name if table is Community else table.label

    def load(session: Session) -> list[tuple]:
        statement = select(table.id, label).where(table.committee_id == committee).order_by(table.sort_order, table.id)
        return [tuple(row) for row in session.connection().execute(statement).all()]

    return cached.memo(session, committee, f"labels.{by}", load)


def _rows(session: Session, query: _Query, by: str) -> list[Row]:
    from laopan.models import Mediator

    counted = {key: _figures(values) for key, *values in query.figures(by)}
    if by == "mediator":
        names = dict(query.connection.execute(select(Mediator.id, Mediator.name).where(Mediator.id.in_(counted))).all()) if counted else {}
        rows = [Row(str(key), names.get(key, f"#{key}"), figures) for key, figures in counted.items()]
        return sorted(rows, key=lambda row: (-row.figures.received, row.label))
    rows = [Row(str(key), text, counted.pop(key, Figures())) for key, text in _labels(session, query.actor.committee_id, by)]
    # A case whose dictionary entry was since removed still counts, under its id.
    rows += [Row(str(key), f"#{key}", figures) for key, figures in counted.items()]
    return rows


def breakdown(session: Session, *, actor: Actor, when: Period, by: str, scope: Scope | None = None) -> list[Row]:
    """Figures per dispute type / source / level / community / lead mediator, every dictionary entry included
    (zero rows too), in dictionary order; a mediator breakdown lists mediators who led a case in the period."""
    if by not in BY:
        raise ValidationError("分组", f"应为{'、'.join(BY)}之一")
    scope = effective_scope(actor, scope)
    return _rows(session, _Query(session, actor, when, scope), by)


def statistics_with_breakdown(
    session: Session, *, actor: Actor, when: Period, by: str, scope: Scope | None = None,
) -> tuple[Statistics, list[Row]]:
    """`statistics` and `breakdown` together with one grouped query where it can: every case falls in exactly one
    dispute type / source / level / community, so the totals are the sum of the groups (every figure is a count
    or a sum; rates and averages are derived from them). Not every case has a lead mediator, so that breakdown
    keeps its own totals query."""
    if by not in BY:
        raise ValidationError("分组", f"应为{'、'.join(BY)}之一")
    scope = effective_scope(actor, scope)
    query = _Query(session, actor, when, scope)
    rows = _rows(session, query, by)
    if by == "mediator":
        (row,) = query.figures()
        totals = _figures(row)
    else:
        totals = total(rows)
    return Statistics(when, scope, totals, query.referrals()), rows


def compare(session: Session, *, actor: Actor, when: Period, scope: Scope | None = None) -> Comparison:
    """环比 (the month before) and 同比 (the same month a year earlier) of a month."""
    return Comparison(
        statistics(session, actor=actor, when=when, scope=scope),
        statistics(session, actor=actor, when=when.previous_month(), scope=scope),
        statistics(session, actor=actor, when=when.same_month_last_year(), scope=scope),
    )


def total(rows: list[Row]) -> Figures:
    result = Figures()
    for row in rows:
        result = result.plus(row.figures)
    return result


# ---------------------------------------------------------------- a series of months (the 统计 page's charts)


@dataclass(frozen=True)
class MonthFigures:
    """One month of a series: its figures in total and per level (every level present, zeros included)."""

    period: Period
    figures: Figures
    by_level: dict[str, Figures]


def last_months(last_month: Period, months: int) -> list[Period]:
    periods = [month(last_month.first.year, last_month.first.month)]
    while len(periods) < months:
        periods.insert(0, periods[0].previous_month())
    return periods


@functools.cache
def _series_statement(dialect: str, months: int, shape: tuple[bool, bool, bool, bool]):
    """Figures per (month number, level); the month starts are the parameters start_0 … start_{months-2}."""
    bucket = case(*((Case.received_at < bindparam(f"start_{number}"), number) for number in range(months - 1)),
                  else_=months - 1) if months > 1 else literal(0)
    inner = (
        select(bucket.label("bucket"), Case.level.label("level"), *_figure_columns(dialect))
        .select_from(Case).outerjoin(Agreement, Agreement.case_id == Case.id).where(*_where(shape))
    )
    # Group by the labels (not the CASE itself): PostgreSQL would see the CASE's bound parameters twice.
    return inner.group_by(literal_column("bucket"), literal_column("level"))


def monthly_series(
    session: Session, *, actor: Actor, last_month: Period, months: int = 12, scope: Scope | None = None,
) -> list[MonthFigures]:
    """The figures of each of the `months` months ending with `last_month`, per level, in ONE grouped query.

    The month a case falls in is a CASE over the months' start instants (committee time zone), so the query
    is the same on SQLite and PostgreSQL and needs no date functions."""
    if not 1 <= months <= 120:
        raise ValidationError("月数", "应为 1 至 120")
    scope = effective_scope(actor, scope)
    periods = last_months(last_month, months)
    query = _Query(session, actor, Period(periods[0].first, periods[-1].last), scope, days_from=periods[-1].first)
    starts = {f"start_{number}": start_of_day(p.first, query.tz) for number, p in enumerate(periods[1:])}
    per_level: dict[int, dict[str, Figures]] = {number: {level.value: Figures() for level in Level} for number in range(months)}
    for number, level, *values in query.run(_series_statement(query.dialect, months, query.shape), **starts).all():
        per_level[int(number)][level] = _figures(values)
    result = []
    for number, when in enumerate(periods):
        levels = per_level[number]
        totals = Figures()
        for figures in levels.values():
            totals = totals.plus(figures)
        result.append(MonthFigures(when, totals, levels))
    return result
