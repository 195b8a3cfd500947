"""Case status moves (DESIGN §4 "Lifecycle"): the legal table, every illegal move refused with the moves that
are allowed, the closed case read-only until a supervisor reopens it, and the actions the window may offer."""

import datetime as dt

import pytest
from alembic import command
from sqlalchemy import select, text

from laopan.errors import DomainError, InvalidTransition, PermissionDenied
from laopan.models import Agreement, AuditEntry, Mediator
from laopan.models.enums import MediatorUnit, Role
from laopan.services import lifecycle
from laopan.services.locking import CLOSED_READ_ONLY
from laopan.storage import make_engine, session_scope
from laopan.storage.migrate import alembic_config, current_revision, pending_differences, upgrade
from tests.helpers.scenarios import PATHS, add_agreement, case_in, case_row, mediator, move, register, user, version

# ---------------------------------------------------------------- the legal table

LEGAL = {
    ("registered", "accept"), ("registered", "reject"), ("accepted", "mediate"), ("accepted", "terminate"),
    ("mediating", "settle"), ("mediating", "terminate"), ("settled", "close"), ("terminated", "close"),
    ("rejected", "close"), ("closed", "reopen"),
}
STATES = list(PATHS)
ACTIONS = ["accept", "reject", "mediate", "settle", "terminate", "close", "reopen"]
MOVE_LABELS = {"accept": "受理", "reject": "不予受理", "mediate": "开始调解", "settle": "调解成功", "terminate": "调解终止",
               "close": "结案归档", "reopen": "重新打开"}
STATE_LABELS = {"registered": "登记", "accepted": "受理", "mediating": "调解中", "settled": "调解成功",
                "terminated": "调解终止", "rejected": "不予受理", "closed": "结案归档"}
ALLOWED = {"registered": "受理、不予受理", "accepted": "开始调解、调解终止", "mediating": "调解成功、调解终止",
           "settled": "结案归档", "terminated": "结案归档", "rejected": "结案归档"}
ARGS = {"reject": {"reason": "理由"}, "terminate": {"reason": "party_refused"}, "reopen": {"reason": "理由"}}
ILLEGAL = [(state, action) for state in STATES for action in ACTIONS if (state, action) not in LEGAL]


def test_the_table_leaves_thirty_nine_illegal_moves():
    assert len(ILLEGAL) == 7 * 7 - len(LEGAL) == 39


@pytest.mark.parametrize(("state", "action"), ILLEGAL, ids=[f"{s}-{a}" for s, a in ILLEGAL])
def test_every_illegal_move_is_refused_with_the_allowed_moves(desk, state, action):
    case_id = case_in(desk, state)
    before = version(desk, case_id)
    with pytest.raises(InvalidTransition) as refused:
        move(desk, case_id, action, **ARGS.get(action, {}))
    if state == "closed":
        assert str(refused.value) == CLOSED_READ_ONLY == "已结案归档的案件只读，须由主任重新打开"
    else:
        assert str(refused.value) == f"“{STATE_LABELS[state]}”状态的案件不能直接“{MOVE_LABELS[action]}”；当前可以：{ALLOWED[state]}"
    row = case_row(desk, case_id)
    assert (row.status, row.version) == (state, before), "a refused move changes nothing"


def test_the_registered_to_closed_message_reads_as_specified(desk):
    case_id = register(desk)
    with pytest.raises(InvalidTransition, match="^“登记”状态的案件不能直接“结案归档”；当前可以：受理、不予受理$"):
        move(desk, case_id, "close")


@pytest.mark.parametrize(("state", "action"), sorted(LEGAL - {("closed", "reopen")}))
def test_every_legal_move_lands_in_its_target(desk, state, action):
    targets = {"accept": "accepted", "reject": "rejected", "mediate": "mediating", "settle": "settled",
               "terminate": "terminated", "close": "closed"}
    case_id = case_in(desk, state)
    change = move(desk, case_id, action, **ARGS.get(action, {}))
    assert change.status == targets[action] == case_row(desk, case_id).status
    assert change.changes["status"] == [state, targets[action]]


# ---------------------------------------------------------------- each move's own rules


def test_accept_starts_the_thirty_day_deadline_in_the_committee_zone(desk, clock):
    case_id = register(desk)
    clock.instant = dt.datetime(2026, 11, 27, 16, 30, tzinfo=dt.UTC)  # already 2026-11-28 00:30 in Beijing
    change = move(desk, case_id, "accept")
    row = case_row(desk, case_id)
    assert row.accepted_at == clock.instant
    assert row.due_on == change.due_on == dt.date(2026, 12, 28)
    assert (change.version, row.updated_by, row.updated_at) == (2, "admin", clock.instant)


def test_reject_needs_a_reason_and_keeps_it(desk):
    case_id = register(desk)
    with pytest.raises(DomainError, match="不予受理理由: 不能为空"):
        move(desk, case_id, "reject", reason="  ")
    move(desk, case_id, "reject", reason="已向法院起诉")
    assert case_row(desk, case_id).rejection_reason == "已向法院起诉"


def test_settling_needs_a_finalised_written_agreement_or_an_oral_agreement(desk):
    case_id = register(desk)
    move(desk, case_id, "accept")
    move(desk, case_id, "mediate")
    with pytest.raises(DomainError) as refused:
        move(desk, case_id, "settle")
    assert str(refused.value) == "须先起草书面协议或登记口头协议"
    add_agreement(desk, case_id, kind="written")
    with pytest.raises(DomainError, match="^书面协议尚未定稿：请先在“调解协议”页检查并定稿（编号）后再标记调解成功$"):
        move(desk, case_id, "settle")
    with desk.session() as session:
        session.execute(select(Agreement).where(Agreement.case_id == case_id)).scalar_one().finalised_at = desk.actor.clock.now()
    assert move(desk, case_id, "settle").status == "settled"


@pytest.mark.parametrize(("reason", "destination", "message"), [
    ("", None, "终止原因: 请选择一方拒绝调解、当事人要求终止、分歧过大、转其他途径之一"),
    ("give_up", None, "终止原因: 应为一方拒绝调解、当事人要求终止、分歧过大、转其他途径之一"),
    ("other_channel", None, "去向: 转其他途径须选择去向（法院、仲裁、公安、信访、行政机关）"),
    ("转其他途径", "外星", "去向: 应为法院、仲裁、公安、信访、行政机关之一"),
    ("too_far_apart", "court", "去向: 只有“转其他途径”需要选择去向"),
])
def test_termination_needs_a_known_reason_and_a_destination_only_for_other_channels(desk, reason, destination, message):
    case_id = case_in(desk, "mediating")
    with pytest.raises(DomainError) as refused:
        move(desk, case_id, "terminate", reason=reason, destination=destination)
    assert str(refused.value) == message


@pytest.mark.parametrize(("reason", "destination", "stored"), [
    ("party_refused", None, ("party_refused", None)),
    ("分歧过大", None, ("too_far_apart", None)),
    ("other_channel", "court", ("other_channel", "court")),
    ("转其他途径", "信访", ("other_channel", "petition")),
])
def test_termination_stores_reason_and_destination_codes(desk, reason, destination, stored):
    case_id = case_in(desk, "accepted")
    move(desk, case_id, "terminate", reason=reason, destination=destination)
    row = case_row(desk, case_id)
    assert (row.termination_reason, row.termination_destination) == stored


def test_close_remembers_the_state_and_reopen_returns_to_it(desk, clock):
    case_id = case_in(desk, "settled")
    move(desk, case_id, "close")
    row = case_row(desk, case_id)
    assert (row.status, row.status_before_close, row.closed_at) == ("closed", "settled", clock.instant)
    boss = user(desk, "zhang", Role.SUPERVISOR, "张主任")
    with pytest.raises(DomainError, match="重新打开理由: 不能为空"):
        move(desk, case_id, "reopen", actor=boss, reason="")
    change = move(desk, case_id, "reopen", actor=boss, reason="当事人反映协议有笔误")
    row = case_row(desk, case_id)
    assert (change.status, row.status_before_close, row.closed_at) == ("settled", None, None)
    with desk.reading() as session:
        entry = session.execute(select(AuditEntry).where(AuditEntry.action == "case.reopen")).scalar_one()
        assert (entry.login, entry.note, entry.changes["status"]) == ("zhang", "当事人反映协议有笔误", ["closed", "settled"])


def test_a_mediator_may_not_reopen(desk):
    mediator(desk, "潘明杰")
    pan = user(desk, "pan", Role.MEDIATOR, "潘明杰", "潘明杰")
    case_id = case_in(desk, "closed")
    with pytest.raises(PermissionDenied) as refused:
        move(desk, case_id, "reopen", actor=pan, reason="想改")
    assert str(refused.value) == "调解员无权重新打开已结案归档的案件（仅限：主任、管理员）"
    assert case_row(desk, case_id).status == "closed"


def test_a_police_liaison_moves_joint_cases_only(desk):
    liaison = user(desk, "wang", Role.POLICE_LIAISON, "王联络")
    joint = register(desk, source="police_referral")
    other = register(desk)
    assert move(desk, joint, "accept", actor=liaison).status == "accepted"
    with pytest.raises(PermissionDenied, match="警调联络员只能查看公安机关移交的联合调解案件"):
        move(desk, other, "accept", actor=liaison)


# ---------------------------------------------------------------- what the window offers


def codes_of(desk, case_id, actor=None) -> list[tuple]:
    with desk.reading() as session:
        return [(a.code, a.enabled) for a in lifecycle.available_actions(session, actor=actor or desk.actor, case_id=case_id)]


def test_available_actions_follow_the_state_and_the_role(desk):
    mediator(desk, "潘明杰", unit=MediatorUnit.COMMUNITY, community="华光城")  # sees 华光城 cases (record rules)
    pan = user(desk, "pan", Role.MEDIATOR, "潘明杰", "潘明杰")
    registered = register(desk)
    assert codes_of(desk, registered) == [("accept", True), ("reject", True), ("escalate", True), ("assign", True)]
    mediating = case_in(desk, "mediating", level="community")
    with desk.session() as session:
        session.execute(Agreement.__table__.delete().where(Agreement.case_id == mediating))
    assert codes_of(desk, mediating) == [("settle", False), ("terminate", True), ("escalate", True), ("return", True),
                                         ("assign", True), ("extend", True), ("add_session", True)]
    assert ("return", True) not in codes_of(desk, mediating, pan), "mediators do not return cases down"
    with desk.reading() as session:
        settle = lifecycle.available_actions(session, actor=desk.actor, case_id=mediating)[0]
    assert (settle.label, settle.hint) == ("调解成功", "须先起草书面协议或登记口头协议")
    closed = case_in(desk, "closed", level="street")
    assert codes_of(desk, closed) == [("reopen", True)]
    assert codes_of(desk, closed, pan) == []
    terminated = case_in(desk, "terminated", level="street")
    assert codes_of(desk, terminated) == [("close", True), ("add_session", True)]


def test_action_labels_and_reasons(desk):
    with desk.reading() as session:
        actions = lifecycle.available_actions(session, actor=desk.actor, case_id=register(desk))
    assert [(a.label, a.needs_reason) for a in actions] == [("受理", False), ("不予受理", True), ("上报", True), ("指派调解员", False)]


# ---------------------------------------------------------------- schema


def test_migration_0002_matches_the_models_on_sqlite(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        assert upgrade(engine) is True
        assert pending_differences(engine) == []
    finally:
        engine.dispose()


@pytest.mark.both_engines
def test_migration_0002_upgrades_a_0001_database_with_rows(blank_db_url, clock):
    engine = make_engine(blank_db_url)
    try:
        with engine.connect() as connection:
            command.upgrade(alembic_config(connection), "0001")
            connection.commit()
            connection.execute(text("INSERT INTO committee (version, name, settings, created_at) VALUES (1, 'c', '{}', '2026-01-01')"))
            connection.execute(text(
                "INSERT INTO mediator (version, committee_id, name, rank, unit, active, imported, created_at) "
                "VALUES (1, 1, '潘明杰', 'senior', 'street', true, false, '2026-01-01')"))
            connection.commit()
        with engine.connect() as connection:
            command.upgrade(alembic_config(connection), "0002")
            connection.commit()
            assert current_revision(connection) == "0002"
            assert connection.execute(text("SELECT CAST(declared_relatives AS TEXT) FROM mediator")).scalar_one() == "[]"
        upgrade(engine)  # and whatever later migrations build on it
        with session_scope(engine) as session:
            assert session.get(Mediator, 1).declared_relatives == []
        assert pending_differences(engine) == []
    finally:
        engine.dispose()
