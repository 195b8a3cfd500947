"""司法确认: the 30-day window from the effective date in the committee's calendar, the warning 7 days before it
closes, the application and the ruling with its scan, and the dispute types the courts do not confirm."""

import datetime as dt

import pytest
from sqlalchemy import select

from laopan.errors import DomainError, ValidationError
from laopan.models import Case, Committee, DisputeType
from laopan.services import judicial, statistics
from laopan.services.workbench import workbench
from tests.helpers.casefile import effective_case

PDF = b"%PDF-1.7\n%scan\n"


def _state(desk, case_id):
    with desk.reading() as session:
        return judicial.judicial_state(session, actor=desk.actor, case_id=case_id)


def test_the_window_runs_30_days_from_the_effective_date_and_warns_7_days_before(desk, clock):
    case_id = effective_case(desk)  # effective 2026-11-27
    state = _state(desk, case_id)
    assert (state.effective_on, state.closes_on, state.days_left, state.warning, state.may_apply) == (
        dt.date(2026, 11, 27), dt.date(2026, 12, 27), 30, False, True)
    clock.advance(days=22, hours=15)  # 2026-12-20 00:00 in Beijing (16:00 UTC on the 19th): 7 days left
    assert (_state(desk, case_id).days_left, _state(desk, case_id).warning) == (7, True)
    with desk.reading() as session:
        assert [r.case_id for r in judicial.closing_windows(session, actor=desk.actor)] == [case_id]
        assert [r.days_left for r in workbench(session, actor=desk.actor).judicial_closing] == [7]
    clock.advance(hours=-1)  # 2026-12-19 23:00 in Beijing: 8 days left, no warning yet
    with desk.reading() as session:
        assert judicial.closing_windows(session, actor=desk.actor) == []


def test_an_application_and_its_ruling_with_the_scan(desk, clock):
    case_id = effective_case(desk)
    with desk.session() as session, pytest.raises(ValidationError, match="申请日期"):
        judicial.apply(session, actor=desk.actor, case_id=case_id, court="宁波市鄞州区人民法院", applied_on=dt.date(2026, 11, 26))
    with desk.session() as session:
        state = judicial.apply(session, actor=desk.actor, case_id=case_id, court="宁波市鄞州区人民法院", applied_on=dt.date(2026, 11, 27))
    assert not state.may_apply and state.hint == "已申请司法确认，等待法院裁定"
    clock.advance(days=5)
    with desk.session() as session:
        state = judicial.record_result(session, actor=desk.actor, case_id=case_id, expected_version=None, result="确认有效",
                                       ruled_on=dt.date(2026, 12, 2), court_case_no="（2026）浙0212民特123号",
                                       scan=("裁定书.pdf", PDF))
    [application] = state.applications
    assert (application.result, application.court_case_no, application.has_scan) == ("confirmed", "（2026）浙0212民特123号", True)
    with desk.reading() as session:  # the month's statistics count the ruling (the case was received in November)
        stats = statistics.statistics(session, actor=desk.actor, when=statistics.month(2026, 11))
    assert stats.totals.judicially_confirmed == 1 and stats.judicial_confirmation_recorded


def test_types_the_courts_do_not_confirm_are_refused_from_the_settings(desk):
    case_id = effective_case(desk)
    with desk.session() as session:
        case = session.get(Case, case_id)
        case.dispute_type_id = session.execute(select(DisputeType.id).where(
            DisputeType.committee_id == desk.committee_id, DisputeType.code == "marriage_family")).scalar_one()
    state = _state(desk, case_id)
    assert state.excluded and not state.may_apply and "婚姻家庭" in state.hint
    with desk.session() as session, pytest.raises(DomainError, match="法院不予司法确认"):
        judicial.apply(session, actor=desk.actor, case_id=case_id, court="宁波市鄞州区人民法院", applied_on=dt.date(2026, 11, 27))
    with desk.session() as session:  # a committee that takes the type off its list may apply
        committee = session.get(Committee, desk.committee_id)
        committee.settings = {**committee.settings, "judicial_excluded_types": []}
    assert _state(desk, case_id).may_apply
