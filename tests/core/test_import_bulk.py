"""An import writes its cases in bulk (issue 10 item 6): hundreds of demo cases exported from one desk and imported
into another, across several write chunks, arrive whole — every party, agent, referral, mediator, agreement and
history row, the same search answers, one audit entry per case — and numbered in file order."""

import json

import pytest
from sqlalchemy import text

from laopan.demo import generate_demo
from laopan.desk import open_desk
from laopan.interchange.export import export_cases
from laopan.services import intake
from laopan.services.cases import CaseFilter, CaseQuery
from laopan.services.intake import import_cases
from tests.helpers.accounts import TEST_PASSWORD
from tests.helpers.databases import engine_for

TABLES = ("party", "agent", "name_gram", "name_pinyin", "police_referral", "case_mediator", "agreement", "escalation",
          "mediation_session", "police_report")
FIXED_TERMS = ("王", "zw", "物业", "东柳人调字")


def _counts(desk) -> dict[str, int]:
    with desk.reading() as session:
        return {table: session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() for table in TABLES}


def _terms(desk) -> tuple[str, ...]:
    """The fixed terms, a two-character piece of a name and a phone's last four digits from the demo's data."""
    with desk.reading() as session:
        name = session.execute(text("SELECT name FROM party WHERE kind = 'person' ORDER BY id LIMIT 1")).scalar_one()
        phone = session.execute(text("SELECT phone FROM party WHERE phone IS NOT NULL ORDER BY id LIMIT 1")).scalar_one()
    return (*FIXED_TERMS, name[:2], phone[-4:])


def _found(desk, terms) -> dict[str, list[str]]:
    """What a user searching sees: the parties of each matching case (intake numbers differ between desks)."""
    answers = {}
    with desk.reading() as session:
        for term in terms:
            rows = CaseQuery(session, actor=desk.actor, filters=CaseFilter(text=term)).page(session, limit=1000)
            answers[term] = sorted(row.parties for row in rows)
    return answers


@pytest.mark.both_engines
def test_hundreds_of_exported_cases_import_whole_across_chunks(desk, new_db_url, clock, monkeypatch):
    generate_demo(desk.engine, committee_id=desk.committee_id, cases=400, seed=11, clock=clock)
    with desk.reading() as session:
        ids = list(session.execute(text("SELECT id FROM mediation_case ORDER BY received_at, id")).scalars())
    with desk.session() as session:
        document = json.loads(json.dumps(export_cases(session, actor=desk.actor, case_ids=ids), ensure_ascii=False))
    monkeypatch.setattr(intake, "IMPORT_CHUNK", 64)  # several write chunks in the one transaction
    engine = engine_for(new_db_url())
    try:
        other = open_desk(engine=engine, login="admin", password=TEST_PASSWORD, clock=clock)
        with other.session() as session:
            report = import_cases(session, actor=other.actor, document=document)
        assert len(report.registered) == 400
        assert _counts(other) == _counts(desk)
        terms = _terms(desk)
        found = _found(other, terms)
        assert found == _found(desk, terms)
        assert all(found.values()), found
        with other.reading() as session:
            numbers = session.execute(text(
                "SELECT intake_no FROM mediation_case ORDER BY id")).scalars().all()
            audited = session.execute(text("SELECT count(*) FROM audit_entry WHERE action = 'case.register'")).scalar_one()
        assert numbers == [r.intake_no for r in report.registered]
        assert audited == 400
        # Numbered per year in file order (received order here), gapless from 1.
        by_year: dict[str, list[int]] = {}
        for number in numbers:
            by_year.setdefault(number[2:6], []).append(int(number.split("-")[1]))
        assert all(seqs == list(range(1, len(seqs) + 1)) for seqs in by_year.values())
        with other.session() as session:  # the desk goes on numbering after the import
            again = import_cases(session, actor=other.actor, document={"format": "laopan.case/1", "cases": document["cases"][:1]},
                                 on_duplicate=intake.OnDuplicate.SKIP)
        assert again.registered == [] and len(again.skipped) == 1
    finally:
        engine.dispose()
