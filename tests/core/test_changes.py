"""Every write says what it changed (laopan.changes): the kinds and cases a page needs to decide whether to reload."""

import dataclasses
import datetime as dt

import pytest

from laopan import changes
from laopan.errors import DomainError
from laopan.models.enums import FeedbackResult
from laopan.services import agreements, lifecycle, referrals, sessions
from laopan.inputs import AgreementDraft, ClauseSpec
from laopan.services.assignment import assign_mediator
from laopan.services.cases import case_detail
from laopan.services.intake import register_case
from laopan.services.mediators import add_mediator
from laopan.services.pairings import update_mediator

PARTIES = [
    {"role": "applicant", "name": "张伟", "id_number": "330212197803010013", "phone": "13812345678"},
    {"role": "respondent", "name": "李秀英"},
]
DRAFT = AgreementDraft(
    facts="楼上卫生间漏水，致楼下吊顶受损。", matters="维修责任与赔偿数额。", responsibilities="被申请人负主要责任。",
    clauses=(ClauseSpec(kind="text", text="被申请人于2026年12月5日前修复卫生间防水层。"),),
    performance_method="当场履行", performance_place="东柳街道人民调解委员会", performance_deadline=dt.date(2026, 12, 10),
    signed_on=dt.date(2026, 11, 27),
)


def written(desk, write) -> tuple[object, changes.Changes]:
    """Run `write(session)` in one unit of work; its result and what it noted as changed."""
    with desk.session() as session:
        result = write(session)
        return result, changes.take(session)


def register(session, actor, **extra) -> int:
    return register_case(session, actor=actor, data={
        "source": "party_application", "dispute_type": "neighbour", "level": "grid", "community": "华光城",
        "summary": "楼上漏水致楼下吊顶受损。", "parties": PARTIES, **extra,
    }).id


def version(desk, case_id: int) -> int:
    with desk.reading() as session:
        return case_detail(session, actor=desk.actor, case_id=case_id).version


def test_registering_a_case_changes_that_case(desk):
    case_id, done = written(desk, lambda s: register(s, desk.actor))
    assert done.kinds == {"case", "audit"} and done.case_ids == {case_id}
    assert ("case", case_id) in done.rows


def test_a_move_changes_the_case_and_one_between_mediators_their_workload_too(desk):
    case_id, _ = written(desk, lambda s: register(s, desk.actor))
    _, done = written(desk, lambda s: lifecycle.accept(s, actor=desk.actor, case_id=case_id, expected_version=version(desk, case_id)))
    assert done.kinds == {"case", "audit"} and done.case_ids == {case_id}

    mediator, _ = written(desk, lambda s: add_mediator(s, actor=desk.actor, name="王建国"))
    _, done = written(desk, lambda s: assign_mediator(s, actor=desk.actor, case_id=case_id, expected_version=version(desk, case_id),
                                                      mediator_id=mediator.id))
    assert done.kinds == {"case", "mediator", "audit"} and done.case_ids == {case_id}


def test_a_sitting_changes_its_case(desk):
    case_id, _ = written(desk, lambda s: register(s, desk.actor, status="mediating"))
    held_at = desk.actor.clock.now() - dt.timedelta(hours=1)
    row, done = written(desk, lambda s: sessions.add_session(s, actor=desk.actor, case_id=case_id, held_at=held_at,
                                                             place="调解室", mediators=["王建国"]))
    assert done.kinds == {"session", "case", "audit"} and done.case_ids == {case_id}
    _, done = written(desk, lambda s: sessions.update_session(s, actor=desk.actor, session_id=row.id, expected_version=row.version,
                                                              place="社区调解室"))
    assert done.kinds == {"session", "case", "audit"} and done.case_ids == {case_id}, "an edit names the case too"


def test_referral_feedback_changes_the_referral_and_its_case(desk, clock):
    referred_at = clock.now() - dt.timedelta(hours=2)
    case_id, done = written(desk, lambda s: register(s, desk.actor, source="police_referral", police_referral={
        "incident_no": "JQ202611270001", "station": "东柳派出所", "referred_at": referred_at.isoformat(), "nature": "dispute_call"}))
    assert "case" in done.kinds, "the liaison desk and the case list both show a new joint case"
    row, _ = written(desk, lambda s: referrals.record_first_contact(s, actor=desk.actor, case_id=case_id, expected_version=None))
    _, done = written(desk, lambda s: referrals.record_feedback(s, actor=desk.actor, case_id=case_id, expected_version=row.version,
                                                                result=FeedbackResult.NOT_SETTLED, content="继续调解"))
    assert done.kinds == {"referral", "case", "audit"} and done.case_ids == {case_id}


def test_an_edit_of_the_draft_changes_only_the_agreement_and_a_print_only_the_history(desk):
    case_id, _ = written(desk, lambda s: register(s, desk.actor, status="mediating"))
    state, done = written(desk, lambda s: agreements.save_draft(s, actor=desk.actor, case_id=case_id, draft=DRAFT, expected_version=None))
    assert done.kinds == {"agreement", "case", "audit"} and done.case_ids == {case_id}

    edited = dataclasses.replace(DRAFT, matters="赔偿数额。")
    _, done = written(desk, lambda s: agreements.save_draft(s, actor=desk.actor, case_id=case_id, draft=edited,
                                                            expected_version=state.version))
    assert done.kinds == {"agreement", "audit"} and done.case_ids == {case_id}, "typing must not reload the case around the editor"

    _, done = written(desk, lambda s: agreements.render_agreement(s, actor=desk.actor, case_id=case_id, fmt="pdf", purpose="print"))
    assert done.kinds == {"audit"} and done.case_ids == {case_id}, "the history tab shows the print; nothing else changed"


def test_revealing_a_case_adds_to_its_history_only(desk):
    case_id, _ = written(desk, lambda s: register(s, desk.actor))
    _, done = written(desk, lambda s: case_detail(s, actor=desk.actor, case_id=case_id, reveal=True))
    assert done == changes.Changes(frozenset({"audit"}), frozenset({case_id}), frozenset({("case", case_id)}))


def test_a_mediator_edit_changes_the_mediator(desk):
    mediator, done = written(desk, lambda s: add_mediator(s, actor=desk.actor, name="王建国"))
    assert done.kinds == {"mediator", "audit"} and not done.case_ids and ("mediator", mediator.id) in done.rows
    _, done = written(desk, lambda s: update_mediator(s, actor=desk.actor, mediator_id=mediator.id, expected_version=mediator.version,
                                                      community="华光城", unit="community"))
    assert done.kinds == {"mediator", "audit"}


def test_reading_or_a_refused_write_notes_nothing(desk):
    case_id, _ = written(desk, lambda s: register(s, desk.actor))
    with desk.reading() as session:
        case_detail(session, actor=desk.actor, case_id=case_id)
        assert changes.take(session) == changes.NONE and not changes.NONE
    with pytest.raises(DomainError), desk.session() as session:
        try:
            add_mediator(session, actor=desk.actor, name="  ")
        finally:
            assert not changes.take(session)


def test_each_unit_of_work_is_announced_once(desk):
    with desk.session() as session:
        register(session, desk.actor)
        assert changes.take(session).kinds == {"case", "audit"}
        assert changes.take(session) == changes.NONE
