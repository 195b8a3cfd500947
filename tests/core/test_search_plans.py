"""Search that stays quick whatever it matches (issue 16): a frequent term is walked newest-first and gives the
same page as the index-first plan; counts stop at 1,000+ unless asked; keyset paging reads a long list exactly as
OFFSET does; the dictionaries and settings are read once and re-read after a dictionary edit."""

import pytest
from sqlalchemy import select, text

from laopan.demo import generate_demo
from laopan.models import Case
from laopan.services import search as search_module
from laopan.services.cases import COUNT_CAP, CaseFilter, CaseQuery, PageKey
from laopan.services.dictionaries import add_entry


@pytest.fixture
def big(desk, clock):
    generate_demo(desk.engine, committee_id=desk.committee_id, cases=5000, seed=3, clock=clock)
    return desk


def _query(desk, session, **filters) -> CaseQuery:
    return CaseQuery(session, actor=desk.actor, filters=CaseFilter(**filters))


def _frequent_surname(session) -> str:
    return session.execute(text(
        "SELECT gram FROM name_gram WHERE length(gram) = 1 GROUP BY gram ORDER BY count(*) DESC LIMIT 1"
    )).scalar_one()


def test_the_count_stops_at_the_cap_unless_asked_for_exactly(big):
    with big.reading() as session:
        query = _query(big, session)
        assert query.count(session, limit=COUNT_CAP + 1) == COUNT_CAP + 1  # the window says "1,000+ 件"
        assert query.count(session) == 5000
        few = _query(big, session, status="closed")
        exact = few.count(session)
        assert few.count(session, limit=exact + 10) == exact  # under the cap the capped count is the count


def test_a_frequent_name_is_walked_newest_first_and_finds_what_the_index_plan_finds(big, monkeypatch):
    monkeypatch.setattr(search_module, "FREQUENT", 100)  # 5,000 cases: the top surname is "frequent" at 100
    with big.reading() as session:
        surname = _frequent_surname(session)
        walked = _query(big, session, text=surname)
        assert "EXISTS" in str(walked.where)
    monkeypatch.setattr(search_module, "FREQUENT", 10**9)  # never frequent: the index-first plan
    with big.reading() as session:
        indexed = _query(big, session, text=surname)
        assert "EXISTS" not in str(indexed.where)
        assert walked.page(session, limit=100) == indexed.page(session, limit=100)
        assert walked.count(session, limit=COUNT_CAP + 1) == indexed.count(session, limit=COUNT_CAP + 1)
        assert walked.count(session) == indexed.count(session)


def test_frequent_digits_and_intake_prefixes_walk_and_agree_with_the_index_plan(big, monkeypatch):
    monkeypatch.setattr(search_module, "FREQUENT", 20)
    with big.reading() as session:
        intake = session.execute(text("SELECT intake_no FROM mediation_case ORDER BY id DESC LIMIT 1")).scalar_one()
        terms = [intake[:6], "1", "330", "调字", "物业"]
        plans = {term: _query(big, session, text=term) for term in terms}
        assert all("EXISTS" in str(plan.where) for plan in plans.values())
        walked = {term: plan.page(session, limit=50) for term, plan in plans.items()}
    monkeypatch.setattr(search_module, "FREQUENT", 10**9)
    with big.reading() as session:
        for term in terms:
            assert walked[term] == _query(big, session, text=term).page(session, limit=50), term
            assert walked[term], term


def test_keyset_paging_through_the_end_of_a_long_list_equals_offset_paging(big):
    with big.reading() as session:
        query = _query(big, session)
        by_offset, offset = [], 0
        while page := query.page(session, offset=offset, limit=700):
            by_offset += page
            offset += 700
        by_key, after = [], None
        while page := query.page(session, after=after, limit=700):
            by_key += page
            after = PageKey(page[-1].received_at, page[-1].id)
    assert len(by_key) == 5000
    assert [row.id for row in by_key] == [row.id for row in by_offset]


def test_dictionaries_are_read_once_and_again_after_a_dictionary_edit(desk):
    statements = []

    def count(_conn, _cursor, statement, *_args):
        if "FROM community" in statement:
            statements.append(statement)

    from sqlalchemy import event

    event.listen(desk.engine, "before_cursor_execute", count)
    try:
        with desk.reading() as session:
            _query(desk, session)
        with desk.reading() as session:
            _query(desk, session)
        assert len(statements) <= 1  # the second question reuses the first one's reading
        with desk.session() as session:
            add_entry(session, actor=desk.actor, kind="community", name="新建社区")
        with desk.reading() as session:
            assert "新建社区" in _query(desk, session).dicts.communities
    finally:
        event.remove(desk.engine, "before_cursor_execute", count)


def test_a_pinyin_query_no_name_spells_walks_only_the_pinyin_index(big, monkeypatch):
    """`zw` is the start of 张伟's pinyin and no party's name in letters: the walk tests one index per case, and
    the page is still the one the index-first plan gives."""
    monkeypatch.setattr(search_module, "FREQUENT", 5)
    with big.reading() as session:
        walked = _query(big, session, text="zw")
        assert "name_pinyin" in str(walked.where) and "name_gram" not in str(walked.where)
        page = walked.page(session, limit=50)
    monkeypatch.setattr(search_module, "FREQUENT", 10**9)
    with big.reading() as session:
        assert page and page == _query(big, session, text="zw").page(session, limit=50)


def test_in_a_district_a_term_is_counted_in_this_committees_own_index_range(desk, clock, monkeypatch):
    """A surname common across a district of a small committee and a big one is rare within the small one: its
    index range holds the small committee's entries only (migration 0013), so the list reads it index-first
    (walking would pass most of its cases) and the count that decides reads no other committee's entries."""
    from laopan.models import Community
    from laopan.services.committee import init_committee

    with desk.session() as session:
        other = init_committee(session, name="白鹤街道人民调解委员会", admin_login="baihe", clock=clock).id
        session.add(Community(committee_id=other, name="白鹤社区", sort_order=0))
    generate_demo(desk.engine, committee_id=desk.committee_id, cases=200, seed=5, clock=clock)
    generate_demo(desk.engine, committee_id=other, cases=1800, seed=6, clock=clock)
    with desk.reading() as session:
        surname = _frequent_surname(session)
        entries = session.execute(text("SELECT count(*) FROM name_gram WHERE gram = :g"), {"g": surname}).scalar_one()
        own = session.execute(text("SELECT count(*) FROM name_gram g JOIN mediation_case c ON c.id = g.case_id "
                                   "WHERE g.gram = :g AND c.committee_id = :c"), {"g": surname, "c": desk.committee_id}).scalar_one()
    frequent = (own + entries) // 2  # more than this committee has, fewer than the district has
    assert own < frequent <= entries
    monkeypatch.setattr(search_module, "FREQUENT", frequent)
    with desk.reading() as session:
        planned = _query(desk, session, text=surname)
        assert "EXISTS" not in str(planned.where), "index-first: the committee holds ~10% of the district's entries"
        page = planned.page(session, limit=100)
        if session.get_bind().dialect.name == "sqlite":  # the range is (committee, gram): ours alone
            ids = planned.search.sources[0].ids()
            sql = str(ids.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))
            steps = [row[3] for row in session.execute(text("EXPLAIN QUERY PLAN " + sql))]
            assert any("committee_id=? AND gram=?" in step for step in steps), steps
    monkeypatch.setattr(search_module, "FREQUENT", 1)
    with desk.reading() as session:
        assert _query(desk, session, text=surname).page(session, limit=100) == page  # the walk finds the same
    assert page


def test_a_digit_walk_checks_each_cases_own_agents(big, monkeypatch):
    """Walking newest-first, an agent's phone is checked through the case's own parties (their agent, by party
    id), never by running through every agent whose phone matches at each case: SQLite did that for "1" (4,015
    agents at 100k cases, 1.3 s for that part alone)."""
    monkeypatch.setattr(search_module, "FREQUENT", 1)
    with big.reading() as session:
        if session.get_bind().dialect.name != "sqlite":
            pytest.skip("SQLite's plan; PostgreSQL's are in tests/pg/test_pg_search_plans.py")
        query = _query(big, session, text="1")
        statement = select(Case.id).where(query.where).order_by(Case.received_at.desc(), Case.id.desc()).limit(100)
        sql = str(statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))
        steps = [row[3] for row in session.execute(text("EXPLAIN QUERY PLAN " + sql))]
    assert any("agent" in step and "party_id=?" in step for step in steps), steps
    assert not any("LIST SUBQUERY" in step for step in steps), steps


def test_a_terms_sql_is_built_once_and_kept_per_committee_and_engine():
    """The list asks for a term's page, count and further blocks, each a new CaseQuery: the expressions (2–3 ms
    for a name or pinyin term) are built once. Up to three digits read the committee's agreement numbering and
    are built each time."""
    from laopan.services.search import parse_search

    first = parse_search("张伟", committee_id=1)
    assert parse_search(" 张伟 ", committee_id=1) is first
    assert parse_search("张伟", committee_id=2) is not first
    assert parse_search("张伟", committee_id=1, postgresql=True) is not first
    numbered = parse_search("87", lambda seq: Case.id == seq, committee_id=1)
    assert parse_search("87", lambda seq: Case.id == seq, committee_id=1) is not numbered


def test_what_is_overdue_is_read_from_the_open_cases_only_even_after_analyze(big):
    """The status bar's count and the 工作台's lists read the open cases by (committee, status, due date): an index
    on the date alone read every closed case with a deadline too (97% of a 100k street, 48–113 ms), and SQLite
    chose it once ANALYZE had run."""
    from sqlalchemy import event

    from laopan.models.enums import CaseStatus
    from laopan.services.due import overdue_count

    seen: list[tuple[str, tuple]] = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        if "due_on" in statement and "FROM mediation_case" in statement:
            seen.append((statement, parameters))

    with big.reading() as session:
        if session.get_bind().dialect.name != "sqlite":
            pytest.skip("SQLite's plan")
        session.execute(text("ANALYZE"))
        closed_with_deadline = session.execute(select(Case.id).where(
            Case.status == CaseStatus.CLOSED.value, Case.due_on.is_not(None)).limit(1)).first()
        assert closed_with_deadline, "the demo must have closed cases with deadlines for this to test anything"
        event.listen(session.get_bind(), "before_cursor_execute", keep)
        try:
            counted = overdue_count(session, actor=big.actor)
        finally:
            event.remove(session.get_bind(), "before_cursor_execute", keep)
        today = big.actor.today("Asia/Shanghai")
        expected = session.execute(select(Case.id).where(
            Case.status.in_(("accepted", "mediating")), Case.due_on < today)).all()
        assert counted == len(expected)
        (statement, parameters), = seen
        steps = [row[3] for row in session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
    assert any("ix_case_committee_status_due" in step for step in steps), steps


def test_migration_0014_keeps_an_analysed_desks_list_on_its_newest_first_index(big):
    """A desk with statistics (sqlite_stat1) that upgrades to 0014 gets the new index's statistics too: without
    them the planner took (committee, status, due_on) for the whole list and sorted every case (220 ms for the
    window's first page on the 100k desk, against 17)."""
    from alembic import command

    from laopan.storage.migrate import _foreign_keys_deferred, alembic_config, upgrade

    with big.engine.connect() as connection:
        if connection.dialect.name != "sqlite":
            pytest.skip("SQLite's statistics")
        connection.exec_driver_sql("ANALYZE")
        connection.commit()
        with _foreign_keys_deferred(connection):
            command.downgrade(alembic_config(connection), "0013")
            connection.commit()
        assert connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'ix_case_committee_due'").first()
    assert upgrade(big.engine) is True
    with big.reading() as session:
        analysed = {row[0] for row in session.execute(text("SELECT idx FROM sqlite_stat1 WHERE tbl = 'mediation_case'"))}
        assert "ix_case_committee_status_due" in analysed and "ix_case_committee_due" not in analysed
        query = _query(big, session)
        statement = select(Case.id).where(query.where).order_by(Case.received_at.desc(), Case.id.desc()).limit(200)
        sql = str(statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))
        steps = [row[3] for row in session.execute(text("EXPLAIN QUERY PLAN " + sql))]
    assert any("ix_case_committee_received" in step for step in steps), steps
    assert not any("TEMP B-TREE" in step for step in steps), steps
