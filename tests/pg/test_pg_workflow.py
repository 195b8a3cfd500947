"""The workflow on the real PostgreSQL server: migration 0002, desks interleaving on the same case (the second
save refused with the first editor and time), a save waiting on another desk's row lock, and a race with one
winner."""

import threading

import pytest
from alembic import command
from sqlalchemy import text

from laopan.desk import open_desk
from laopan.errors import Conflict
from laopan.models.enums import MediatorUnit, Role
from laopan.services import assignment, lifecycle
from laopan.services.cases import load_case
from laopan.services.intake import register_case
from laopan.services.mediators import add_mediator
from laopan.services.users import add_user
from laopan.storage import make_engine
from laopan.storage.migrate import alembic_config, current_revision, head_revision, pending_differences, upgrade

CASE = {
    "received_at": "2026-11-20T10:00:00+08:00", "source": "party_application", "dispute_type": "neighbour", "level": "grid",
    "community": "华光城", "grid": "华光城第3网格", "summary": "楼上漏水致楼下吊顶受损。",
    "parties": [{"role": "applicant", "name": "张伟", "address": "宁波市鄞州区东柳街道华光城12幢2单元301室"},
                {"role": "respondent", "name": "李秀英"}],
}
STALE = "已被 张主任 于 2026-11-27 09:15 修改，请刷新"


def test_migration_0002_applies_and_matches_the_models(pg_databases):
    engine = make_engine(pg_databases.url(pg_databases.create()))
    try:
        with engine.connect() as connection:
            command.upgrade(alembic_config(connection), "0001")
            connection.commit()
            connection.execute(text("INSERT INTO committee (version, name, settings, created_at) VALUES (1, 'c', '{}', now())"))
            connection.execute(text(
                "INSERT INTO mediator (version, committee_id, name, rank, unit, active, imported, created_at) "
                "VALUES (1, 1, '潘明杰', 'senior', 'street', true, false, now())"))
            connection.commit()
        with engine.connect() as connection:
            command.upgrade(alembic_config(connection), "0002")
            connection.commit()
            assert current_revision(connection) == "0002"
            assert connection.execute(text("SELECT declared_relatives::text FROM mediator")).scalar_one() == "[]"
            connection.commit()
        upgrade(engine)  # and whatever later migrations build on it
        with engine.connect() as connection:
            assert current_revision(connection) == head_revision()
        assert pending_differences(engine) == []
    finally:
        engine.dispose()


@pytest.fixture
def case_id(pg_desk) -> int:
    with pg_desk.session() as session:
        add_user(session, actor=pg_desk.actor, login="zhang", display_name="张主任", role=Role.SUPERVISOR)
        return register_case(session, actor=pg_desk.actor, data=CASE).id


@pytest.fixture
def zhang_desk(pg_url, pg_desk, case_id, clock):
    """张主任's desk: another engine (another process's connections) on the same database."""
    engine = make_engine(pg_url)
    yield open_desk(engine=engine, login="zhang", clock=clock)
    engine.dispose()


def test_interleaved_transactions_the_second_save_is_refused(pg_desk, zhang_desk, case_id, clock):
    with pg_desk.session() as mine:
        shown = load_case(mine, actor=pg_desk.actor, case_id=case_id).version  # my screen, my open transaction
        clock.advance(minutes=15)
        with zhang_desk.session() as theirs:
            lifecycle.accept(theirs, actor=zhang_desk.actor, case_id=case_id, expected_version=shown)
        with pytest.raises(Conflict) as refused:
            lifecycle.reject(mine, actor=pg_desk.actor, case_id=case_id, expected_version=shown, reason="不属于民间纠纷")
        assert str(refused.value) == STALE
    with pg_desk.reading() as session:
        case = load_case(session, actor=pg_desk.actor, case_id=case_id)
        assert (case.status, case.version, case.updated_by) == ("accepted", 2, "zhang")


def test_a_save_waits_for_the_row_lock_then_sees_the_new_version(pg_url, pg_desk, zhang_desk, case_id, clock):
    outcome: list[str] = []

    def my_save():
        try:
            with pg_desk.session() as session:
                lifecycle.reject(session, actor=pg_desk.actor, case_id=case_id, expected_version=1, reason="重复登记")
            outcome.append("saved")
        except Conflict as exc:
            outcome.append(str(exc))

    clock.advance(minutes=15)
    with zhang_desk.session() as theirs:
        lifecycle.accept(theirs, actor=zhang_desk.actor, case_id=case_id, expected_version=1)
        waiting = threading.Thread(target=my_save)
        waiting.start()
        assert _blocked_on_a_lock(pg_url, waiting), "the second desk waits on SELECT … FOR UPDATE while the first holds the row"
    waiting.join(timeout=30)
    assert outcome == [STALE]


def _blocked_on_a_lock(url: str, thread: threading.Thread) -> bool:
    """Whether some backend of this database is seen waiting for a lock while `thread` runs (polled up to ~10 s)."""
    probe = make_engine(url)
    try:
        with probe.connect() as connection:
            for _ in range(100):
                waiting = connection.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )).scalar_one()
                connection.rollback()
                if waiting:
                    return True
                thread.join(timeout=0.1)
                if not thread.is_alive():
                    return False
        return False
    finally:
        probe.dispose()


def test_desks_racing_to_move_the_same_case_exactly_one_wins(pg_url, pg_desk, case_id, clock):
    engines = [make_engine(pg_url) for _ in range(6)]
    barrier = threading.Barrier(len(engines))
    outcomes: list[str] = []
    lock = threading.Lock()

    def race(index, engine):
        desk = open_desk(engine=engine, login="admin", clock=clock)
        barrier.wait()
        try:
            with desk.session() as session:
                if index % 2:
                    lifecycle.accept(session, actor=desk.actor, case_id=case_id, expected_version=1)
                else:
                    lifecycle.reject(session, actor=desk.actor, case_id=case_id, expected_version=1, reason="重复")
            result = "won"
        except Conflict as exc:
            result = str(exc)
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=race, args=(i, e)) for i, e in enumerate(engines)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for engine in engines:
        engine.dispose()
    assert outcomes.count("won") == 1
    assert sorted(set(outcomes) - {"won"}) == ["已被 管理员 于 2026-11-27 09:00 修改，请刷新"]
    with pg_desk.reading() as session:
        assert load_case(session, actor=pg_desk.actor, case_id=case_id).version == 2


def test_escalation_and_recusal_on_postgresql(pg_desk, case_id):
    with pg_desk.session() as session:
        neighbour = add_mediator(session, actor=pg_desk.actor, name="潘邻居", unit=MediatorUnit.COMMUNITY, community="华光城",
                                 address="华光城12栋").id
    with pg_desk.session() as session:
        change = lifecycle.escalate(session, actor=pg_desk.actor, case_id=case_id, expected_version=1, reason="网格调解未果",
                                    to_mediator_id=neighbour, recusal=assignment.RecusalChoice("kept", "双方同意"))
    assert (change.level, change.lead_name, change.version) == ("community", "潘邻居", 2)
    with pg_desk.reading() as session:
        assert [m.kind for m in assignment.recusal_matches(session, actor=pg_desk.actor, case_id=case_id, mediator_id=neighbour)] == [
            "same_building"]
