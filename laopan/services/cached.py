"""A per-desk memo of what changes rarely and is read on every report: a committee's settings, name and
dictionary labels (DESIGN §6 — a monthly report must not spend more on reading these than on its GROUP BY).

Keyed by the engine's connection pool (a read-only `execution_options` engine shares its base's pool) and the
committee. Every committed unit of work that changed a dictionary or committee row (seen at flush, so writes
that keep no audit entry count too) or whose audited changes include such a kind forgets the pool's memos, so
the next read loads afresh; a rolled-back one forgets nothing. Writes by another
process (a second desk, the CLI) are not seen until this process writes such a change itself or restarts —
acceptable for labels and a time zone, which an administrator changes once in a long while.
"""

import threading
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session

from laopan import changes

T = TypeVar("T")

WATCHED = frozenset({"dictionary", "committee", "settings"})
_DIRTY = "laopan.cached_dirty"

_lock = threading.Lock()
_memos: "weakref.WeakKeyDictionary[Any, dict]" = weakref.WeakKeyDictionary()


def _pool(session: Session):
    return session.get_bind().pool


def memo(session: Session, committee_id: int, name: str, load: Callable[[Session], T]) -> T:
    """`load(session)` for this committee, loaded once per desk until a committed write changes it."""
    pool = _pool(session)
    key = (committee_id, name)
    with _lock:
        values = _memos.setdefault(pool, {})
        if key in values:
            return values[key]
    value = load(session)
    with _lock:
        # A write committed while we loaded cleared the dict; keep what we read only if it is still current.
        if _memos.get(pool) is values:
            values[key] = value
    return value


def invalidate(pool) -> None:
    """Forget everything remembered for this pool (the next read loads afresh)."""
    with _lock:
        _memos.pop(pool, None)


def _watched_tables() -> tuple[type, ...]:
    from laopan.models import CaseSource, Committee, Community, DisputeType, Grid, PoliceStation

    return (CaseSource, Committee, Community, DisputeType, Grid, PoliceStation)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    tables = _watched_tables()
    if any(isinstance(row, tables) for row in (*session.new, *session.dirty, *session.deleted)):
        session.info[_DIRTY] = True


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    dirty = session.info.pop(_DIRTY, False)
    if (changes.seen_kinds(session, clear=True) & WATCHED) or dirty:
        invalidate(_pool(session))


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_DIRTY, None)
    changes.seen_kinds(session, clear=True)
