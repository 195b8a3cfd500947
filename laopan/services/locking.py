"""Optimistic locking and field-level audit for every editable row (DESIGN §2 "Concurrency").

A mutation loads its row FOR UPDATE (PostgreSQL waits for a concurrent writer there; SQLite already serialises
writers with BEGIN IMMEDIATE), compares the version the user's screen showed, applies the new values while
noting {field: [old, new]}, and bumps the version. A stale version is refused, never silently overwritten.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from laopan.errors import Conflict, InvalidTransition, NotFound
from laopan.models import Case, User
from laopan.models.base import Versioned
from laopan.models.enums import CaseStatus
from laopan.services.actor import Actor
from laopan.services.cases import load_case
from laopan.services.committee import committee_settings

Row = TypeVar("Row", bound=Versioned)

CLOSED_READ_ONLY = "已结案归档的案件只读，须由主任重新打开"


class CaseClosed(InvalidTransition):
    """A mutation of a closed case other than reopening it."""

    def __init__(self) -> None:
        super().__init__(CLOSED_READ_ONLY)


@dataclass(frozen=True)
class CaseChange:
    """A case after a mutation: what the detail header shows, and what changed ({field: [old, new]})."""

    id: int
    intake_no: str
    version: int
    status: str
    level: str
    lead_name: str | None
    due_on: dt.date | None
    changes: Mapping[str, Any] = field(default_factory=dict)


def case_change(case: Case, changes: Mapping[str, Any]) -> CaseChange:
    return CaseChange(
        id=case.id, intake_no=case.intake_no, version=case.version, status=case.status, level=case.level,
        lead_name=case.lead_name, due_on=case.due_on, changes=dict(changes),
    )


def lock(session: Session, model: type[Row], row_id: int, *, actor: Actor, expected_version: int | None, what: str) -> Row:
    """Load `model` #row_id FOR UPDATE (fresh from the database) and check its version.

    Args:
        what: The row's Chinese name for the not-found message ("调解记录").
        expected_version: The version the user's screen showed; None skips the check (adding a child row).

    Raises:
        NotFound: No such row in the actor's committee.
        Conflict: Someone saved the row since the screen read it.
    """
    row = session.get(model, row_id, with_for_update=True, populate_existing=True)
    if row is None or getattr(row, "committee_id", actor.committee_id) != actor.committee_id:
        raise NotFound(f"找不到{what} #{row_id}")
    check_version(session, row, expected_version, actor=actor)
    return row


def lock_case(session: Session, *, actor: Actor, case_id: int, expected_version: int | None, allow_closed: bool = False) -> Case:
    """The case after the visibility rules, locked, version-checked and (unless `allow_closed`) not closed."""
    load_case(session, actor=actor, case_id=case_id)
    case = lock(session, Case, case_id, actor=actor, expected_version=expected_version, what="案件")
    if not allow_closed and case.status == CaseStatus.CLOSED.value:
        raise CaseClosed()
    return case


def check_version(session: Session, row: Versioned, expected_version: int | None, *, actor: Actor) -> None:
    if expected_version is not None and row.version != expected_version:
        raise Conflict(conflict_message(session, row, actor=actor))


def conflict_message(session: Session, row: Versioned, *, actor: Actor) -> str:
    """"已被 张主任 于 2026-11-27 09:15 修改，请刷新" (who by display name, when in the committee's zone)."""
    login = row.updated_by or getattr(row, "created_by", None)
    when = row.updated_at or getattr(row, "created_at", None)
    who = display_name(session, actor=actor, login=login) if login else "其他用户"
    if when is None:
        return f"已被 {who} 修改，请刷新"
    return f"已被 {who} 于 {local_time(session, actor=actor, instant=when)} 修改，请刷新"


def local_time(session: Session, *, actor: Actor, instant: dt.datetime) -> str:
    """"2026-11-27 09:15" in the committee's time zone."""
    zone = ZoneInfo(committee_settings(session, actor.committee_id).time_zone)
    return f"{instant.astimezone(zone):%Y-%m-%d %H:%M}"


def display_name(session: Session, *, actor: Actor, login: str) -> str:
    name = session.exec(select(User.display_name).where(User.committee_id == actor.committee_id, User.login == login)).first()
    return name or login


def apply(row: Any, values: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Set each value on `row`; return {field: [old, new]} for those that changed."""
    changes: dict[str, list[Any]] = {}
    for name, new in values.items():
        old = getattr(row, name)
        if old != new:
            changes[name] = [old, new]
            setattr(row, name, new)
    return changes


def touch(row: Versioned, *, actor: Actor) -> None:
    """Bump the version and note who changed the row when (call once per saved change)."""
    row.version += 1
    row.updated_at = actor.clock.now()
    row.updated_by = actor.login
