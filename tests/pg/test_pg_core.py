"""Migrations and services on the real PostgreSQL server."""

import json
import threading

from sqlalchemy import text

from laopan.interchange.export import export_cases
from laopan.services import numbering
from laopan.services.cases import CaseFilter, count_cases, find_case_id, list_cases
from laopan.services.intake import import_cases
from laopan.storage import make_engine, session_scope
from laopan.storage.migrate import current_revision, head_revision, pending_differences, upgrade
from tests.conftest import FIXTURES


def test_upgrade_head_on_an_empty_database_matches_the_models(pg_databases):
    engine = make_engine(pg_databases.url(pg_databases.create()))
    try:
        assert upgrade(engine) is True
        assert upgrade(engine) is False
        with engine.connect() as connection:
            assert current_revision(connection) == head_revision()
        assert pending_differences(engine) == []
    finally:
        engine.dispose()


def test_instants_are_timestamptz_and_come_back_aware(pg_desk):
    with pg_desk.reading() as session:
        kind = session.execute(
            text("SELECT data_type FROM information_schema.columns WHERE table_name='mediation_case' AND column_name='received_at'")
        ).scalar_one()
    assert kind == "timestamp with time zone"


def test_import_search_and_export_round_trip(pg_desk, pg_databases, pg_template, clock):
    document = json.loads((FIXTURES / "interchange" / "full.json").read_text(encoding="utf-8"))
    with pg_desk.session() as session:
        report = import_cases(session, actor=pg_desk.actor, document=document)
    assert [r.intake_no for r in report.registered] == ["DL2026-00001", "DL2026-00002"]
    with pg_desk.reading() as session:
        assert count_cases(session, actor=pg_desk.actor) == 2
        assert [row.intake_no for row in list_cases(session, actor=pg_desk.actor, filters=CaseFilter(text="张"))] == ["DL2026-00001"]
        assert [row.intake_no for row in list_cases(session, actor=pg_desk.actor, filters=CaseFilter(text="5678"))] == ["DL2026-00001"]
        assert [row.intake_no for row in list_cases(session, actor=pg_desk.actor, filters=CaseFilter(text="幸福物业"))] == ["DL2026-00002"]
    with pg_desk.session() as session:
        ids = [find_case_id(session, actor=pg_desk.actor, intake_no=r.intake_no) for r in report.registered]
        exported = export_cases(session, actor=pg_desk.actor, case_ids=ids)

    from laopan.desk import open_desk

    other = make_engine(pg_databases.url(pg_databases.create(template=pg_template)))
    try:
        second = open_desk(engine=other, login="admin", clock=clock)
        with second.session() as session:
            again = import_cases(session, actor=second.actor, document=exported)
            ids2 = [find_case_id(session, actor=second.actor, intake_no=r.intake_no) for r in again.registered]
            assert export_cases(session, actor=second.actor, case_ids=ids2) == exported
    finally:
        other.dispose()


def test_concurrent_desks_draw_unique_gapless_numbers(pg_url, pg_desk):
    """Two desks allocating at once: the row lock serialises them; no number is taken twice or skipped."""
    engines = [make_engine(pg_url) for _ in range(4)]
    drawn: list[int] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def desk_worker(engine):
        try:
            for _ in range(25):
                with session_scope(engine) as session:
                    seq = numbering.next_seq(session, committee_id=pg_desk.committee_id, kind=numbering.AGREEMENT, year=2026)
                with lock:
                    drawn.append(seq)
        except BaseException as exc:  # reported below, never swallowed
            errors.append(exc)

    threads = [threading.Thread(target=desk_worker, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for engine in engines:
        engine.dispose()
    assert errors == []
    assert sorted(drawn) == list(range(1, 101))
