"""PostgreSQL answers every search kind from an index (issue 16): with sequential scans priced out
(`enable_seqscan = off`), a plan that still scans mediation_case or party has no index to use — a regression.

And each plan is the one chosen for it: the newest-first walk probes each case it passes (a hashed subplan would
read the term's whole index range first: 65 ms for 330212 at 100k), and the index-first plan is driven by the
matches (a subplan filtering a walk over every case read 19,000 cases for 138's 495 matches), one index range at
a time."""

import pytest
from sqlalchemy import select, text

from laopan.demo import generate_demo
from laopan.models import Case
from laopan.services import search as search_module
from laopan.services.cases import CaseFilter, CaseQuery

TERMS = ("王", "物业", "许燕慧", "330212", "138", "7837", "DL2026", "JQ2026", "东柳人调字")


@pytest.mark.parametrize("frequent", [False, True], ids=["index-first", "newest-first walk"])
def test_every_search_kind_uses_indexes_on_postgresql(desk, clock, monkeypatch, frequent):
    generate_demo(desk.engine, committee_id=desk.committee_id, cases=300, seed=4, clock=clock)
    monkeypatch.setattr(search_module, "FREQUENT", 1 if frequent else 10**9)
    with desk.reading() as session:
        session.execute(text("ANALYZE"))
        session.execute(text("SET LOCAL enable_seqscan = off"))
        for term in TERMS:
            query = CaseQuery(session, actor=desk.actor, filters=CaseFilter(text=term))
            statement = select(Case.id).where(query.where).order_by(Case.received_at.desc(), Case.id.desc()).limit(100)
            sql = str(statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))
            plan = "\n".join(row[0] for row in session.execute(text("EXPLAIN " + sql)))
            for table in ("mediation_case", "party"):
                assert f"Seq Scan on {table}" not in plan, f"{term}:\n{plan}"
            if frequent:
                assert "hashed SubPlan" not in plan, f"{term}:\n{plan}"
            else:
                assert "SubPlan" not in plan, f"{term}:\n{plan}"
                # Each index range is its own scan, which can answer from the index alone (committee, number,
                # case); an OR of them is a BitmapOr that reads the table (437 heap blocks for 138 in a district).
                assert "BitmapOr" not in plan, f"{term}:\n{plan}"
