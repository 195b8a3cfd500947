"""Proof with real processes on the real PostgreSQL server (issue 11 item 7): two desk processes save the same
cases from the same version — one save wins, the other is refused, nothing is silently overwritten — and two
desk processes finalising agreements at once get unique, gapless numbers.

test_pg_workflow.py and test_pg_agreements.py prove the same with threads in one process (engines of their own);
this runs each desk as an OS process (forked), so nothing is shared but the server: no GIL, no shared pool."""

import multiprocessing
import os

import pytest

from laopan.desk import open_desk
from tests.helpers.accounts import TEST_PASSWORD
from laopan.errors import Conflict
from laopan.models.enums import Role
from laopan.services import agreements, lifecycle
from laopan.services.cases import load_case
from laopan.storage import make_engine
from tests.helpers.scenarios import DRAFT, mediating_case, register, user

FORK = multiprocessing.get_context("fork")


def _desk_process(url, login, clock, work, results, *args) -> None:
    """The body of one desk process: its own engine on `url`, its own user, `work(desk, *args)` → results."""
    engine = make_engine(url)
    try:
        desk = open_desk(engine=engine, login=login, password=TEST_PASSWORD, clock=clock)
        work(desk, results, *args)
    except BaseException as exc:  # reported to the test, never lost in the child
        results.put(("error", login, repr(exc)))
    finally:
        engine.dispose()


def _run(url, clock, processes) -> list[tuple]:
    results = FORK.Queue()
    started = [FORK.Process(target=_desk_process, args=(url, login, clock, work, results, *args)) for login, work, args in processes]
    for process in started:
        process.start()
    for process in started:
        process.join(60)
        assert process.exitcode == 0, f"desk process {process.pid} ended with {process.exitcode}"
    out = []
    while not results.empty():
        out.append(results.get())
    errors = [r for r in out if r[0] == "error"]
    assert not errors, errors
    return out


def _save_each_from_version_one(desk, results, case_ids, barrier, verb) -> None:
    for case_id in case_ids:
        barrier.wait(30)  # both desks hold version 1 of this case on screen and press save together
        try:
            with desk.session() as session:
                if verb == "accept":
                    lifecycle.accept(session, actor=desk.actor, case_id=case_id, expected_version=1)
                else:
                    lifecycle.reject(session, actor=desk.actor, case_id=case_id, expected_version=1, reason="重复登记")
            results.put(("saved", case_id, desk.actor.login))
        except Conflict:
            results.put(("refused", case_id, desk.actor.login))


@pytest.mark.slow
def test_two_desk_processes_saving_the_same_cases_one_wins_nothing_is_lost(db_url, desk, clock):
    user(desk, "zhang", Role.SUPERVISOR, "张主任")
    case_ids = [register(desk) for _ in range(8)]
    barrier = FORK.Barrier(2)
    out = _run(db_url, clock, [
        ("admin", _save_each_from_version_one, (case_ids, barrier, "accept")),
        ("zhang", _save_each_from_version_one, (case_ids, barrier, "reject")),
    ])
    for case_id in case_ids:
        outcomes = sorted((kind, login) for kind, cid, login in out if cid == case_id)
        assert [kind for kind, _ in outcomes] == ["refused", "saved"], (case_id, outcomes)
        winner = next(login for kind, login in outcomes if kind == "saved")
        with desk.reading() as session:
            case = load_case(session, actor=desk.actor, case_id=case_id)
            saved = (case.status, case.version, case.updated_by)
        # The database holds exactly the winner's save, once: no lost update, no double apply.
        assert saved == ("accepted" if winner == "admin" else "rejected", 2, winner)


def _finalise(desk, results, case_ids) -> None:
    for case_id in case_ids:
        with desk.session() as session:
            number = agreements.finalise(session, actor=desk.actor, case_id=case_id, expected_version=None).number
        results.put(("number", number, os.getpid()))


@pytest.mark.slow
def test_two_desk_processes_finalising_get_unique_gapless_agreement_numbers(db_url, desk, clock):
    case_ids = [mediating_case(desk) for _ in range(16)]
    with desk.session() as session:
        for case_id in case_ids:
            agreements.save_draft(session, actor=desk.actor, case_id=case_id, draft=DRAFT, expected_version=None)
    out = _run(db_url, clock, [("admin", _finalise, (case_ids[0::2],)), ("admin", _finalise, (case_ids[1::2],))])
    numbers = [number for _, number, _ in out]
    assert sorted(numbers) == [f"（2026）东柳人调字第{n:03d}号" for n in range(1, 17)]
    assert len({pid for _, _, pid in out}) == 2, "both processes finalised"
