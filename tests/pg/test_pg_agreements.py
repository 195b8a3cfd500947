"""Two desks finalising agreements at once on the real PostgreSQL get unique, gapless numbers."""

import threading

from laopan.desk import open_desk
from tests.helpers.accounts import TEST_PASSWORD
from laopan.services import agreements
from tests.helpers.concurrency import engines, run_in_threads
from tests.helpers.scenarios import DRAFT, mediating_case


def test_concurrent_desks_finalise_with_unique_gapless_numbers(db_url, desk, clock):
    case_ids = [mediating_case(desk) for _ in range(12)]
    with desk.session() as session:
        for case_id in case_ids:
            agreements.save_draft(session, actor=desk.actor, case_id=case_id, draft=DRAFT, expected_version=None)
    numbers: list[str] = []
    lock = threading.Lock()

    def desk_worker(engine, mine):
        desk = open_desk(engine=engine, login="admin", password=TEST_PASSWORD, clock=clock)
        for case_id in mine:
            with desk.session() as session:
                number = agreements.finalise(session, actor=desk.actor, case_id=case_id, expected_version=None).number
            with lock:
                numbers.append(number)

    with engines(db_url, 3) as desks:
        run_in_threads(desk_worker, [(engine, case_ids[i::3]) for i, engine in enumerate(desks)])
    assert sorted(numbers) == [f"（2026）东柳人调字第{n:03d}号" for n in range(1, 13)]
