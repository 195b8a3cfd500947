"""Levels (DESIGN §4 "Escalation"): one step up at a time with a reason, the lead handed over or the case left
awaiting assignment, a supervisor's return one step down, and leaving the street refused as a level move."""

import pytest
from sqlalchemy import select

from laopan.errors import DomainError, InvalidTransition, PermissionDenied
from laopan.models import AuditEntry, CaseMediator, Escalation
from laopan.models.enums import CaseMediatorRole, MediatorUnit, Role
from laopan.services import assignment, lifecycle
from laopan.services.cases import CaseFilter, case_detail, list_cases
from laopan.services.locking import CLOSED_READ_ONLY
from tests.helpers.scenarios import act, case_in, case_row, mediator, move, register, user, version


def escalate(desk, case_id, reason="网格调解未果", **kwargs):
    return act(desk, lifecycle.escalate, case_id, reason=reason, **kwargs)


def assign(desk, case_id, mediator_id, role=CaseMediatorRole.LEAD, **kwargs):
    return act(desk, assignment.assign_mediator, case_id, mediator_id=mediator_id, role=role, **kwargs)


@pytest.fixture
def team(desk):
    return {
        "grid": mediator(desk, "潘网格", unit=MediatorUnit.GRID, community="华光城", grid="华光城第3网格"),
        "community": mediator(desk, "潘社区", unit=MediatorUnit.COMMUNITY, community="华光城"),
        "other_community": mediator(desk, "潘安居", unit=MediatorUnit.COMMUNITY, community="安居"),
        "street": mediator(desk, "潘街道"),
        "assistant": mediator(desk, "潘辅助", unit=MediatorUnit.STREET),
    }


def mediators_of(desk, case_id):
    with desk.reading() as session:
        return [(m.name, m.role) for m in case_detail(session, actor=desk.actor, case_id=case_id).mediators]


def test_a_case_climbs_grid_community_street_with_the_lead_handed_over(desk, team, clock):
    case_id = register(desk)
    move(desk, case_id, "accept")
    assign(desk, case_id, team["grid"])
    assign(desk, case_id, team["assistant"], CaseMediatorRole.ASSISTANT)
    change = escalate(desk, case_id, "双方分歧大，需社区协调", to_mediator_id=team["community"])
    assert (change.level, change.lead_name) == ("community", "潘社区")
    assert change.changes["level"] == ["grid", "community"]
    assert change.changes["lead_name"] == ["潘网格", "潘社区"]
    assert mediators_of(desk, case_id) == [("潘辅助", "assistant"), ("潘社区", "lead")], "assistants stay; the lead changes"
    clock.advance(hours=2)
    change = escalate(desk, case_id, "涉及物业公司，需街道协调")
    assert (change.level, change.lead_name) == ("street", None)
    with desk.reading() as session:
        rows = session.execute(select(Escalation).where(Escalation.case_id == case_id).order_by(Escalation.id)).scalars().all()
        assert [(r.from_level, r.to_level, r.reason, r.by_login) for r in rows] == [
            ("grid", "community", "双方分歧大，需社区协调", "admin"), ("community", "street", "涉及物业公司，需街道协调", "admin")]
        assert rows[1].at == clock.instant
        (row,) = list_cases(session, actor=desk.actor, filters=CaseFilter(level="street"))
        assert row.lead_name is None, "the list shows the case awaiting assignment"
        entries = session.execute(select(AuditEntry).where(AuditEntry.action == "case.escalate").order_by(AuditEntry.id)).scalars().all()
        assert entries[1].changes == {"level": ["community", "street"], "lead_name": ["潘社区", None],
                                      "mediators": [["潘辅助（辅调）", "潘社区（主持人）"], ["潘辅助（辅调）"]]}
        assert entries[1].note == "涉及物业公司，需街道协调"


def test_escalating_from_the_street_is_refused_as_a_termination_with_a_destination(desk):
    case_id = register(desk, level="street")
    with pytest.raises(DomainError) as refused:
        escalate(desk, case_id)
    assert str(refused.value) == (
        "街道已是最高层级：案件离开街道（转法院、仲裁、公安、信访、行政机关）须“调解终止”，终止原因选“转其他途径”并选择去向")


def test_escalation_needs_a_reason(desk):
    case_id = register(desk)
    with pytest.raises(DomainError, match="理由: 不能为空"):
        escalate(desk, case_id, reason=" ")
    assert case_row(desk, case_id).level == "grid"


@pytest.mark.parametrize("state", ["settled", "terminated", "rejected"])
def test_only_open_cases_change_level(desk, state):
    case_id = case_in(desk, state)
    with pytest.raises(InvalidTransition, match="^只有登记、受理、调解中的案件可以变更层级"):
        escalate(desk, case_id)


def test_a_closed_case_does_not_change_level(desk):
    case_id = case_in(desk, "closed")
    with pytest.raises(InvalidTransition, match=CLOSED_READ_ONLY):
        escalate(desk, case_id)


@pytest.mark.parametrize(("level", "who", "message"), [
    ("grid", "grid", "潘网格（网格）不是华光城社区的社区调解员"),
    ("grid", "other_community", "潘安居（社区）不是华光城社区的社区调解员"),
    ("community", "community", "潘社区（社区）不是街道层级的调解员"),
])
def test_the_receiving_mediator_must_belong_to_the_receiving_level(desk, team, level, who, message):
    case_id = register(desk, level=level)
    with pytest.raises(DomainError) as refused:
        escalate(desk, case_id, to_mediator_id=team[who])
    assert str(refused.value) == message
    assert case_row(desk, case_id).level == level


@pytest.mark.both_engines
def test_a_receiving_mediator_matched_by_the_recusal_check_needs_a_decision(desk):
    neighbour = mediator(desk, "潘邻居", unit=MediatorUnit.COMMUNITY, community="华光城", address="华光城12栋3单元502室")
    case_id = register(desk)
    with pytest.raises(assignment.RecusalRequired):
        escalate(desk, case_id, to_mediator_id=neighbour)
    assert case_row(desk, case_id).level == "grid", "nothing moved"
    change = escalate(desk, case_id, to_mediator_id=neighbour,
                      recusal=assignment.RecusalChoice("kept", "社区仅此一名专职调解员"))
    assert change.lead_name == "潘邻居"


def test_a_supervisor_returns_a_case_one_level_down(desk, team):
    boss = user(desk, "zhang", Role.SUPERVISOR, "张主任")
    case_id = register(desk, level="community")
    assign(desk, case_id, team["community"])
    change = act(desk, lifecycle.return_down, case_id, actor=boss, reason="事实清楚，宜由网格就近调解",
                 to_mediator_id=team["grid"])
    assert (change.level, change.lead_name) == ("grid", "潘网格")
    with desk.reading() as session:
        row = session.execute(select(Escalation).where(Escalation.case_id == case_id)).scalar_one()
        assert (row.from_level, row.to_level, row.by_login) == ("community", "grid", "zhang")
        assert session.execute(select(CaseMediator.role).where(CaseMediator.case_id == case_id)).scalars().all() == ["lead"]
    with pytest.raises(DomainError, match="网格已是最低层级，不能再退回"):
        act(desk, lifecycle.return_down, case_id, actor=boss, reason="再退")


def test_a_mediator_may_not_return_a_case_down(desk):
    mediator(desk, "潘明杰")
    pan = user(desk, "pan", Role.MEDIATOR, "潘明杰", "潘明杰")
    case_id = register(desk, level="community")
    with pytest.raises(PermissionDenied) as refused:
        act(desk, lifecycle.return_down, case_id, actor=pan, reason="退回")
    assert str(refused.value) == "调解员无权将案件退回下一级（仅限：主任、管理员）"


def test_a_case_without_a_grid_cannot_return_to_the_grid(desk):
    case_id = register(desk, level="community", grid=None)
    with pytest.raises(DomainError, match="案件未指定网格，不能退回网格"):
        act(desk, lifecycle.return_down, case_id, reason="退回")


def test_a_stale_screen_cannot_escalate(desk):
    case_id = register(desk)
    stale = version(desk, case_id)
    move(desk, case_id, "accept")
    with desk.session() as session, pytest.raises(Exception, match="请刷新"):
        lifecycle.escalate(session, actor=desk.actor, case_id=case_id, expected_version=stale, reason="上报")


def test_the_receiving_mediators_are_those_the_escalation_would_accept(desk):
    """The window offers exactly the mediators the service accepts as lead at the receiving level."""
    from laopan.models.enums import MediatorRank, MediatorUnit
    from laopan.services.intake import register_case
    from laopan.services.lifecycle import receiving_mediators
    from laopan.services.mediators import add_mediator

    with desk.session() as session:
        case_id = register_case(session, actor=desk.actor, data={
            "source": "party_application", "dispute_type": "neighbour", "level": "grid", "community": "华光城",
            "summary": "噪音。", "parties": [{"role": "applicant", "name": "甲"}, {"role": "respondent", "name": "乙"}]}).id
        ids = {
            name: add_mediator(session, actor=desk.actor, name=name, rank=MediatorRank.SENIOR, unit=unit, community=community).id
            for name, unit, community in (
                ("本社区", MediatorUnit.COMMUNITY, "华光城"), ("外社区", MediatorUnit.COMMUNITY, "安居"),
                ("本网格", MediatorUnit.GRID, "华光城"), ("街道", MediatorUnit.STREET, None), ("律师", MediatorUnit.LAWYER, None))
        }
        community = set(receiving_mediators(session, actor=desk.actor, case_id=case_id, level="community"))
        street = set(receiving_mediators(session, actor=desk.actor, case_id=case_id, level="street"))
    assert community == {ids["本社区"]}
    assert street == {ids["街道"], ids["律师"]}
