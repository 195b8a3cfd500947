"""Writing checked cases in bulk: what `laopan.services.intake._write` does per case, as Core bulk inserts.

Only the parts a ledger row can carry (case, parties, mediators, agreement, audit) — a case with a police
referral, agents, sessions, escalations or police reports goes through the intake service one by one instead.
Numbers are reserved per year in one step each (the allocator row is bumped by the whole count inside the same
transaction, so concurrent desks still get unique, gapless numbers)."""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable

from sqlalchemy import insert, select
from sqlmodel import Session

from laopan import changes
from laopan.clock import local_date
from laopan.models import Agreement, AuditEntry, Case, CaseMediator, Grid, Mediator, NameGram, NamePinyin, Party
from laopan.models.enums import CaseMediatorRole, CaseStatus, PartyRole
from laopan.services import audit, derived, numbering, pinyin
from laopan.services.actor import Actor
from laopan.services.committee import committee_settings, load_dictionaries
from laopan.services.intake import IMPORT_REASON, _implied_status

CHUNK = 2000


def _reserve(session: Session, *, committee_id: int, kind: str, year: int, count: int) -> int:
    """The first of `count` consecutive numbers for `year`, taken in one step."""
    first = numbering.next_seq(session, committee_id=committee_id, kind=kind, year=year)
    if count > 1:
        numbering.move_past(session, committee_id=committee_id, kind=kind, year=year, seq=first + count - 1)
    return first


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
    dicts = load_dictionaries(session, actor.committee_id)
    now = actor.clock.now()
    tz = settings.time_zone

    # Dictionary rows first (few): new grids and mediators the registry does not know, as the intake adds them.
    for item in checked:
        community_id = dicts.communities[item.data.community]
        if item.new_grid and (community_id, item.new_grid) not in dicts.grids:
            grid = Grid(community_id=community_id, name=item.new_grid)
            session.add(grid)
            session.flush()
            dicts.grids[(community_id, item.new_grid)] = grid.id
    mediator_ids: dict[str, int] = {}
    for mediator_id, name in session.execute(
        select(Mediator.id, Mediator.name).where(Mediator.committee_id == actor.committee_id).order_by(Mediator.id.desc())
    ):
        mediator_ids[name] = mediator_id  # descending, so the oldest of namesakes wins, as in the intake
    for item in checked:
        for mediator_in in item.data.mediators:
            if mediator_in.name not in mediator_ids:
                mediator = Mediator(committee_id=actor.committee_id, name=mediator_in.name, imported=True, created_at=now)
                session.add(mediator)
                session.flush()
                mediator_ids[mediator.name] = mediator.id

    received = [item.data.received_at.astimezone(dt.UTC) if item.data.received_at else now for item in checked]
    intake_numbers: list[str] = [""] * len(checked)
    by_year: dict[int, list[int]] = defaultdict(list)
    for index, at in enumerate(received):
        by_year[local_date(at, tz).year].append(index)
    for year, indexes in sorted(by_year.items()):
        first = _reserve(session, committee_id=actor.committee_id, kind=numbering.INTAKE, year=year, count=len(indexes))
        for offset, index in enumerate(indexes):
            intake_numbers[index] = numbering.format_number(settings.intake_no_format, year=year, seq=first + offset)

    agreement_numbers: dict[int, str] = {}
    wanted: dict[int, list[int]] = defaultdict(list)
    for index, item in enumerate(checked):
        agreement = item.data.agreement
        if agreement is not None and not agreement.number and item.data.status in (CaseStatus.SETTLED, CaseStatus.CLOSED):
            year = agreement.signed_on.year if agreement.signed_on else local_date(now, tz).year
            wanted[year].append(index)
        if item.agreement_seq is not None:
            year, seq = item.agreement_seq
            numbering.move_past(session, committee_id=actor.committee_id, kind=numbering.AGREEMENT, year=year, seq=seq)
    for year, indexes in sorted(wanted.items()):
        first = _reserve(session, committee_id=actor.committee_id, kind=numbering.AGREEMENT, year=year, count=len(indexes))
        for offset, index in enumerate(indexes):
            agreement_numbers[index] = numbering.format_number(settings.agreement_no_format, year=year, seq=first + offset)

    case_table = Case.__table__
    written: list[int] = []
    assigned = False
    for start in range(0, len(checked), CHUNK):
        if cancelled is not None and cancelled():
            from laopan.ledger.importing import Cancelled

            raise Cancelled("已取消，未导入任何案件")
        chunk = range(start, min(start + CHUNK, len(checked)))
        case_rows = [_case_row(checked[i], received[i], intake_numbers[i], actor, dicts, settings, now) for i in chunk]
        for i, row in zip(chunk, case_rows, strict=True):
            lead = next((m.name for m in checked[i].data.mediators if m.role is CaseMediatorRole.LEAD), None)
            row["lead_name"] = lead
        ids = session.execute(insert(case_table).returning(case_table.c.id, sort_by_parameter_order=True), case_rows).scalars().all()
        written.extend(ids)
        parties, grams, keys, mediators, agreements, entries = [], [], [], [], [], []
        for i, case_id, row in zip(chunk, ids, case_rows, strict=True):
            item = checked[i]
            names = [values["name"] for values in item.parties]
            for seq, values in enumerate(item.parties):
                parties.append({
                    **{k: None for k in ("sex", "ethnicity", "birth_date", "id_type", "id_number", "occupation", "phone",
                                         "address", "credit_code", "representative")},
                    **values, "case_id": case_id, "seq": seq, "version": 1,
                    "id_number_rev": derived.reversed_or_none(values.get("id_number")),
                    "phone_rev": derived.phone_key(values.get("phone")),
                })
            grams.extend({"gram": gram, "case_id": case_id} for gram in sorted(derived.case_grams(names)))
            keys.extend({"key": key, "case_id": case_id} for key in sorted(pinyin.case_keys(names)))
            for mediator_in in item.data.mediators:
                mediators.append({"case_id": case_id, "mediator_id": mediator_ids[mediator_in.name],
                                  "role": mediator_in.role.value, "assigned_at": now, "assigned_by": actor.login})
            agreement_in = item.data.agreement
            if agreement_in is not None:
                number = item.agreement_number or agreement_numbers.get(i) or agreement_in.number
                numbered = number is not None
                performance = agreement_in.performance
                agreements.append({
                    "committee_id": actor.committee_id, "case_id": case_id, "kind": agreement_in.kind.value,
                    "number": number, "facts": agreement_in.facts or "", "matters": agreement_in.matters or "",
                    "responsibilities": agreement_in.responsibilities or "", "clauses": list(agreement_in.clauses),
                    "performance_method": performance.method if performance else None,
                    "performance_place": performance.place if performance else None,
                    "performance_deadline": performance.deadline if performance else None,
                    "signed_on": agreement_in.signed_on, "effective_on": agreement_in.signed_on if numbered else None,
                    "finalised_at": now if numbered else None, "imported": numbered, "version": 1,
                })
            entries.append({
                "committee_id": actor.committee_id, "at": now, "login": actor.login, "action": "case.register",
                "entity": "case", "entity_id": case_id,
                "changes": audit._jsonable({"intake_no": row["intake_no"], "status": row["status"], "parties": names,
                                            "level": row["level"]}),
                "note": IMPORT_REASON if item.data.status is not CaseStatus.REGISTERED else None,
            })
        for table, rows in ((Party, parties), (NameGram, grams), (NamePinyin, keys), (CaseMediator, mediators), (Agreement, agreements),
                            (AuditEntry, entries)):
            if rows:
                session.execute(insert(table.__table__), rows)
        assigned = assigned or bool(mediators)
        if progress is not None:
            progress(chunk.stop, len(checked))
    # What audit.record would have noted case by case, so the window refreshes once the import has committed.
    kinds = changes.kinds_of("case.register", "case") | ({"mediator"} if assigned else set())
    changes.note(session, changes.Changes(kinds=kinds, case_ids=frozenset(written),
                                          rows=frozenset(("case", case_id) for case_id in written)))
    return intake_numbers


def _case_row(item, received_at: dt.datetime, intake_no: str, actor: Actor, dicts, settings, now: dt.datetime) -> dict:
    data = item.data
    community_id = dicts.communities[data.community]
    grid_id = item.grid_id if item.grid_id is not None else (dicts.grids.get((community_id, item.new_grid)) if item.new_grid else None)
    status, before_close = _implied_status(data)
    accepted_at = received_at if status not in (CaseStatus.REGISTERED, CaseStatus.REJECTED) and before_close != CaseStatus.REJECTED else None
    return {
        "committee_id": actor.committee_id, "intake_no": intake_no, "received_at": received_at,
        "source_id": dicts.sources[data.source], "dispute_type_id": dicts.dispute_types[data.dispute_type],
        "level": data.level.value, "community_id": community_id, "grid_id": grid_id, "summary": data.summary,
        "claims": list(data.claims), "amount_fen": item.amount_fen, "status": status.value,
        "status_before_close": before_close.value if before_close else None, "accepted_at": accepted_at,
        "due_on": derived.mediation_due_on(accepted_at, settings) if accepted_at else None,
        "closed_at": now if status is CaseStatus.CLOSED else None,
        "rejection_reason": data.rejection_reason,
        "termination_reason": data.termination_reason.value if data.termination_reason else None,
        "termination_destination": data.termination_destination.value if data.termination_destination else None,
        "prevented_criminal": data.prevented_criminal, "prevented_group_petition": data.prevented_group_petition,
        "parties_display": derived.parties_display(
            [v["name"] for v in item.parties if v["role"] == PartyRole.APPLICANT],
            [v["name"] for v in item.parties if v["role"] == PartyRole.RESPONDENT],
        ),
        "created_at": now, "created_by": actor.login, "version": 1,
    }
