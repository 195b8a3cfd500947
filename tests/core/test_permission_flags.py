"""Read models carry permissions, and the service keeps its word: for every flag the window reads, true means
the call it stands for succeeds and false means the service refuses it (STYLE rule 18)."""

import datetime as dt
from collections.abc import Callable

import pytest

from laopan.errors import DomainError, PermissionDenied, Refused
from laopan.inputs import AgreementDraft, ClauseSpec
from laopan.models.enums import MediatorRank, MediatorUnit, ReferralState, Role
from laopan.services import agreements, referrals
from laopan.services.actor import Actor
from laopan.services.assignment import RecusalChoice, assign_mediator
from laopan.services.cases import case_detail
from laopan.services.intake import register_case
from laopan.services.mediators import add_mediator
from laopan.services.pairings import add_review_note, create_pairing, end_pairing, list_pairings, mentoring_record

REFUSALS = (DomainError, PermissionDenied, Refused)
PARTIES = [
    {"role": "applicant", "name": "张伟", "id_number": "330212197803010013", "phone": "13812345678",
     "address": "宁波市鄞州区东柳街道华光城12幢2单元301室"},
    {"role": "respondent", "name": "李秀英", "id_number": "330204198506120026", "address": "宁波市鄞州区东柳街道华光城12幢2单元401室"},
]
DRAFT = AgreementDraft(
    facts="2026年9月起楼上卫生间漏水，致楼下吊顶受损。", matters="维修责任与赔偿数额。",
    responsibilities="被申请人未及时修复防水层，负主要责任。",
    clauses=(ClauseSpec(kind="text", text="被申请人于2026年12月5日前修复卫生间防水层。"),),
    performance_method="自行修复", performance_place="华光城12幢", performance_deadline=dt.date(2026, 12, 5),
    signed_on=dt.date(2026, 11, 27),
)


def keeps_its_word(desk, flag: bool, call: Callable) -> None:
    """`call(session)` succeeds when `flag` is true and is refused when it is false."""
    if flag:
        with desk.session() as session:
            call(session)
    else:
        with desk.session() as session, pytest.raises(REFUSALS):
            call(session)


def new_case(desk, status: str = "mediating") -> int:
    with desk.session() as session:
        return register_case(session, actor=desk.actor, data={
            "source": "party_application", "dispute_type": "neighbour", "level": "grid", "community": "华光城",
            "summary": "楼上漏水致楼下吊顶受损。", "parties": PARTIES, "status": status,
        }).id


def page(desk, case_id: int, actor: Actor | None = None):
    with desk.reading() as session:
        return agreements.agreement_detail(session, actor=actor or desk.actor, case_id=case_id)


def save(case_id: int, actor: Actor, draft: AgreementDraft = DRAFT) -> Callable:
    return lambda session: agreements.save_draft(session, actor=actor, case_id=case_id, draft=draft, expected_version=None)


def test_may_draft_follows_the_case_status_the_service_accepts(desk):
    for status, expected in (("registered", False), ("accepted", True), ("mediating", True)):
        case_id = new_case(desk, status)
        shown = page(desk, case_id)
        assert shown.state is None and shown.may_draft is expected, status
        keeps_its_word(desk, shown.may_draft, save(case_id, desk.actor))


def test_may_edit_may_finalise_may_sign_and_may_revise_match_the_service(desk):
    case_id = new_case(desk)
    with desk.session() as session:
        agreements.save_draft(session, actor=desk.actor, case_id=case_id, expected_version=None,
                              draft=AgreementDraft(facts="只有事实。"))
    incomplete = page(desk, case_id)
    assert incomplete.state.may_edit and not incomplete.may_finalise and not incomplete.state.may_sign
    assert not incomplete.state.may_revise
    keeps_its_word(desk, incomplete.may_finalise, lambda s: agreements.finalise(s, actor=desk.actor, case_id=case_id, expected_version=None))
    keeps_its_word(desk, incomplete.state.may_sign, lambda s: agreements.record_signature(
        s, actor=desk.actor, case_id=case_id, signer_kind="mediator", signed_on=dt.date(2026, 11, 27)))
    keeps_its_word(desk, incomplete.state.may_revise, lambda s: agreements.revise(
        s, actor=desk.actor, case_id=case_id, expected_version=None, draft=DRAFT, reason="更正"))
    keeps_its_word(desk, incomplete.state.may_edit, save(case_id, desk.actor))

    complete = page(desk, case_id)
    assert complete.may_finalise
    keeps_its_word(desk, complete.may_finalise, lambda s: agreements.finalise(s, actor=desk.actor, case_id=case_id, expected_version=None))

    finalised = page(desk, case_id)
    assert not finalised.state.may_edit and not finalised.may_finalise and finalised.state.may_sign and finalised.state.may_revise
    keeps_its_word(desk, finalised.state.may_edit, save(case_id, desk.actor))
    keeps_its_word(desk, finalised.may_finalise, lambda s: agreements.finalise(s, actor=desk.actor, case_id=case_id, expected_version=None))
    keeps_its_word(desk, finalised.state.may_sign, lambda s: agreements.record_signature(
        s, actor=desk.actor, case_id=case_id, signer_kind="mediator", signed_on=dt.date(2026, 11, 27)))
    keeps_its_word(desk, finalised.state.may_revise, lambda s: agreements.revise(
        s, actor=desk.actor, case_id=case_id, expected_version=None, draft=DRAFT, reason="事实日期笔误"))


def test_only_a_current_pairings_senior_or_a_supervisor_may_review_and_the_service_agrees(desk):
    """The tab used to offer 审核 to the senior of any pairing with the junior, ended or not; the service refused."""
    case_id = new_case(desk)
    with desk.session() as session:
        senior = add_mediator(session, actor=desk.actor, name="潘明杰", rank=MediatorRank.SENIOR, unit=MediatorUnit.STREET)
        former = add_mediator(session, actor=desk.actor, name="王老师", rank=MediatorRank.SENIOR, unit=MediatorUnit.STREET)
        # 李社区 of the case's community sees the case (record rules) but is nobody's mentor on it
        neighbour = add_mediator(session, actor=desk.actor, name="李社区", rank=MediatorRank.SENIOR, unit=MediatorUnit.COMMUNITY,
                                 community="华光城")
        junior = add_mediator(session, actor=desk.actor, name="潘小", rank=MediatorRank.JUNIOR, unit=MediatorUnit.GRID, community="华光城")
        old = create_pairing(session, actor=desk.actor, senior_id=former.id, junior_id=junior.id, started_on=dt.date(2026, 1, 1))
        end_pairing(session, actor=desk.actor, pairing_id=old.id, expected_version=old.version, ended_on=dt.date(2026, 5, 31))
        create_pairing(session, actor=desk.actor, senior_id=senior.id, junior_id=junior.id, started_on=dt.date(2026, 6, 1))
        version = case_detail(session, actor=desk.actor, case_id=case_id).version
        assign_mediator(session, actor=desk.actor, case_id=case_id, expected_version=version, mediator_id=junior.id,
                        recusal=RecusalChoice("kept", "无回避情形"))
        agreements.save_draft(session, actor=desk.actor, case_id=case_id, draft=DRAFT, expected_version=None)

    def mediator(login: str, mediator_id: int | None) -> Actor:
        return Actor(login=login, role=Role.MEDIATOR, committee_id=desk.committee_id, mediator_id=mediator_id, clock=desk.actor.clock)

    waiting = page(desk, case_id)
    assert waiting.state.awaiting_review and not waiting.may_finalise
    keeps_its_word(desk, waiting.may_finalise, lambda s: agreements.finalise(s, actor=desk.actor, case_id=case_id, expected_version=None))
    for actor, expected in ((mediator("wang", former.id), False), (mediator("li", neighbour.id), False), (mediator("pan", senior.id), True)):
        shown = page(desk, case_id, actor)
        assert shown.state.may_review is expected, actor.login
        with desk.reading() as session:
            listed = [row.case_id for row in agreements.awaiting_review(session, actor=actor)]
        assert listed == ([case_id] if expected else []), "the workbench's queue agrees with the flag"
        keeps_its_word(desk, shown.state.may_review, lambda s, actor=actor: agreements.review(
            s, actor=actor, case_id=case_id, expected_version=None))
    reviewed = page(desk, case_id)
    assert not reviewed.state.awaiting_review and reviewed.may_finalise
    keeps_its_word(desk, reviewed.may_finalise, lambda s: agreements.finalise(s, actor=desk.actor, case_id=case_id, expected_version=None))


def test_pairing_and_mentoring_flags_match_what_the_service_accepts(desk):
    case_id = new_case(desk)
    with desk.session() as session:
        senior = add_mediator(session, actor=desk.actor, name="潘明杰", rank=MediatorRank.SENIOR, unit=MediatorUnit.STREET)
        # 王老师 works in the case's community: he sees the case (record rules) but did not mentor it
        other = add_mediator(session, actor=desk.actor, name="王老师", rank=MediatorRank.SENIOR, unit=MediatorUnit.COMMUNITY,
                             community="华光城")
        junior = add_mediator(session, actor=desk.actor, name="潘小", rank=MediatorRank.JUNIOR, unit=MediatorUnit.GRID, community="华光城")
        pairing = create_pairing(session, actor=desk.actor, senior_id=senior.id, junior_id=junior.id, started_on=dt.date(2026, 1, 1))
        version = case_detail(session, actor=desk.actor, case_id=case_id).version
        assign_mediator(session, actor=desk.actor, case_id=case_id, expected_version=version, mediator_id=junior.id,
                        pairing_id=pairing.id, recusal=RecusalChoice("kept", "无回避情形"))
    mentor = Actor(login="pan", role=Role.MEDIATOR, committee_id=desk.committee_id, mediator_id=senior.id, clock=desk.actor.clock)
    outsider = Actor(login="wang", role=Role.MEDIATOR, committee_id=desk.committee_id, mediator_id=other.id, clock=desk.actor.clock)

    for actor in (mentor, desk.actor):  # a mediator may not end a pairing; an administrator may, once
        with desk.reading() as session:
            [pairing] = list_pairings(session, actor=actor)
        assert pairing.may_end is actor.is_supervisor
        keeps_its_word(desk, pairing.may_end, lambda s, actor=actor, pairing=pairing: end_pairing(
            s, actor=actor, pairing_id=pairing.id, expected_version=pairing.version, ended_on=dt.date(2026, 11, 27)))
    with desk.reading() as session:
        [ended] = list_pairings(session, actor=desk.actor)
    assert not ended.may_end
    keeps_its_word(desk, ended.may_end, lambda s: end_pairing(
        s, actor=desk.actor, pairing_id=ended.id, expected_version=ended.version, ended_on=dt.date(2026, 11, 27)))

    for actor, expected in ((outsider, False), (mentor, True), (desk.actor, True)):
        with desk.reading() as session:
            [entry] = mentoring_record(session, actor=actor, junior_id=junior.id)
        assert entry.may_note is expected, actor.login
        keeps_its_word(desk, entry.may_note, lambda s, actor=actor: add_review_note(
            s, actor=actor, junior_id=junior.id, case_id=case_id, note="沟通耐心，条款清楚"))


def joint_case(desk, referred_at: dt.datetime, incident_no: str) -> int:
    with desk.session() as session:
        return register_case(session, actor=desk.actor, data={
            "received_at": referred_at.isoformat(), "source": "police_referral", "dispute_type": "neighbour", "level": "grid",
            "community": "安居", "summary": "楼道堆物引发争吵，110出警后移交。",
            "parties": [{"role": "applicant", "name": "赵强"}, {"role": "respondent", "name": "钱芳"}],
            "police_referral": {"incident_no": incident_no, "station": "东柳派出所", "referred_at": referred_at.isoformat()},
        }).id


def test_referral_rows_say_when_they_are_due_soon(desk, clock):
    """First contact (24 h) turns amber 8 h before its deadline; feedback with the 反馈 state, a day before."""
    now = clock.now()
    soon = joint_case(desk, now - dt.timedelta(hours=17), "JQ1")  # first contact due in 7 h
    later = joint_case(desk, now - dt.timedelta(hours=4), "JQ2")  # due in 20 h
    late = joint_case(desk, now - dt.timedelta(hours=30), "JQ3")  # overdue: red, not amber
    with desk.reading() as session:
        rows = {row.case_id: row for row in referrals.list_referrals(session, actor=desk.actor)}
    assert (rows[soon].due_soon, rows[later].due_soon, rows[late].due_soon) == (True, False, False)
    assert rows[late].state == ReferralState.OVERDUE.value

    with desk.session() as session:
        row = referrals.record_first_contact(session, actor=desk.actor, case_id=later, expected_version=rows[later].version)
    assert row.state == ReferralState.IN_MEDIATION.value and not row.due_soon
    clock.advance(days=4, hours=6)
    with desk.reading() as session:
        [row] = [r for r in referrals.list_referrals(session, actor=desk.actor) if r.case_id == later]
    assert row.state == ReferralState.FEEDBACK_DUE.value and row.due_soon


def test_the_registry_says_who_may_maintain_it_and_arrange_pairings(desk):
    from laopan.services.pairings import registry

    with desk.session() as session:
        senior = add_mediator(session, actor=desk.actor, name="潘明杰", rank=MediatorRank.SENIOR, unit=MediatorUnit.STREET)
        junior = add_mediator(session, actor=desk.actor, name="潘小", rank=MediatorRank.JUNIOR, unit=MediatorUnit.GRID, community="华光城")
    mediator = Actor(login="pan", role=Role.MEDIATOR, committee_id=desk.committee_id, mediator_id=senior.id, clock=desk.actor.clock)
    for actor, expected in ((mediator, False), (desk.actor, True)):
        with desk.reading() as session:
            page = registry(session, actor=actor)
        assert (page.may_maintain, page.may_pair) == (expected, expected), actor.login
        keeps_its_word(desk, page.may_maintain, lambda s, actor=actor: add_mediator(
            s, actor=actor, name=f"潘新{actor.login}", rank=MediatorRank.SENIOR, unit=MediatorUnit.STREET))
        keeps_its_word(desk, page.may_pair, lambda s, actor=actor: create_pairing(
            s, actor=actor, senior_id=senior.id, junior_id=junior.id, started_on=dt.date(2026, 1, 1)))
