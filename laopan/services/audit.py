"""Append-only audit entries, written in the same transaction as the change they describe.

Every mutation passes through `record`, so it is also where a unit of work notes what it changed
(`laopan.changes`), for the window to announce after the commit.
"""

from typing import Any

from sqlmodel import Session

from laopan import changes as changed
from laopan.models import AuditEntry
from laopan.services.actor import Actor


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: int | None,
    changes: dict[str, Any] | None = None,
    note: str | None = None,
    case_id: int | None = None,
) -> None:
    """Add one entry. `changes` maps a field to [old, new] (or to a value for creations).

    Args:
        case_id: The case a row of another entity belongs to (a sitting, a recusal decision), so the pages
            showing that case learn it changed; an entry about a case names it already.
    """
    session.add(
        AuditEntry(
            committee_id=actor.committee_id,
            at=actor.clock.now(),
            login=actor.login,
            action=action,
            entity=entity,
            entity_id=entity_id,
            changes=_jsonable(changes or {}),
            note=note,
        )
    )
    changed.note_audited(session, action=action, entity=entity, entity_id=entity_id, case_id=case_id)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
