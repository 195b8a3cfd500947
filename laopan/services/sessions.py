"""调解记录: the sittings of a mediation (time, place, mediators, parties present, participants, statements,
result). Several per case; each edit is version-checked and audited field by field."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from laopan.clock import utc
from laopan.errors import DomainError, InvalidTransition, NotFound
from laopan.labels import label
from laopan.models import MediationSession
from laopan.models.enums import CaseStatus
from laopan.services import audit, locking
from laopan.services.actor import Actor
from laopan.services.cases import load_case, session_view
from laopan.views.cases import SessionView

# A sitting is recorded once the case is accepted, and may be recorded after it settled or ended.
RECORDABLE = (CaseStatus.ACCEPTED.value, CaseStatus.MEDIATING.value, CaseStatus.SETTLED.value, CaseStatus.TERMINATED.value)
_UNSET: Any = object()


def _names(values: Sequence[str] | None) -> list[str]:
    return [v.strip() for v in values or () if v and v.strip()]


def _checked(actor: Actor, values: dict[str, Any]) -> dict[str, Any]:
    """Normalise and check the fields present in `values` (a partial update checks only what it changes)."""
    out: dict[str, Any] = {}
    if "held_at" in values:
        try:
            held_at = utc(values["held_at"])
        except (ValueError, AttributeError):
            raise DomainError("调解时间: 须为带时区的时间") from None
        if held_at > actor.clock.now():
            raise DomainError("调解时间: 晚于现在（调解记录记的是已经进行的调解）")
        out["held_at"] = held_at
    if "place" in values:
        place = (values["place"] or "").strip()
        if not place:
            raise DomainError("调解地点: 不能为空")
        out["place"] = place
    if "mediators" in values:
        mediators = _names(values["mediators"])
        if not mediators:
            raise DomainError("调解员: 至少填写一名")
        out["mediators"] = mediators
    for name in ("parties_present", "participants"):
        if name in values:
            out[name] = _names(values[name])
    for name in ("statements", "result"):
        if name in values:
            out[name] = (values[name] or "").strip()
    return out


def add_session(
    session: Session,
    *,
    actor: Actor,
    case_id: int,
    held_at: dt.datetime,
    place: str,
    mediators: Sequence[str],
    parties_present: Sequence[str] = (),
    participants: Sequence[str] = (),
    statements: str = "",
    result: str = "",
) -> SessionView:
    """Record one sitting. The case is locked (not version-checked: adding does not overwrite anything)."""
    case = locking.lock_case(session, actor=actor, case_id=case_id, expected_version=None)
    if case.status not in RECORDABLE:
        raise InvalidTransition(f"案件尚未受理，不能记录调解（当前：{label(CaseStatus(case.status))}）")
    values = _checked(actor, {"held_at": held_at, "place": place, "mediators": mediators, "parties_present": parties_present,
                              "participants": participants, "statements": statements, "result": result})
    row = MediationSession(case_id=case.id, **values)
    row.updated_at, row.updated_by = actor.clock.now(), actor.login
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="session.add", entity="mediation_session", entity_id=row.id,
                 changes={"case_id": case.id, **values}, case_id=case.id)
    return session_view(row)


def update_session(
    session: Session,
    *,
    actor: Actor,
    session_id: int,
    expected_version: int,
    held_at: dt.datetime = _UNSET,
    place: str = _UNSET,
    mediators: Sequence[str] = _UNSET,
    parties_present: Sequence[str] = _UNSET,
    participants: Sequence[str] = _UNSET,
    statements: str = _UNSET,
    result: str = _UNSET,
) -> SessionView:
    """Change the given fields of a sitting; omitted ones stay.

    Raises:
        Conflict: The record changed since `expected_version`.
    """
    row = session.get(MediationSession, session_id)
    if row is None:
        raise NotFound(f"找不到调解记录 #{session_id}")
    locking.lock_case(session, actor=actor, case_id=row.case_id, expected_version=None)
    row = locking.lock(session, MediationSession, session_id, actor=actor, expected_version=expected_version, what="调解记录")
    given = {
        name: value
        for name, value in (("held_at", held_at), ("place", place), ("mediators", mediators), ("parties_present", parties_present),
                            ("participants", participants), ("statements", statements), ("result", result))
        if value is not _UNSET
    }
    changes = locking.apply(row, _checked(actor, given))
    if changes:
        locking.touch(row, actor=actor)
        session.flush()
        audit.record(session, actor=actor, action="session.update", entity="mediation_session", entity_id=row.id,
                     changes=changes, case_id=row.case_id)
    return session_view(row)


def list_sessions(session: Session, *, actor: Actor, case_id: int) -> list[SessionView]:
    """The case's sittings, earliest first."""
    load_case(session, actor=actor, case_id=case_id)
    rows = session.execute(
        select(MediationSession).where(MediationSession.case_id == case_id).order_by(MediationSession.held_at, MediationSession.id)
    ).scalars()
    return [session_view(row) for row in rows]
