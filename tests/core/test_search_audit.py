"""A search by a whole ID or phone number confirms that a person has a case here: it is audited as a reveal
(`case.search_reveal`), with the term masked in the entry; a partial number is an ordinary search."""

import pytest
from sqlalchemy import select

from laopan.models import AuditEntry
from laopan.services.search_audit import revealing_term
from tests.helpers.scenarios import ZHANG_ID, register


def _search_entries(desk) -> list[AuditEntry]:
    with desk.session() as session:
        return list(session.execute(select(AuditEntry).where(AuditEntry.action == "case.search_reveal")).scalars())


@pytest.mark.parametrize(("text", "masked"), [
    ("330212197803010013", "**************0013（1978年生）"),
    (" 11010519491231002x ", "**************002X（1949年生）"),
    ("13812345678", "*******5678"),
    ("138 1234 5678", "*******5678"),
    ("0574-87654321", "********4321"),
    ("0013", None), ("5678", None), ("张伟", None), ("DL2026-00001", None), ("3302121978", None), ("", None),
])
def test_which_searches_reveal(text, masked):
    assert revealing_term(text) == masked


@pytest.mark.both_engines
def test_a_search_by_a_whole_id_number_is_audited_masked(cli, desk):
    register(desk)
    code, out, _ = cli("cases", "--search", ZHANG_ID)
    assert code == 0 and "张伟" in out
    [entry] = _search_entries(desk)
    assert (entry.login, entry.changes) == ("admin", {"term": "**************0013（1978年生）"})
    assert ZHANG_ID not in str(entry.changes) and ZHANG_ID not in (entry.note or "")


def test_a_search_by_a_phone_tail_is_not_audited(cli, desk):
    register(desk)
    code, out, _ = cli("cases", "--search", "5678")
    assert code == 0 and "张伟" in out
    assert _search_entries(desk) == []
