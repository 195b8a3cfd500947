"""Desks interleaving on the same case on the real PostgreSQL server: the second save refused with the first
editor and time even when its transaction began first, and a save waiting on another desk's row lock. (The race
with one winner runs on both engines in tests/core/test_locking.py.)"""

import threading

import pytest
from sqlalchemy import text

from laopan.desk import open_desk
from tests.helpers.accounts import TEST_PASSWORD
from laopan.errors import Conflict
from laopan.models.enums import Role
from laopan.services import lifecycle
from laopan.services.cases import load_case
from laopan.storage import make_engine
from tests.helpers.scenarios import register, user

STALE = "已被 张主任 于 2026-11-27 09:15 修改，请刷新"


@pytest.fixture
def case_id(desk) -> int:
    user(desk, "zhang", Role.SUPERVISOR, "张主任")
    return register(desk)


@pytest.fixture
def zhang_desk(db_url, desk, case_id, clock):
    """张主任's desk: another engine (another process's connections) on the same database."""
    engine = make_engine(db_url)
    yield open_desk(engine=engine, login="zhang", password=TEST_PASSWORD, clock=clock)
    engine.dispose()


def test_interleaved_transactions_the_second_save_is_refused(desk, zhang_desk, case_id, clock):
    with desk.session() as mine:
        shown = load_case(mine, actor=desk.actor, case_id=case_id).version  # my screen, my open transaction
        clock.advance(minutes=15)
        with zhang_desk.session() as theirs:
            lifecycle.accept(theirs, actor=zhang_desk.actor, case_id=case_id, expected_version=shown)
        with pytest.raises(Conflict) as refused:
            lifecycle.reject(mine, actor=desk.actor, case_id=case_id, expected_version=shown, reason="不属于民间纠纷")
        assert str(refused.value) == STALE
    with desk.reading() as session:
        case = load_case(session, actor=desk.actor, case_id=case_id)
        assert (case.status, case.version, case.updated_by) == ("accepted", 2, "zhang")


def test_a_save_waits_for_the_row_lock_then_sees_the_new_version(db_url, desk, zhang_desk, case_id, clock):
    outcome: list[str] = []

    def my_save():
        try:
            with desk.session() as session:
                lifecycle.reject(session, actor=desk.actor, case_id=case_id, expected_version=1, reason="重复登记")
            outcome.append("saved")
        except Conflict as exc:
            outcome.append(str(exc))

    clock.advance(minutes=15)
    with zhang_desk.session() as theirs:
        lifecycle.accept(theirs, actor=zhang_desk.actor, case_id=case_id, expected_version=1)
        waiting = threading.Thread(target=my_save)
        waiting.start()
        assert _blocked_on_a_lock(db_url, waiting), "the second desk waits on SELECT … FOR UPDATE while the first holds the row"
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
