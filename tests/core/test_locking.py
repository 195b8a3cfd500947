"""Optimistic locking and audit (DESIGN §2 "Concurrency", §3 `AuditEntry`): two desks editing the same case get a
conflict naming the first editor and time, never a lost update; every mutation bumps the version and writes a
field-level audit entry; the case timeline tells the story in Chinese."""

import datetime as dt
import threading

import pytest
from sqlalchemy import select

from laopan.desk import open_desk
from tests.helpers.accounts import TEST_PASSWORD
from laopan.errors import Conflict
from laopan.models import AuditEntry
from laopan.models.enums import CaseMediatorRole, MediatorUnit, Role
from laopan.services import assignment, deadlines, lifecycle, sessions, timeline
from laopan.services.assignment import RecusalChoice
from laopan.services.cases import load_case
from tests.helpers.concurrency import engines, run_in_threads
from tests.helpers.scenarios import act, add_agreement, case_row, mediator, move, register, user, version
from tests.helpers.databases import engine_for


@pytest.fixture
def second_desk(desk, db_url, clock):
    """Another desk on the same database file, where 张主任 (a supervisor) works."""
    user(desk, "zhang", Role.SUPERVISOR, "张主任")
    engine = engine_for(db_url)
    yield open_desk(engine=engine, login="zhang", password=TEST_PASSWORD, clock=clock)
    engine.dispose()


@pytest.mark.both_engines
def test_the_second_save_of_the_same_case_is_refused_with_the_first_editor_and_time(desk, second_desk, clock):
    case_id = register(desk)
    with desk.reading() as session:  # the first desk's screen shows version 1
        shown = load_case(session, actor=desk.actor, case_id=case_id).version
    clock.advance(minutes=15)
    with second_desk.session() as session:
        lifecycle.accept(session, actor=second_desk.actor, case_id=case_id, expected_version=shown)
    with desk.session() as session, pytest.raises(Conflict) as refused:
        lifecycle.reject(session, actor=desk.actor, case_id=case_id, expected_version=shown, reason="不属于民间纠纷")
    assert str(refused.value) == "已被 张主任 于 2026-11-27 09:15 修改，请刷新"
    row = case_row(desk, case_id)
    assert (row.status, row.version, row.updated_by) == ("accepted", 2, "zhang"), "the first save stands"


def test_a_never_edited_row_names_its_creator(desk):
    case_id = register(desk)
    with desk.session() as session, pytest.raises(Conflict, match="^已被 管理员 于 2026-11-27 09:00 修改，请刷新$"):
        lifecycle.accept(session, actor=desk.actor, case_id=case_id, expected_version=0)


@pytest.mark.both_engines
def test_desks_racing_to_move_the_same_case_one_wins(db_url, desk, clock):
    """Four desks accept or reject the same version at once: the row lock lets exactly one through."""
    case_id = register(desk)
    barrier = threading.Barrier(4)
    outcomes: list[str] = []
    lock = threading.Lock()

    def race(index, engine):
        racer = open_desk(engine=engine, login="admin", password=TEST_PASSWORD, clock=clock)
        barrier.wait()
        try:
            with racer.session() as session:
                if index % 2:
                    lifecycle.accept(session, actor=racer.actor, case_id=case_id, expected_version=1)
                else:
                    lifecycle.reject(session, actor=racer.actor, case_id=case_id, expected_version=1, reason="重复")
            result = "won"
        except Conflict as exc:
            result = str(exc)
        with lock:
            outcomes.append(result)

    with engines(db_url, 4) as racers:
        run_in_threads(race, enumerate(racers))
    assert sorted(outcomes) == ["won"] + ["已被 管理员 于 2026-11-27 09:00 修改，请刷新"] * 3
    assert case_row(desk, case_id).version == 2


@pytest.fixture
def busy_case(desk):
    """An accepted grid case with a lead, and the mediators the mutations below need."""
    ids = {
        "grid": mediator(desk, "潘网格", unit=MediatorUnit.GRID, community="华光城", grid="华光城第3网格"),
        "other": mediator(desk, "潘其他"),
        "community": mediator(desk, "潘社区", unit=MediatorUnit.COMMUNITY, community="华光城"),
    }
    case_id = register(desk)
    move(desk, case_id, "accept")
    act(desk, assignment.assign_mediator, case_id, mediator_id=ids["grid"])
    return case_id, ids


MUTATIONS = {
    "mediate": lambda ids: (lifecycle.start_mediating, {}),
    "terminate": lambda ids: (lifecycle.terminate, {"reason": "party_refused"}),
    "escalate": lambda ids: (lifecycle.escalate, {"reason": "上报", "to_mediator_id": ids["community"]}),
    "assign": lambda ids: (assignment.assign_mediator, {"mediator_id": ids["other"], "role": CaseMediatorRole.RECORDER}),
    "unassign": lambda ids: (assignment.unassign_mediator, {"mediator_id": ids["grid"]}),
    "extend": lambda ids: (deadlines.extend_deadline, {"new_due_on": dt.date(2027, 1, 10), "applicant_consent_on": dt.date(2026, 11, 25),
                                                       "respondent_consent_on": dt.date(2026, 11, 26)}),
}


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_every_case_mutation_checks_the_version_then_bumps_it_and_audits_fields(desk, busy_case, clock, name):
    case_id, ids = busy_case
    service, kwargs = MUTATIONS[name](ids)
    current = version(desk, case_id)
    with desk.session() as session, pytest.raises(Conflict, match="请刷新$"):
        service(session, actor=desk.actor, case_id=case_id, expected_version=current - 1, **kwargs)
    assert version(desk, case_id) == current
    clock.advance(minutes=5)
    with desk.session() as session:
        change = service(session, actor=desk.actor, case_id=case_id, expected_version=current, **kwargs)
    change = getattr(change, "case", change)
    row = case_row(desk, case_id)
    assert (change.version, row.version, row.updated_by, row.updated_at) == (current + 1, current + 1, "admin", clock.instant)
    with desk.reading() as session:
        entry = session.execute(select(AuditEntry).order_by(AuditEntry.id.desc())).scalars().first()
        assert (entry.entity, entry.entity_id, entry.login, entry.at) == ("case", case_id, "admin", clock.instant)
        assert entry.changes and all(isinstance(v, list) and len(v) == 2 for k, v in entry.changes.items() if not k.endswith("_consent_on"))


def add_sitting(desk, case_id, held_at):
    with desk.session() as session:
        sessions.add_session(session, actor=desk.actor, case_id=case_id, held_at=held_at, place="华光城社区会议室", mediators=["潘社区"])


def test_the_timeline_tells_the_case_story_in_time_order(desk, clock):
    grid = mediator(desk, "潘网格", unit=MediatorUnit.GRID, community="华光城", grid="华光城第3网格")
    neighbour = mediator(desk, "潘社区", unit=MediatorUnit.COMMUNITY, community="华光城", address="华光城12幢")
    boss = user(desk, "zhang", Role.SUPERVISOR, "张主任")
    case_id = register(desk)
    steps = [
        lambda: move(desk, case_id, "accept"),
        lambda: act(desk, assignment.assign_mediator, case_id, mediator_id=grid),
        lambda: act(desk, lifecycle.escalate, case_id, reason="网格调解未果", to_mediator_id=neighbour,
                    recusal=RecusalChoice("kept", "社区仅一名调解员")),
        lambda: move(desk, case_id, "mediate"),
        lambda: add_sitting(desk, case_id, clock.instant - dt.timedelta(hours=1)),
        lambda: act(desk, deadlines.extend_deadline, case_id, new_due_on=dt.date(2027, 1, 10),
                    applicant_consent_on=dt.date(2026, 11, 25), respondent_consent_on=dt.date(2026, 11, 26)),
        lambda: act(desk, lifecycle.escalate, case_id, reason="涉及物业，需街道协调"),
        lambda: add_agreement(desk, case_id),
        lambda: move(desk, case_id, "settle"),
        lambda: move(desk, case_id, "close"),
        lambda: move(desk, case_id, "reopen", actor=boss, reason="协议笔误"),
    ]
    for step in steps:
        clock.advance(minutes=10)
        step()
    with desk.reading() as session:
        entries = timeline.case_timeline(session, actor=desk.actor, case_id=case_id)
    assert [(e.who, e.description) for e in entries] == [
        ("管理员", "登记案件 DL2026-00001（登记）"),
        ("管理员", "受理，调解期限至 2026-12-27"),
        ("管理员", "指派调解员：潘网格（主持人）"),
        ("管理员", "回避审查：潘社区保留（与申请人张伟住同一栋楼（华光城12幢）；与被申请人李秀英住同一栋楼（华光城12幢））：社区仅一名调解员"),
        ("管理员", "上报：网格→社区（网格调解未果），主持人：潘社区"),
        ("管理员", "开始调解"),
        ("管理员", "新增调解记录：2026-11-27 08:50 华光城社区会议室"),
        ("管理员", "延长调解期限：2026-12-27→2027-01-10（申请人2026-11-25、被申请人2026-11-26同意）"),
        ("管理员", "上报：社区→街道（涉及物业，需街道协调），待分配主持人"),
        ("管理员", "调解成功"),
        ("管理员", "结案归档（自“调解成功”）"),
        ("张主任", "重新打开，回到“调解成功”：协议笔误"),
    ]
    assert [e.at for e in entries] == sorted(e.at for e in entries)
