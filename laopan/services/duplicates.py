"""Which cases of an import are already on the desk (issue 10 item 5): importing the same file twice counts
each case once.

A case is the same case when it carries the same 警情编号 (unique per committee, issue 13), or the same received
time and the same parties (names and ID numbers, in any order). `laopan.case/1` carries no source-file identity,
so those two are the whole test. Only cases already saved count: two cases of one file with the same 警情编号
are refused by the intake check as before, and two with the same time and parties may well be two disputes.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlmodel import Session

from laopan.inputs import CaseIn
from laopan.models import Case, Party, PoliceReferral

_CHUNK = 500


class OnDuplicate(StrEnum):
    REFUSE = "refuse"  # the whole import is refused, naming each duplicate (the default: nothing happens silently)
    SKIP = "skip"  # duplicates are left out and reported; the other cases are imported


@dataclass(frozen=True)
class Duplicate:
    index: int  # position in the file's `cases`
    path: str  # cases[i]
    existing: str  # the existing case's intake number
    why: str  # 警情编号相同 / 受理时间和当事人相同

    def message(self) -> str:
        return f"与已有案件 {self.existing} 是同一案件（{self.why}）"


def _utc(value: dt.datetime) -> dt.datetime | None:
    """The instant in UTC; None for one that cannot be (year 1 at +08:00 — the intake check refuses it anyway)."""
    try:
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
    except OverflowError:
        return None


def _people(names_and_ids) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((name.strip(), (id_number or "").strip().upper()) for name, id_number in names_and_ids))


def find_duplicates(session: Session, *, committee_id: int, cases: Sequence[CaseIn]) -> list[Duplicate]:
    found: list[Duplicate] = []
    incidents = {c.police_referral.incident_no.strip() for c in cases if c.police_referral is not None}
    by_incident: dict[str, str] = {}
    listed = sorted(incidents)
    for start in range(0, len(listed), _CHUNK):
        rows = session.execute(
            select(PoliceReferral.incident_no, Case.intake_no)
            .join(Case, Case.id == PoliceReferral.case_id)
            .where(Case.committee_id == committee_id, PoliceReferral.incident_no.in_(listed[start:start + _CHUNK]))
        ).all()
        by_incident.update({number: intake_no for number, intake_no in rows})

    times = {_utc(c.received_at) for c in cases if c.received_at is not None} - {None}
    by_time: dict[dt.datetime, list[tuple[int, str]]] = {}
    if times:
        low, high = min(times), max(times)
        rows = session.execute(
            select(Case.id, Case.intake_no, Case.received_at)
            .where(Case.committee_id == committee_id, Case.received_at >= low, Case.received_at <= high)
        ).all()
        for case_id, intake_no, received_at in rows:
            if _utc(received_at) in times:
                by_time.setdefault(_utc(received_at), []).append((case_id, intake_no))
    candidates = [case_id for group in by_time.values() for case_id, _ in group]
    people: dict[int, list[tuple[str, str | None]]] = {}
    for start in range(0, len(candidates), _CHUNK):
        rows = session.execute(
            select(Party.case_id, Party.name, Party.id_number).where(Party.case_id.in_(candidates[start:start + _CHUNK]))
        ).all()
        for case_id, name, id_number in rows:
            people.setdefault(case_id, []).append((name, id_number))
    by_key: dict[tuple, str] = {
        (received_at, _people(people.get(case_id, []))): intake_no
        for received_at, group in by_time.items() for case_id, intake_no in group
    }

    for index, case in enumerate(cases):
        path = f"cases[{index}]"
        incident = case.police_referral.incident_no.strip() if case.police_referral is not None else None
        instant = _utc(case.received_at) if case.received_at else None
        key = (instant, _people((p.name, p.id_number) for p in case.parties)) if instant else None
        if incident and incident in by_incident:
            found.append(Duplicate(index, path, by_incident[incident], "警情编号相同"))
        elif key is not None and key in by_key:
            found.append(Duplicate(index, path, by_key[key], "受理时间和当事人相同"))
    return found
