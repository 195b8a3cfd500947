"""Statistics of a period: the figures a supervisor reports, checked against plain SQL written here; the zero
report; who may see what; the outcome flags travelling through intake and the interchange format."""

import datetime as dt
import json

import pytest

from laopan.errors import PermissionDenied, ValidationError
from laopan.interchange.export import export_cases
from laopan.models.enums import Role
from laopan.services import statistics as S
from laopan.services.actor import Actor
from laopan.services.intake import import_cases
from tests.helpers.scenarios import case_data, register
from tests.helpers.statistics import CLOCK, END, MONTH, START, build_demo, sql  # noqa: F401

@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    yield from build_demo(tmp_path_factory)


OUTCOME = "CASE WHEN c.status = 'closed' THEN c.status_before_close ELSE c.status END"


def test_october_totals_match_plain_sql(demo):
    desk, engine = demo
    with desk.reading() as session:
        stats = S.statistics(session, actor=desk.actor, when=MONTH)
    (expected,) = sql(engine, f"""
        SELECT count(*), sum(c.accepted_at IS NOT NULL), sum({OUTCOME} = 'settled'), sum({OUTCOME} = 'terminated'),
               sum({OUTCOME} = 'settled' AND a.kind = 'oral'), coalesce(sum(c.amount_fen), 0),
               sum(c.prevented_criminal), sum(c.prevented_group_petition),
               sum({OUTCOME} IN ('registered', 'accepted', 'mediating'))
        FROM mediation_case c LEFT JOIN agreement a ON a.case_id = c.id
        WHERE c.received_at >= :start AND c.received_at < :end""")
    totals = stats.totals
    assert expected[0] > 5, "the demo month should hold cases"
    assert (totals.received, totals.accepted, totals.settled, totals.terminated, totals.settled_oral,
            totals.amount_involved_fen, totals.prevented_criminal, totals.prevented_group_petition,
            totals.pending) == tuple(expected)
    assert totals.settled_written + totals.settled_oral == totals.settled
    assert totals.success_rate == pytest.approx(expected[2] / expected[1])
    assert totals.judicially_confirmed == 0 and stats.judicial_confirmation_recorded  # the demo records none
    assert totals.average_days_to_settle is not None and 0 <= totals.average_days_to_settle < 120


def test_breakdown_by_type_lists_the_whole_dictionary_and_adds_up(demo):
    desk, engine = demo
    with desk.reading() as session:
        rows = S.breakdown(session, actor=desk.actor, when=MONTH, by="dispute_type")
        totals = S.statistics(session, actor=desk.actor, when=MONTH).totals
    labels = [label for (label,) in sql(engine, "SELECT label FROM dispute_type ORDER BY sort_order")]
    assert [row.label for row in rows] == labels
    expected = dict(sql(engine, """SELECT t.label, count(*) FROM mediation_case c JOIN dispute_type t ON t.id = c.dispute_type_id
                                   WHERE c.received_at >= :start AND c.received_at < :end GROUP BY t.label"""))
    assert {row.label: row.figures.received for row in rows if row.figures.received} == expected
    assert S.total(rows) == totals


@pytest.mark.parametrize("by", S.BY)
def test_every_breakdown_adds_up_to_the_month(demo, by):
    desk, _ = demo
    with desk.reading() as session:
        rows = S.breakdown(session, actor=desk.actor, when=MONTH, by=by)
        totals = S.statistics(session, actor=desk.actor, when=MONTH).totals
    assert sum(row.figures.received for row in rows) == totals.received


def test_scope_narrows_to_one_community(demo):
    desk, engine = demo
    with desk.reading() as session:
        stats = S.statistics(session, actor=desk.actor, when=MONTH, scope=S.Scope(community="华光城", level="grid"))
    (expected,) = sql(engine, """SELECT count(*) FROM mediation_case c JOIN community m ON m.id = c.community_id
                                 WHERE m.name = '华光城' AND c.level = 'grid' AND c.received_at >= :start AND c.received_at < :end""")
    assert stats.totals.received == expected[0]


def test_comparison_takes_the_month_before_and_the_year_before(demo):
    desk, _ = demo
    with desk.reading() as session:
        comparison = S.compare(session, actor=desk.actor, when=MONTH)
    assert comparison.previous.period == S.month(2026, 9)
    assert comparison.last_year.period == S.month(2025, 10)
    assert S.Comparison.change(12, 10) == "+20.0%"
    assert S.Comparison.change(3, 0) == "—"


def test_a_month_without_cases_is_an_explicit_zero_report(desk):
    with desk.reading() as session:
        stats = S.statistics(session, actor=desk.actor, when=S.month(2019, 2))
        rows = S.breakdown(session, actor=desk.actor, when=S.month(2019, 2), by="dispute_type")
    assert stats.totals == S.Figures()
    assert stats.totals.success_rate_text == "—"
    assert stats.totals.average_days_to_settle is None
    assert len(rows) == 18 and all(row.figures == S.Figures() for row in rows)


def test_month_parsing_and_labels():
    assert S.parse_month("2026-11") == S.Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert S.parse_month("2026-12").label == "2026年12月"
    assert S.month(2026, 1).previous_month() == S.month(2025, 12)
    with pytest.raises(ValidationError, match="2026-11"):
        S.parse_month("11/2026")


def test_a_mediator_sees_only_their_own_figures_and_a_liaison_none(desk):
    mediator = Actor("m", Role.MEDIATOR, desk.committee_id, mediator_id=4, clock=desk.actor.clock)
    liaison = Actor("l", Role.POLICE_LIAISON, desk.committee_id, clock=desk.actor.clock)
    with desk.reading() as session:
        own = S.statistics(session, actor=mediator, when=MONTH)
        assert own.scope.mediator_id == 4
        with pytest.raises(PermissionDenied, match="本人"):
            S.statistics(session, actor=mediator, when=MONTH, scope=S.Scope(mediator_id=5))
        with pytest.raises(PermissionDenied, match="无权查看统计"):
            S.statistics(session, actor=liaison, when=MONTH)


def test_outcome_flags_come_in_through_intake_and_survive_export_and_import(desk):
    case_id = register(desk, prevented_criminal=True)
    register(desk, prevented_group_petition=True, summary="另一起纠纷。")
    with desk.session() as session:
        first = export_cases(session, actor=desk.actor, case_ids=[case_id])
    assert first["cases"][0]["prevented_criminal"] is True
    assert "prevented_group_petition" not in first["cases"][0]
    moved = json.loads(json.dumps(first).replace("10:00:00+08:00", "10:01:00+08:00"))  # else it is the same case
    with desk.session() as session:
        report = import_cases(session, actor=desk.actor, document=moved)
        again = export_cases(session, actor=desk.actor, case_ids=[report.registered[0].id])
    assert again == moved
    with desk.reading() as session:
        totals = S.statistics(session, actor=desk.actor, when=S.month(2026, 11)).totals
    assert (totals.prevented_criminal, totals.prevented_group_petition) == (2, 1)
    assert case_data()["summary"]  # the shared helper stays importable


def test_monthly_series_equals_statistics_month_by_month(demo):
    desk, _ = demo
    with desk.reading() as session:
        series = S.monthly_series(session, actor=desk.actor, last_month=MONTH, months=12)
        expected = [S.statistics(session, actor=desk.actor, when=p).totals for p in S.last_months(MONTH, 12)]
        grid = [S.statistics(session, actor=desk.actor, when=p, scope=S.Scope(level="grid")).totals for p in S.last_months(MONTH, 12)]
    assert [item.period for item in series] == S.last_months(MONTH, 12)
    assert series[0].period == S.month(2025, 11) and series[-1].period == MONTH
    assert [item.figures for item in series] == expected
    assert [item.by_level["grid"] for item in series] == grid
    assert sum(item.figures.received for item in series) > 50, "the demo year should hold cases"


def test_monthly_series_of_a_mediator_is_their_own(desk):
    mediator = Actor("m", Role.MEDIATOR, desk.committee_id, mediator_id=4, clock=desk.actor.clock)
    with desk.reading() as session:
        series = S.monthly_series(session, actor=mediator, last_month=MONTH, months=3)
        with pytest.raises(ValidationError, match="月数"):
            S.monthly_series(session, actor=desk.actor, last_month=MONTH, months=0)
    assert len(series) == 3 and all(item.figures == S.Figures() for item in series)
