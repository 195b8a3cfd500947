"""Mediation deadlines (DESIGN §4 "Deadlines"): 30 days from acceptance, extensions with both parties'
consent, and the due-soon and overdue lists per lead and for the whole centre."""

import datetime as dt

import pytest
from sqlalchemy import select

from laopan.errors import DomainError, InvalidTransition
from laopan.models import AuditEntry, DeadlineExtension
from laopan.models.enums import CaseMediatorRole, Role
from laopan.services import assignment, deadlines
from tests.helpers.scenarios import act, add_agreement, case_in, case_row, mediator, move, register, user

NOW = dt.datetime(2026, 11, 27, 1, 0, tzinfo=dt.UTC)  # 2026-11-27 09:00 in Beijing


def extend(desk, case_id, until, applicant=dt.date(2026, 11, 25), respondent=dt.date(2026, 11, 26), **kwargs):
    return act(desk, deadlines.extend_deadline, case_id, new_due_on=until, applicant_consent_on=applicant,
               respondent_consent_on=respondent, **kwargs)


def test_an_extension_records_both_consents_and_moves_the_deadline(desk, clock):
    case_id = case_in(desk, "mediating")
    assert case_row(desk, case_id).due_on == dt.date(2026, 12, 27)
    change = extend(desk, case_id, dt.date(2027, 1, 15), reason="双方同意再协商一次")
    assert (change.due_on, change.changes) == (dt.date(2027, 1, 15), {"due_on": [dt.date(2026, 12, 27), dt.date(2027, 1, 15)]})
    with desk.reading() as session:
        row = session.execute(select(DeadlineExtension)).scalar_one()
        assert (row.previous_due_on, row.new_due_on, row.applicant_consent_on, row.respondent_consent_on, row.reason, row.by_login) == (
            dt.date(2026, 12, 27), dt.date(2027, 1, 15), dt.date(2026, 11, 25), dt.date(2026, 11, 26), "双方同意再协商一次", "admin")
        entry = session.execute(select(AuditEntry).where(AuditEntry.action == "case.extend")).scalar_one()
        assert entry.changes == {"due_on": ["2026-12-27", "2027-01-15"], "applicant_consent_on": "2026-11-25",
                                 "respondent_consent_on": "2026-11-26"}
        assert [e.new_due_on for e in deadlines.list_extensions(session, actor=desk.actor, case_id=case_id)] == [dt.date(2027, 1, 15)]


@pytest.mark.parametrize(("until", "applicant", "respondent", "message"), [
    (dt.date(2026, 12, 27), dt.date(2026, 11, 25), dt.date(2026, 11, 25), "新期限: 须晚于当前期限 2026-12-27"),
    (dt.date(2026, 12, 1), dt.date(2026, 11, 25), dt.date(2026, 11, 25), "新期限: 须晚于当前期限 2026-12-27"),
    (dt.date(2027, 1, 5), None, dt.date(2026, 11, 25), "申请人同意日期: 延长期限须双方当事人同意，请填写同意日期"),
    (dt.date(2027, 1, 5), dt.date(2026, 11, 25), None, "被申请人同意日期: 延长期限须双方当事人同意，请填写同意日期"),
    (dt.date(2027, 1, 5), dt.date(2026, 11, 28), dt.date(2026, 11, 25), "申请人同意日期: 不能晚于今天"),
])
def test_an_extension_needs_both_consents_and_a_later_date(desk, until, applicant, respondent, message):
    case_id = case_in(desk, "accepted")
    with pytest.raises(DomainError) as refused:
        extend(desk, case_id, until, applicant, respondent)
    assert str(refused.value) == message
    assert case_row(desk, case_id).due_on == dt.date(2026, 12, 27)


@pytest.mark.parametrize("state", ["registered", "settled", "terminated"])
def test_only_accepted_or_mediating_cases_are_extended(desk, state):
    case_id = case_in(desk, state)
    with pytest.raises(InvalidTransition, match="^只有已受理或调解中的案件可以延长调解期限"):
        extend(desk, case_id, dt.date(2027, 3, 1))


@pytest.fixture
def deadline_cases(desk, clock):
    """A: overdue 8 days, led by 潘明杰; B: due tomorrow, awaiting assignment; C: due in 30 days; D: settled late;
    E: a joint case due in 3 days."""
    pan = mediator(desk, "潘明杰")
    cases = {key: register(desk, **({"source": "police_referral"} if key == "E" else {})) for key in "ABCDE"}
    accepted_on = {"A": dt.datetime(2026, 10, 20, 2, tzinfo=dt.UTC), "B": dt.datetime(2026, 10, 29, 2, tzinfo=dt.UTC),
                   "C": NOW, "D": dt.datetime(2026, 10, 1, 2, tzinfo=dt.UTC), "E": dt.datetime(2026, 10, 31, 2, tzinfo=dt.UTC)}
    for key, instant in accepted_on.items():
        clock.instant = instant
        move(desk, cases[key], "accept")
    clock.instant = NOW
    act(desk, assignment.assign_mediator, cases["A"], mediator_id=pan)
    act(desk, assignment.assign_mediator, cases["C"], mediator_id=pan, role=CaseMediatorRole.ASSISTANT)
    move(desk, cases["D"], "mediate")
    add_agreement(desk, cases["D"])
    move(desk, cases["D"], "settle")
    return cases


def rows(items):
    return [(i.intake_no, i.due_on, i.days_left, i.lead_name) for i in items]


def test_the_centre_sees_overdue_and_due_soon_cases_per_lead(desk, deadline_cases):
    with desk.reading() as session:
        lists = deadlines.deadline_lists(session, actor=desk.actor)
    assert (lists.today, lists.due_soon_days) == (dt.date(2026, 11, 27), 3)
    assert rows(lists.overdue) == [("DL2026-00001", dt.date(2026, 11, 19), -8, "潘明杰")]
    assert rows(lists.due_soon) == [("DL2026-00002", dt.date(2026, 11, 28), 1, None), ("DL2026-00005", dt.date(2026, 11, 30), 3, None)]
    assert {name: [i.intake_no for i in items] for name, items in lists.by_lead.items()} == {
        "待分配": ["DL2026-00002", "DL2026-00005"], "潘明杰": ["DL2026-00001"]}


def test_mine_lists_the_cases_of_the_actors_mediator_in_any_role(desk, deadline_cases, clock):
    pan = user(desk, "pan", Role.MEDIATOR, "潘明杰", "潘明杰")
    clock.advance(days=28)  # C (where 潘明杰 assists) is now due in 2 days
    with desk.reading() as session:
        lists = deadlines.deadline_lists(session, actor=pan, mine=True)
        assert [i.intake_no for i in lists.overdue + lists.due_soon] == ["DL2026-00001", "DL2026-00003"]
        with pytest.raises(DomainError, match="当前用户未关联调解员"):
            deadlines.deadline_lists(session, actor=desk.actor, mine=True)


def test_a_police_liaison_sees_joint_cases_only(desk, deadline_cases):
    liaison = user(desk, "wang", Role.POLICE_LIAISON, "王联络")
    with desk.reading() as session:
        lists = deadlines.deadline_lists(session, actor=liaison)
    assert [i.intake_no for i in lists.overdue + lists.due_soon] == ["DL2026-00005"]


def test_an_extension_takes_a_case_off_the_overdue_list(desk, deadline_cases):
    extend(desk, deadline_cases["A"], dt.date(2026, 12, 20))
    with desk.reading() as session:
        lists = deadlines.deadline_lists(session, actor=desk.actor)
    assert "DL2026-00001" not in [i.intake_no for i in lists.overdue + lists.due_soon]


def test_every_list_marks_due_soon_exactly_the_cases_the_due_soon_filter_finds(desk, deadline_cases):
    """The case list, the detail and the workbench colour from this flag, not from a window of their own."""
    from laopan.services.cases import CaseFilter, case_detail, list_cases
    from laopan.services.workbench import workbench

    with desk.reading() as session:
        found = {row.id for row in list_cases(session, actor=desk.actor, filters=CaseFilter(due="due_soon"))}
        flagged = {row.id for row in list_cases(session, actor=desk.actor) if row.due_soon}
        in_detail = {case_id for case_id in deadline_cases.values() if case_detail(session, actor=desk.actor, case_id=case_id).due_soon}
        lists = deadlines.deadline_lists(session, actor=desk.actor)
        page = workbench(session, actor=desk.actor)
    assert found == flagged == in_detail == {deadline_cases["B"], deadline_cases["E"]}
    assert {row.case_id for row in lists.due_soon} == found and all(row.due_soon for row in lists.due_soon)
    assert not any(row.due_soon for row in lists.overdue)
    assert {row.case_id for row in page.open_cases if row.due_soon} == found
