"""调解记录 (DESIGN §3 `MediationSession`): several sittings per case, added, updated under the version check
with field-level audit, listed in time order."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from laopan.errors import Conflict, DomainError, InvalidTransition
from laopan.models import AuditEntry
from laopan.services import sessions
from laopan.services.locking import CLOSED_READ_ONLY
from tests.helpers.scenarios import case_in, move, register

BEIJING = ZoneInfo("Asia/Shanghai")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=BEIJING)


def add(desk, case_id, **changes):
    values = dict(held_at=at("2026-11-26 14:30"), place="东柳街道调解室", mediators=["潘明杰", "潘晓"],
                  parties_present=["张伟", "李秀英"], participants=["华光城物业 王经理"],
                  statements="申请人：吊顶受损，要求赔偿。\n被申请人：同意维修，赔偿数额有异议。", result="同意先行维修，赔偿另议")
    values.update(changes)
    with desk.session() as session:
        return sessions.add_session(session, actor=desk.actor, case_id=case_id, **values)


def listed(desk, case_id):
    with desk.reading() as session:
        return sessions.list_sessions(session, actor=desk.actor, case_id=case_id)


def test_several_sittings_are_recorded_and_listed_in_time_order(desk, clock):
    case_id = case_in(desk, "mediating")
    second = add(desk, case_id, held_at=at("2026-11-27 08:30"), place="华光城社区会议室", result="达成一致")
    first = add(desk, case_id)
    assert [s.id for s in listed(desk, case_id)] == [first.id, second.id]
    view = listed(desk, case_id)[0]
    assert (view.held_at, view.place, view.mediators, view.parties_present, view.participants) == (
        dt.datetime(2026, 11, 26, 6, 30, tzinfo=dt.UTC), "东柳街道调解室", ("潘明杰", "潘晓"), ("张伟", "李秀英"), ("华光城物业 王经理",))
    assert view.statements.splitlines() == ["申请人：吊顶受损，要求赔偿。", "被申请人：同意维修，赔偿数额有异议。"]
    assert (view.result, view.version, view.updated_by, view.updated_at) == ("同意先行维修，赔偿另议", 1, "admin", clock.instant)


@pytest.mark.parametrize(("changes", "message"), [
    (dict(place=" "), "调解地点: 不能为空"),
    (dict(mediators=["", " "]), "调解员: 至少填写一名"),
    (dict(held_at=at("2026-11-27 10:00")), "调解时间: 晚于现在（调解记录记的是已经进行的调解）"),
    (dict(held_at=dt.datetime(2026, 11, 26, 9, 0)), "调解时间: 须为带时区的时间"),
])
def test_a_sitting_needs_a_past_time_a_place_and_a_mediator(desk, changes, message):
    case_id = case_in(desk, "accepted")
    with pytest.raises(DomainError) as refused:
        add(desk, case_id, **changes)
    assert str(refused.value) == message
    assert listed(desk, case_id) == []


@pytest.mark.parametrize(("state", "error", "message"), [
    ("registered", InvalidTransition, "案件尚未受理，不能记录调解（当前：登记）"),
    ("rejected", InvalidTransition, "案件尚未受理，不能记录调解（当前：不予受理）"),
    ("closed", InvalidTransition, CLOSED_READ_ONLY),
])
def test_sittings_belong_to_accepted_cases_that_are_not_closed(desk, state, error, message):
    case_id = case_in(desk, state)
    with pytest.raises(error) as refused:
        add(desk, case_id)
    assert str(refused.value) == message


def test_an_update_changes_only_the_given_fields_and_audits_each(desk, clock):
    case_id = case_in(desk, "mediating")
    view = add(desk, case_id)
    clock.advance(minutes=15)
    with desk.session() as session:
        updated = sessions.update_session(session, actor=desk.actor, session_id=view.id, expected_version=1,
                                          result="达成口头协议", participants=["华光城物业 王经理", "楼长 赵阿姨"])
    assert (updated.version, updated.result, updated.place, updated.updated_at) == (2, "达成口头协议", "东柳街道调解室", clock.instant)
    with desk.reading() as session:
        entry = session.execute(select(AuditEntry).where(AuditEntry.action == "session.update")).scalar_one()
        assert (entry.entity, entry.entity_id) == ("mediation_session", view.id)
        assert entry.changes == {"participants": [["华光城物业 王经理"], ["华光城物业 王经理", "楼长 赵阿姨"]],
                                 "result": ["同意先行维修，赔偿另议", "达成口头协议"]}
    with desk.session() as session:
        same = sessions.update_session(session, actor=desk.actor, session_id=view.id, expected_version=2, result="达成口头协议")
    assert same.version == 2, "an edit that changes nothing saves nothing"


def test_a_stale_sitting_is_refused_with_who_changed_it_and_when(desk, clock):
    case_id = case_in(desk, "mediating")
    view = add(desk, case_id)
    clock.advance(minutes=15)
    with desk.session() as session:
        sessions.update_session(session, actor=desk.actor, session_id=view.id, expected_version=1, place="华光城社区会议室")
    with desk.session() as session, pytest.raises(Conflict) as refused:
        sessions.update_session(session, actor=desk.actor, session_id=view.id, expected_version=1, result="覆盖")
    assert str(refused.value) == "已被 管理员 于 2026-11-27 09:15 修改，请刷新"
    assert listed(desk, case_id)[0].result == "同意先行维修，赔偿另议"


def test_a_closed_case_keeps_its_sittings_read_only(desk):
    case_id = case_in(desk, "terminated")
    view = add(desk, case_id)
    move(desk, case_id, "close")
    with desk.session() as session, pytest.raises(InvalidTransition, match=CLOSED_READ_ONLY):
        sessions.update_session(session, actor=desk.actor, session_id=view.id, expected_version=1, result="改")


def test_an_unregistered_case_has_no_sittings(desk):
    assert listed(desk, register(desk)) == []
