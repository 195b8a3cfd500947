"""The mediators page: a mediator, a pairing (老带新), the review notes and a junior's mentoring record."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class MediatorView:
    id: int
    name: str
    rank: str
    unit: str
    community: str | None
    grid: str | None
    phone: str | None
    work_unit: str | None
    specialties: tuple[str, ...]
    active: bool
    imported: bool
    open_cases: int
    # For editing: the optimistic-locking version, the place as ids, the personal details (masked unless
    # revealed), the declared relatives the recusal check compares against parties, and specialty codes
    # (beside the labels above).
    version: int = 0
    community_id: int | None = None
    grid_id: int | None = None
    id_number: str | None = None
    address: str | None = None
    declared_relatives: tuple[str, ...] = ()
    specialty_codes: tuple[str, ...] = ()
    revealed: bool = False


@dataclass(frozen=True)
class PairingView:
    id: int
    senior_id: int
    senior_name: str
    junior_id: int
    junior_name: str
    started_on: dt.date
    ended_on: dt.date | None
    active: bool
    version: int
    may_end: bool = False
    """The actor may end it: a supervisor or administrator, and it has not ended yet."""


@dataclass(frozen=True)
class ReviewNoteView:
    id: int
    note: str
    by_login: str
    at: dt.datetime


@dataclass(frozen=True)
class MentoringRow:
    """One case the junior worked on: under which senior (via a pairing or the case's senior lead)."""

    case_id: int
    intake_no: str
    parties: str
    role: str
    senior_id: int | None
    senior_name: str | None
    via: str | None  # "pairing", "lead" or None
    pairing_id: int | None
    status: str
    notes: tuple[ReviewNoteView, ...]
    may_note: bool = False
    """The actor may add a review note: the case's senior or a supervisor."""


@dataclass(frozen=True)
class RegistryDetail:
    """调解员 page: the registry, the pairings, and what the actor may change there."""

    mediators: tuple[MediatorView, ...]
    pairings: tuple[PairingView, ...]
    names: Mapping[str, str]  # login → display name (who wrote a review note)
    today: dt.date
    time_zone: str
    may_maintain: bool
    """Add and edit mediators (and read their full personal details): supervisors and administrators."""
    may_pair: bool
    """Create pairings; whether one may be ended is `PairingView.may_end`."""
