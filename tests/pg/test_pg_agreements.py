"""Two desks finalising agreements at once on the real PostgreSQL get unique, gapless numbers."""

import threading

from laopan.desk import open_desk
from laopan.services import agreements
from laopan.services.intake import register_case
from laopan.storage import make_engine
from tests.core.test_agreements import DRAFT, PARTIES


def test_concurrent_desks_finalise_with_unique_gapless_numbers(pg_url, pg_desk, clock):
    case_ids = []
    with pg_desk.session() as session:
        for _ in range(12):
            case_id = register_case(session, actor=pg_desk.actor, data={
                "source": "party_application", "dispute_type": "neighbour", "level": "grid", "community": "华光城",
                "summary": "楼上漏水致楼下吊顶受损。", "parties": PARTIES, "status": "mediating"}).id
            agreements.save_draft(session, actor=pg_desk.actor, case_id=case_id, draft=DRAFT, expected_version=None)
            case_ids.append(case_id)
    engines = [make_engine(pg_url) for _ in range(3)]
    desks = [open_desk(engine=engine, login="admin", clock=clock) for engine in engines]
    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def desk_worker(desk, mine):
        try:
            for case_id in mine:
                with desk.session() as session:
                    number = agreements.finalise(session, actor=desk.actor, case_id=case_id, expected_version=None).number
                with lock:
                    numbers.append(number)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=desk_worker, args=(desk, case_ids[i::3])) for i, desk in enumerate(desks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for engine in engines:
        engine.dispose()
    assert errors == []
    assert sorted(numbers) == [f"（2026）东柳人调字第{n:03d}号" for n in range(1, 13)]
