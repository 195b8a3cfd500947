"""Column types and number allocation under concurrency on the real PostgreSQL server."""

import threading

from sqlalchemy import text

from laopan.services import numbering
from laopan.storage import session_scope
from tests.helpers.concurrency import engines, run_in_threads


def test_instants_are_timestamptz_and_come_back_aware(desk):
    with desk.reading() as session:
        kind = session.execute(
            text("SELECT data_type FROM information_schema.columns WHERE table_name='mediation_case' AND column_name='received_at'")
        ).scalar_one()
    assert kind == "timestamp with time zone"


def test_concurrent_desks_draw_unique_gapless_numbers(db_url, desk):
    """Two desks allocating at once: the row lock serialises them; no number is taken twice or skipped."""
    drawn: list[int] = []
    lock = threading.Lock()

    def desk_worker(engine):
        for _ in range(25):
            with session_scope(engine) as session:
                seq = numbering.next_seq(session, committee_id=desk.committee_id, kind=numbering.AGREEMENT, year=2026)
            with lock:
                drawn.append(seq)

    with engines(db_url, 4) as desks:
        run_in_threads(desk_worker, [(engine,) for engine in desks])
    assert sorted(drawn) == list(range(1, 101))


def test_a_case_registered_after_the_demo_gets_the_next_row_and_number(desk, clock):
    """The demo writes its rows with their ids; on PostgreSQL the id sequences must then move past them, or the
    first case a desk registers after `laopan demo` fails with a duplicate key."""
    from laopan.demo import generate_demo
    from tests.helpers.scenarios import register

    generate_demo(desk.engine, committee_id=desk.committee_id, cases=30, seed=2, clock=clock)
    with desk.reading() as session:
        last_id, last_party = session.execute(text("SELECT max(id), (SELECT max(id) FROM party) FROM mediation_case")).one()
    case_id = register(desk)
    assert case_id == last_id + 1
    with desk.reading() as session:
        assert session.execute(text("SELECT min(id) FROM party WHERE case_id = :c"), {"c": case_id}).scalar_one() == last_party + 1
