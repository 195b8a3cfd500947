"""The search indexes lead with the committee (migration 0013, issue 16 item 4): in a district, one committee's
name, pinyin and number ranges hold its own entries only, and a database migrated from 0012 has them filled."""

import pytest
from alembic import command
from sqlalchemy import text

from laopan.models import Community
from laopan.services import corrections
from laopan.services.cases import CaseFilter, list_cases
from laopan.services.committee import init_committee
from laopan.services.intake import register_case
from laopan.services.users import actor_for
from laopan.storage.migrate import _foreign_keys_deferred, alembic_config, upgrade
from tests.helpers.scenarios import ZHANG_ID, case_data, register, version

# a name, its first character, pinyin, a phone tail, an ID tail and start, the agent 张强's phone tail
QUERIES = ("张伟", "张", "zw", "zhangwei", "5678", ZHANG_ID[-4:], ZHANG_ID[:8], "李秀英", "01111")


def _found(desk, actor, typed: str) -> list[int]:
    with desk.reading() as session:
        return sorted(row.id for row in list_cases(session, actor=actor, filters=CaseFilter(text=typed)))


@pytest.fixture
def district(desk, clock):
    """东柳 and 西柳 on one database, each with a case between the same two people (张伟 moved streets)."""
    with desk.session() as session:
        other = init_committee(session, name="西柳街道人民调解委员会", admin_login="xiliu", clock=clock)
        session.add(Community(committee_id=other.id, name="华光城", sort_order=0))
        session.flush()
        xiliu = actor_for(session, committee_id=other.id, login="xiliu", clock=clock)
    ours = register(desk)
    with desk.session() as session:
        theirs = register_case(session, actor=xiliu, data=case_data(grid=None)).id
    return ours, theirs, xiliu


def _committees_in(desk, table: str, case_id: int) -> set[int]:
    rows = (f"SELECT DISTINCT committee_id FROM {table} WHERE case_id = :c" if table != "agent" else
            "SELECT DISTINCT a.committee_id FROM agent a JOIN party p ON p.id = a.party_id WHERE p.case_id = :c")
    with desk.reading() as session:
        return set(session.execute(text(rows), {"c": case_id}).scalars())


TABLES = ("party", "agent", "name_gram", "name_pinyin")


@pytest.mark.both_engines
def test_each_committee_finds_its_own_case_through_its_own_keys(desk, district):
    ours, theirs, xiliu = district
    for typed in QUERIES:
        assert _found(desk, desk.actor, typed) == [ours], typed
        assert _found(desk, xiliu, typed) == [theirs], typed
    for table in TABLES:
        assert _committees_in(desk, table, ours) == {desk.committee_id}, table
        assert _committees_in(desk, table, theirs) == {xiliu.committee_id}, table


@pytest.mark.both_engines
def test_migration_0013_keys_an_existing_districts_indexes(desk, district):
    ours, theirs, xiliu = district
    with desk.engine.connect() as connection, _foreign_keys_deferred(connection):
        # As the desk upgrades (laopan.storage.migrate.upgrade): on SQLite, rebuilding the party table with its
        # foreign keys checked would cascade to the agents.
        command.downgrade(alembic_config(connection), "0012")
        connection.commit()
    with desk.reading() as session:
        columns = {row[0] for row in session.execute(text("SELECT * FROM name_gram")).cursor.description}
    assert "committee_id" not in columns  # the downgrade really went back
    assert upgrade(desk.engine) is True
    for typed in QUERIES:
        assert _found(desk, desk.actor, typed) == [ours], typed
        assert _found(desk, xiliu, typed) == [theirs], typed
    for table in TABLES:
        assert _committees_in(desk, table, theirs) == {xiliu.committee_id}, table


def test_a_renamed_or_added_party_is_found_under_its_own_committee(desk, district):
    ours, theirs, xiliu = district
    with desk.reading() as session:
        party_id = corrections.find_party(session, actor=xiliu, case_id=theirs, ref="李秀英")
    with desk.session() as session:
        corrections.update_party(session, actor=xiliu, case_id=theirs, party_id=party_id, expected_version=version(desk, theirs),
                                 values={"name": "王秀英", "phone": "13900002222",
                                         "agent": {"name": "王强", "relation": "兄弟", "phone": "13700004444"}})
    with desk.session() as session:
        corrections.add_party(session, actor=xiliu, case_id=theirs, expected_version=version(desk, theirs),
                              party={"role": "respondent", "name": "曾小贤", "phone": "13600003333",
                                     "agent": {"name": "胡一菲", "relation": "朋友", "phone": "13500005555"}})
    for typed in ("王秀英", "wxy", "2222", "4444", "曾小贤", "zengxiaoxian", "3333", "5555"):
        assert _found(desk, xiliu, typed) == [theirs], typed
        assert _found(desk, desk.actor, typed) == [], typed
    assert _found(desk, desk.actor, "李秀英") == [ours]
    for table in TABLES:
        assert _committees_in(desk, table, theirs) == {xiliu.committee_id}, table
