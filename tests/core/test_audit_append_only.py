"""The audit table is append-only in the database itself (migration 0011): a row can be added, never changed or
removed, on either engine — whoever holds the file or the app role's credentials."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from laopan.models.audit import AuditEntry


def _first_entry_id(desk) -> int:
    with desk.session() as session:
        session.add(AuditEntry(committee_id=desk.actor.committee_id, at=desk.actor.clock.now(), login="admin",
                               action="case.update", entity="case", entity_id=1, changes={"summary": ["甲", "乙"]}))
        session.commit()
        return session.execute(text("SELECT max(id) FROM audit_entry")).scalar_one()


@pytest.mark.both_engines
@pytest.mark.parametrize("statement", [
    "UPDATE audit_entry SET login = 'someone' WHERE id = :id",
    "DELETE FROM audit_entry WHERE id = :id",
])
def test_an_audit_entry_cannot_be_changed_or_deleted(desk, statement):
    entry_id = _first_entry_id(desk)
    with desk.session() as session:
        with pytest.raises(DBAPIError, match="审计记录不可修改"):
            session.execute(text(statement), {"id": entry_id})
        session.rollback()
        login, = session.execute(text("SELECT login FROM audit_entry WHERE id = :id"), {"id": entry_id}).one()
    assert login == "admin", "the entry is still there, unchanged"


@pytest.mark.both_engines
def test_new_entries_are_still_written(desk):
    before = _first_entry_id(desk)
    assert _first_entry_id(desk) > before
