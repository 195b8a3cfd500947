"""Writing a ledger's checked rows: the same row writer as the intake and `laopan case import`
(laopan.services.case_rows), in chunks, with progress and a way to cancel between chunks.

Only the parts a ledger row can carry (case, parties, mediators, agreement, audit) — a case with a police
referral, agents, sessions, escalations or police reports goes through the intake service one by one instead.
Intake numbers are reserved per year in one step each (the allocator row is bumped by the whole count inside the
same transaction, so concurrent desks still get unique, gapless numbers)."""

from collections import defaultdict
from collections.abc import Callable

from sqlmodel import Session

from laopan.models.enums import CaseStatus
from laopan.services import numbering

from laopan.services.actor import Actor
from laopan.services.case_rows import CaseRows
from laopan.services.committee import committee_settings, load_dictionaries

CHUNK = 2000


def bulk_register(session: Session, *, actor: Actor, checked: list, progress: Callable[[int, int], None] | None = None,
                  cancelled: Callable[[], bool] | None = None) -> list[str]:
    """Write every checked case (intake `_Checked`) in the caller's transaction; returns their intake numbers."""
    if not checked:
        return []
    for item in checked:
        data = item.data
        if data.police_referral or item.agents or data.escalations or data.sessions or data.police_reports:
            raise ValueError("bulk_register writes ledger rows only; use laopan.services.intake for full cases")
    settings = committee_settings(session, actor.committee_id)
    rows = CaseRows(session, actor=actor, dicts=load_dictionaries(session, actor.committee_id), settings=settings)
    rows.reserve_intake_numbers(checked)
    _number_agreements(session, actor, settings, checked)
    numbers: list[str] = []
    for start in range(0, len(checked), CHUNK):
        if cancelled is not None and cancelled():
            from laopan.ledger.importing import Cancelled

            raise Cancelled("已取消，未导入任何案件")
        chunk = checked[start:start + CHUNK]
        numbers.extend(rows.add(item, warnings=[]).intake_no for item in chunk)
        rows.insert()
        if progress is not None:
            progress(start + len(chunk), len(checked))
    return numbers


def _number_agreements(session: Session, actor: Actor, settings, checked: list) -> None:
    """A settled row without an agreement number is registered as an oral agreement and numbered (the ledger's
    check tells the user so): numbers taken per year in one step, in row order."""
    wanted: dict[int, list] = defaultdict(list)
    this_year = actor.today(settings.time_zone).year
    for item in checked:
        agreement = item.data.agreement
        if (agreement is not None and not agreement.number and not item.agreement_number
                and item.data.status in (CaseStatus.SETTLED, CaseStatus.CLOSED)):
            wanted[agreement.signed_on.year if agreement.signed_on else this_year].append(item)
    for year, items in sorted(wanted.items()):
        first = numbering.next_seq(session, committee_id=actor.committee_id, kind=numbering.AGREEMENT, year=year)
        if len(items) > 1:
            numbering.move_past(session, committee_id=actor.committee_id, kind=numbering.AGREEMENT, year=year,
                                seq=first + len(items) - 1)
        for offset, item in enumerate(items):
            item.agreement_number = numbering.format_number(settings.agreement_no_format, year=year, seq=first + offset)

