"""The fixed part of every list question — a committee's dictionaries and settings — read once per engine.

A case-list question needs them to resolve filter codes and label rows (~2 ms on SQLite, ~7 ms on PostgreSQL
per question, issue 16). They change only when someone edits a dictionary or the committee's settings, so they
are kept per (engine, committee) and dropped when a session that changed one of those tables commits (an ORM
flush of such a row marks the session; its commit bumps the generation). Another process's edit is seen after
a restart — dictionaries are edited by the administrator, rarely, and a stale label is harmless.
"""

import threading
import weakref
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.pool import Pool
from sqlmodel import Session

from laopan.models import CaseSource, Committee, Community, DisputeType, Grid, PoliceStation
from laopan.services.committee import Dictionaries, committee_settings, load_dictionaries
from laopan.settings import CommitteeSettings

_TABLES = (CaseSource, Committee, Community, DisputeType, Grid, PoliceStation)
_KINDS = frozenset({"dictionary", "committee"})
_DIRTY = "laopan.fixed_dirty"


@dataclass(frozen=True)
class Fixed:
    dictionaries: Dictionaries
    settings: CommitteeSettings


_lock = threading.Lock()
_generation = 0
_cache: "weakref.WeakKeyDictionary[Pool, dict[int, tuple[int, Fixed]]]" = weakref.WeakKeyDictionary()


def fixed_part(session: Session, committee_id: int) -> Fixed:
    """The committee's dictionaries and settings, from the cache when no write has changed them since."""
    # Keyed by the connection pool: the desk's engine and its read-only `execution_options` copies share it.
    bind = session.get_bind()
    pool = bind.pool if isinstance(bind, Engine) else None
    with _lock:
        generation = _generation
        entry = _cache.get(pool, {}).get(committee_id) if pool is not None else None
    if entry is not None and entry[0] == generation:
        return entry[1]
    fixed = Fixed(load_dictionaries(session, committee_id), committee_settings(session, committee_id))
    if pool is not None:
        with _lock:
            _cache.setdefault(pool, {})[committee_id] = (generation, fixed)
    return fixed


def invalidate() -> None:
    """Forget every cached fixed part (a write changed a dictionary or the settings)."""
    global _generation
    with _lock:
        _generation += 1


@event.listens_for(OrmSession, "after_flush")
def _mark(session: OrmSession, _context) -> None:
    if any(isinstance(row, _TABLES) for row in (*session.new, *session.dirty, *session.deleted)):
        session.info[_DIRTY] = True


@event.listens_for(OrmSession, "before_commit")
def _mark_noted(session: OrmSession) -> None:
    from laopan.changes import _KEY

    noted = session.info.get(_KEY)
    if noted is not None and noted.kinds & _KINDS:
        session.info[_DIRTY] = True


@event.listens_for(OrmSession, "after_commit")
def _bump(session: OrmSession) -> None:
    if session.info.pop(_DIRTY, False):
        invalidate()


@event.listens_for(OrmSession, "after_rollback")
def _forget(session: OrmSession) -> None:
    session.info.pop(_DIRTY, None)
