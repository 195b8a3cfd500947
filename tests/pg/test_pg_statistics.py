"""Statistics on PostgreSQL: the same demo data gives the same figures as on SQLite — the PG path of the
average days to settle (timezone() and date subtraction) and the month buckets of the series included."""

import shutil

import pytest

from laopan.demo import generate_demo
from laopan.desk import open_desk
from tests.helpers.accounts import TEST_PASSWORD
from laopan.services import statistics as S
from tests.helpers.databases import engine_for

CASES, SEED = 250, 5


@pytest.fixture
def twin_desks(desk, template_db, tmp_path, clock):
    """The same demo (seed and clock) on PostgreSQL (this folder's `desk`) and on a copy of the SQLite template."""
    shutil.copyfile(template_db, tmp_path / "lite.db")
    shutil.copyfile(template_db.with_name(template_db.name + ".keys"), tmp_path / "lite.db.keys")  # the template is encrypted
    engine = engine_for(f"sqlite:///{tmp_path / 'lite.db'}")
    lite = open_desk(engine=engine, login="admin", password=TEST_PASSWORD, clock=clock)
    for each in (desk, lite):
        generate_demo(each.engine, committee_id=each.committee_id, cases=CASES, seed=SEED, clock=clock)
    yield desk, lite
    engine.dispose()


def figures(desk, fn):
    with desk.reading() as session:
        return fn(session, desk.actor)


def _same(pg: S.Figures, lite: S.Figures) -> None:
    assert pg.settle_days_total == pytest.approx(lite.settle_days_total)
    assert S.Figures(**{**pg.__dict__, "settle_days_total": 0}) == S.Figures(**{**lite.__dict__, "settle_days_total": 0})


def test_statistics_breakdowns_and_series_agree_with_sqlite(twin_desks):
    pg, lite = twin_desks
    months = figures(lite, lambda s, a: S.monthly_series(s, actor=a, last_month=S.month(2026, 11), months=12))
    busy = max(months, key=lambda item: item.figures.settled).period
    for when in (busy, S.month(2019, 2)):
        ours = figures(pg, lambda s, a: S.statistics(s, actor=a, when=when))  # noqa: B023
        theirs = figures(lite, lambda s, a: S.statistics(s, actor=a, when=when))  # noqa: B023
        _same(ours.totals, theirs.totals)
        assert ours.referrals == theirs.referrals
    stats = figures(pg, lambda s, a: S.statistics(s, actor=a, when=busy))
    assert stats.totals.settled > 0 and stats.totals.average_days_to_settle is not None
    assert 0 <= stats.totals.average_days_to_settle < 120
    for by in S.BY:
        ours = figures(pg, lambda s, a: S.breakdown(s, actor=a, when=busy, by=by))  # noqa: B023
        theirs = figures(lite, lambda s, a: S.breakdown(s, actor=a, when=busy, by=by))  # noqa: B023
        assert [(row.key, row.label) for row in ours] == [(row.key, row.label) for row in theirs]
        for mine, other in zip(ours, theirs, strict=True):
            _same(mine.figures, other.figures)
    series = figures(pg, lambda s, a: S.monthly_series(s, actor=a, last_month=S.month(2026, 11), months=12))
    assert [item.period for item in series] == [item.period for item in months]
    for mine, other in zip(series, months, strict=True):
        _same(mine.figures, other.figures)
        for level, level_figures in mine.by_level.items():
            _same(level_figures, other.by_level[level])


def test_days_to_settle_count_from_the_committees_calendar_day(desk, clock):
    """Acceptances moved late in the evening (after midnight in UTC+8 but not in UTC): the days are counted
    from the local calendar day, as Python counts them here."""
    from sqlalchemy import select, text

    from laopan.clock import local_date
    from laopan.models import Agreement, Case

    generate_demo(desk.engine, committee_id=desk.committee_id, cases=120, seed=SEED, clock=clock)
    with desk.engine.begin() as connection:
        connection.execute(text("UPDATE mediation_case SET accepted_at = date_trunc('day', accepted_at) + interval '16 hours 30 minutes'"))
    when = S.period(S.month(2000, 1).first, S.month(2099, 12).last)
    with desk.reading() as session:
        totals = S.statistics(session, actor=desk.actor, when=when).totals
        rows = session.execute(
            select(Case.accepted_at, Agreement.signed_on, Case.status, Case.status_before_close)
            .join(Agreement, Agreement.case_id == Case.id).where(Case.accepted_at.is_not(None), Agreement.signed_on.is_not(None))
        ).all()
    days = [(signed - local_date(accepted)).days for accepted, signed, status, before in rows
            if "settled" in (status, before if status == "closed" else None)]
    assert days and totals.settle_days_count == len(days)
    assert totals.settle_days_total == pytest.approx(sum(days))
