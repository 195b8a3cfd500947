"""Writing checked cases as rows: one path for the intake form (a batch of one) and an import of thousands.

Checking stays in `laopan.services.intake` (every rule, in Python). Writing used to add ORM objects case by case
and flush five times per case, so an import ran ~100 cases/s while `laopan demo` writes ~2,000/s with Core bulk
inserts (issue 10 item 6). Here every checked case becomes plain row dicts — built from the model classes, so
defaults and types are the models' own — with ids taken up front (the case's, its parties'), and `insert()` writes
each table with one executemany, in the caller's transaction: all or nothing stays.

Ids: on SQLite the write transaction (BEGIN IMMEDIATE) holds the only write lock, so max(id) + 1 onwards is ours;
on PostgreSQL ids come from the tables' own sequences (nextval), which other desks share safely.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from pydantic_core import PydanticUndefined
from sqlalchemy import func, select, text
from sqlmodel import Session, SQLModel

from laopan import changes as changed
from laopan.clock import local_date
from laopan.models import (
    Agent, Agreement, AuditEntry, Case, CaseMediator, Escalation, Grid, MediationSession, Mediator, NameGram, NamePinyin,
    Party, PoliceReferral, PoliceReport,
)
from laopan.models.enums import AgreementKind, CaseMediatorRole, CaseStatus, PartyRole
from laopan.services import derived, numbering, pinyin
from laopan.services.actor import Actor
from laopan.services.audit import _jsonable
from laopan.services.committee import Dictionaries
from laopan.settings import CommitteeSettings
from laopan.storage import limits

if TYPE_CHECKING:
    from laopan.services.intake import _Checked

IMPORT_REASON = "导入"
# Parents before children (foreign keys are checked as rows arrive).
ORDER = (Case, Party, Agent, NameGram, NamePinyin, PoliceReferral, CaseMediator, Agreement, Escalation,
         MediationSession, PoliceReport, AuditEntry)
_PG_ID_BLOCK = 256


@dataclass(frozen=True)
class Registered:
    id: int
    intake_no: str
    warnings: tuple[str, ...] = ()


def _values(model: type[SQLModel], **given: Any) -> dict[str, Any]:
    """The row `model(**given)` would insert — the model's defaults filled in, `id` left out unless given — without
    building an instance (a table model's instance costs ~0.3 ms; an import makes ten per case)."""
    row = {}
    for name, (default, factory) in _defaults(model).items():
        if name in given:
            row[name] = given[name]
        elif factory is not None:
            row[name] = factory()
        elif default is not PydanticUndefined:
            row[name] = default
        else:
            raise TypeError(f"{model.__tablename__}.{name} is required")
    if row.get("id") is None:
        row.pop("id", None)
    return row


@cache
def _defaults(model: type[SQLModel]) -> dict[str, tuple[Any, Any]]:
    columns = {column.name for column in model.__table__.columns}
    return {name: (info.default, info.default_factory) for name, info in model.model_fields.items() if name in columns}


class _Ids:
    """Ids for new cases and parties, taken before their rows exist (children name them)."""

    def __init__(self, session: Session):
        self._session = session
        self._postgresql = session.get_bind().dialect.name == "postgresql"
        self._next: dict[str, int] = {}
        self._spare: dict[str, list[int]] = defaultdict(list)

    def take(self, model: type[SQLModel]) -> int:
        table = model.__tablename__
        if self._postgresql:
            spare = self._spare[table]
            if not spare:
                spare.extend(self._session.execute(
                    text(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, {_PG_ID_BLOCK})")
                ).scalars())
                spare.reverse()
            return int(spare.pop())
        if table not in self._next:
            self._next[table] = (self._session.execute(select(func.max(model.id))).scalar() or 0) + 1
        taken = self._next[table]
        self._next[table] = taken + 1
        return taken


class CaseRows:
    """Rows of checked cases, written by `insert()` with one executemany per table."""

    def __init__(self, session: Session, *, actor: Actor, dicts: Dictionaries, settings: CommitteeSettings):
        self.session = session
        self.actor = actor
        self.dicts = dicts
        self.settings = settings
        self.now = actor.clock.now()
        self.rows: dict[type[SQLModel], list[dict[str, Any]]] = defaultdict(list)
        self._ids = _Ids(session)
        self._mediators: dict[str, int] | None = None
        self._intake_seqs: dict[int, list[int]] = {}
        self._registered: list[int] = []

    def reserve_intake_numbers(self, checked: "list[_Checked]") -> None:
        """Take the intake numbers of many cases in one step per year (in their order), not one by one."""
        years: dict[int, int] = defaultdict(int)
        for item in checked:
            years[self._intake_year(item)] += 1
        for year, count in sorted(years.items()):
            first = numbering.next_seq(self.session, committee_id=self.actor.committee_id, kind=numbering.INTAKE, year=year)
            if count > 1:
                numbering.move_past(self.session, committee_id=self.actor.committee_id, kind=numbering.INTAKE, year=year,
                                    seq=first + count - 1)
            self._intake_seqs[year] = list(range(first + count - 1, first - 1, -1))  # popped from the end

    def _received_at(self, checked: "_Checked") -> dt.datetime:
        received_at = checked.data.received_at
        return received_at.astimezone(dt.UTC) if received_at else self.now

    def _intake_year(self, checked: "_Checked") -> int:
        return local_date(self._received_at(checked), self.settings.time_zone).year

    def add(self, checked: "_Checked", *, warnings: list[str], prefix: str = "", move_numbers: bool = True) -> Registered:
        """The rows of one checked case; `move_numbers=False` when the caller already moved the agreement
        allocator past the file's numbers (an import does it for all cases before the first is added)."""
        data = checked.data
        actor, settings, dicts, now = self.actor, self.settings, self.dicts, self.now
        received_at = self._received_at(checked)
        community_id = dicts.communities[data.community]
        grid_id = self._grid(checked, community_id)
        year = self._intake_year(checked)
        reserved = self._intake_seqs.get(year)
        if reserved:
            seq = reserved.pop()
        else:
            seq = numbering.next_seq(self.session, committee_id=actor.committee_id, kind=numbering.INTAKE, year=year)
        intake_no = numbering.format_number(settings.intake_no_format, year=year, seq=seq)
        names = [values["name"] for values in checked.parties]
        status, before_close = implied_status(data)
        accepted = status not in (CaseStatus.REGISTERED, CaseStatus.REJECTED) and before_close != CaseStatus.REJECTED
        accepted_at = received_at if accepted else None
        case_id = self._ids.take(Case)

        for index, values in enumerate(checked.parties):
            party_id = self._ids.take(Party)
            self.rows[Party].append(_values(
                Party, id=party_id, case_id=case_id, committee_id=actor.committee_id, seq=index, id_number_rev=derived.reversed_or_none(values.get("id_number")),
                phone_rev=derived.phone_key(values.get("phone")), **values,
            ))
            if index in checked.agents:
                agent = checked.agents[index]  # the ORM's before-insert hook sets phone_rev; a Core row must itself
                self.rows[Agent].append(_values(Agent, party_id=party_id, committee_id=actor.committee_id,
                                                phone_rev=derived.phone_key(agent.get("phone")), **agent))
        committee_id = actor.committee_id
        self.rows[NameGram].extend({"committee_id": committee_id, "gram": gram, "case_id": case_id}
                                   for gram in sorted(derived.case_grams(names)))
        self.rows[NamePinyin].extend({"committee_id": committee_id, "key": key, "case_id": case_id}
                                     for key in sorted(pinyin.case_keys(names)))
        if data.police_referral is not None:
            self._referral(checked, case_id, received_at)
        new_warnings = list(warnings)
        lead_name = self._mediators_of(checked, case_id, prefix, new_warnings)
        if data.agreement is not None:
            self._agreement(checked, case_id, move_numbers)
        for step in data.escalations:
            self.rows[Escalation].append(_values(
                Escalation, case_id=case_id, from_level=step.from_level.value, to_level=step.to_level.value,
                reason=step.reason, by_login=step.by or actor.login, at=step.at,
            ))
        for sitting in data.sessions:
            self.rows[MediationSession].append(_values(
                MediationSession, case_id=case_id, held_at=sitting.held_at, place=sitting.place, mediators=list(sitting.mediators),
                parties_present=list(sitting.parties_present), participants=list(sitting.participants),
                statements=sitting.statements or "", result=sitting.result or "",
            ))
        for report in data.police_reports:
            self.rows[PoliceReport].append(_values(
                PoliceReport, case_id=case_id, reported_at=report.reported_at, reported_to=report.reported_to,
                note=report.note or "", by_login=report.by or actor.login,
            ))

        self.rows[Case].append(_values(
            Case,
            id=case_id,
            committee_id=actor.committee_id,
            intake_no=intake_no,
            received_at=received_at,
            source_id=dicts.sources[data.source],
            dispute_type_id=dicts.dispute_types[data.dispute_type],
            level=data.level.value,
            community_id=community_id,
            grid_id=grid_id,
            summary=data.summary,
            claims=list(data.claims),
            amount_fen=checked.amount_fen,
            status=status.value,
            status_before_close=before_close.value if before_close else None,
            accepted_at=accepted_at,
            due_on=derived.mediation_due_on(accepted_at, settings) if accepted_at else None,
            closed_at=now if status is CaseStatus.CLOSED else None,
            rejection_reason=data.rejection_reason,
            termination_reason=data.termination_reason.value if data.termination_reason else None,
            termination_destination=data.termination_destination.value if data.termination_destination else None,
            prevented_criminal=data.prevented_criminal,
            prevented_group_petition=data.prevented_group_petition,
            parties_display=derived.parties_display(
                [v["name"] for v in checked.parties if v["role"] == PartyRole.APPLICANT],
                [v["name"] for v in checked.parties if v["role"] == PartyRole.RESPONDENT],
            ),
            lead_name=lead_name,
            created_at=now,
            created_by=actor.login,
        ))
        self.rows[AuditEntry].append(_values(
            AuditEntry, committee_id=actor.committee_id, at=now, login=actor.login, action="case.register", entity="case",
            entity_id=case_id,
            changes=_jsonable({"intake_no": intake_no, "status": status.value, "parties": names, "level": data.level.value}),
            note=IMPORT_REASON if data.status is not CaseStatus.REGISTERED else None,
        ))
        self._registered.append(case_id)
        return Registered(id=case_id, intake_no=intake_no, warnings=tuple(new_warnings))

    def insert(self) -> None:
        """Write every collected row (refused like any ORM flush when a text is too long or holds a control
        character), then forget them."""
        assigned = bool(self.rows.get(CaseMediator))
        for model in ORDER:
            rows = self.rows.pop(model, None)
            if not rows:
                continue
            if model in (NameGram, NamePinyin):  # pieces of the parties' names, which are checked; three columns
                self._insert_pairs(model, rows)
                continue
            for row in rows:
                limits.check_row(model.__table__, row)
            self.session.execute(model.__table__.insert(), rows)
        # What audit.record notes case by case, once: the window refreshes when the unit of work has committed.
        written, self._registered = self._registered, []
        if written:
            changed.note(self.session, changed.Changes(
                kinds=changed.kinds_of("case.register", "case") | ({"mediator"} if assigned else frozenset()),
                case_ids=frozenset(written),
                rows=frozenset(("case", case_id) for case_id in written),
            ))

    def _insert_pairs(self, model: type[SQLModel], rows: list[dict[str, Any]]) -> None:
        """Hundreds of thousands of (committee, text, case id) rows on a long import: straight to the driver's
        executemany, without SQLAlchemy building parameters row by row (a third of the import's time)."""
        names = [column.name for column in model.__table__.columns]
        marker = "?" if self.session.get_bind().dialect.paramstyle == "qmark" else "%s"
        columns = ", ".join(f'"{name}"' for name in names)
        self.session.connection().exec_driver_sql(
            f"INSERT INTO {model.__tablename__} ({columns}) VALUES ({', '.join(marker for _ in names)})",
            [tuple(row[name] for name in names) for row in rows],
        )

    # ------------------------------------------------------------------ parts of a case

    def _grid(self, checked: "_Checked", community_id: int) -> int | None:
        if not checked.new_grid:
            return checked.grid_id
        grid_id = self.dicts.grids.get((community_id, checked.new_grid))  # an earlier case of the same file added it
        if grid_id is None:
            grid = Grid(community_id=community_id, name=checked.new_grid)
            self.session.add(grid)
            self.session.flush()
            grid_id = grid.id
            self.dicts.grids[(community_id, checked.new_grid)] = grid_id
            self.dicts.grid_names[grid_id] = checked.new_grid
        return grid_id

    def _referral(self, checked: "_Checked", case_id: int, received_at: dt.datetime) -> None:
        referral = checked.data.police_referral
        first_due, feedback_due = derived.referral_due_times(referral.referred_at, self.settings)
        self.rows[PoliceReferral].append(_values(
            PoliceReferral,
            case_id=case_id,
            station_id=self.dicts.stations[referral.station],
            officer_phone=checked.referral_phone,
            nature=referral.nature.value if referral.nature else None,
            risk_flags=[flag.value for flag in referral.risk_flags],
            first_contact_due_at=first_due,
            feedback_due_at=feedback_due,
            received_by=referral.received_by or self.actor.display_name or self.actor.login,
            received_at=referral.received_at or received_at,
            feedback_result=referral.feedback_result.value if referral.feedback_result else None,
            feedback_performance=referral.feedback_performance.value if referral.feedback_performance else None,
            **referral.model_dump(include={
                "incident_no", "call_time", "incident_time", "incident_place", "officer", "badge_no", "approver", "consent",
                "referred_at", "first_contact_at", "feedback_at", "feedback_content", "returned_to_police_at",
                "first_contact_note", "feedback_agreement_no", "returned_reason", "second_mediation",
            }),
        ))

    def _mediator_id(self, name: str, where: str, warnings: list[str]) -> int:
        if self._mediators is None:
            self._mediators = {}
            found = self.session.execute(
                select(Mediator.name, Mediator.id).where(Mediator.committee_id == self.actor.committee_id).order_by(Mediator.id)
            )
            for known, mediator_id in found:
                self._mediators.setdefault(known, mediator_id)
        if name not in self._mediators:
            mediator = Mediator(committee_id=self.actor.committee_id, name=name, imported=True, created_at=self.now)
            self.session.add(mediator)
            self.session.flush()
            self._mediators[name] = mediator.id
            warnings.append(f"{where}: 调解员“{name}”不在名册中，已作为导入调解员加入（级别待管理员设定）")
        return self._mediators[name]

    def _mediators_of(self, checked: "_Checked", case_id: int, prefix: str, warnings: list[str]) -> str | None:
        lead_name = None
        for index, mediator_in in enumerate(checked.data.mediators):
            where = f"{prefix}.mediators[{index}]" if prefix else f"mediators[{index}]"
            mediator_id = self._mediator_id(mediator_in.name, where, warnings)
            self.rows[CaseMediator].append(_values(
                CaseMediator, case_id=case_id, mediator_id=mediator_id, role=mediator_in.role.value, assigned_at=self.now,
                assigned_by=self.actor.login,
            ))
            if mediator_in.role is CaseMediatorRole.LEAD and lead_name is None:
                lead_name = mediator_in.name
        return lead_name

    def _agreement(self, checked: "_Checked", case_id: int, move_numbers: bool) -> None:
        data, settings, committee_id = checked.data, self.settings, self.actor.committee_id
        agreement_in = data.agreement
        performance = agreement_in.performance
        number = checked.agreement_number or agreement_in.number
        oral = agreement_in.kind is AgreementKind.ORAL
        settled = data.status in (CaseStatus.SETTLED, CaseStatus.CLOSED)
        if number is None and settled and not oral:
            # DESIGN §7: a settled case's agreement is finalised on import and numbered like any other.
            year = agreement_in.signed_on.year if agreement_in.signed_on else local_date(self.now, settings.time_zone).year
            seq = numbering.next_seq(self.session, committee_id=committee_id, kind=numbering.AGREEMENT, year=year)
            number = numbering.format_number(settings.agreement_no_format, year=year, seq=seq)
        # An oral agreement takes no number in the written series: it counts as recorded once the case settled.
        numbered = number is not None or (oral and settled)
        self.rows[Agreement].append(_values(
            Agreement,
            committee_id=committee_id,
            case_id=case_id,
            kind=agreement_in.kind.value,
            number=number,
            facts=agreement_in.facts or "",
            matters=agreement_in.matters or "",
            responsibilities=agreement_in.responsibilities or "",
            clauses=list(agreement_in.clauses),
            performance_method=performance.method if performance else None,
            performance_place=performance.place if performance else None,
            performance_deadline=performance.deadline if performance else None,
            signed_on=agreement_in.signed_on,
            effective_on=agreement_in.signed_on if numbered else None,
            finalised_at=self.now if numbered else None,
            imported=numbered,
        ))
        if move_numbers and checked.agreement_seq is not None:
            year, seq = checked.agreement_seq
            numbering.move_past(self.session, committee_id=committee_id, kind=numbering.AGREEMENT, year=year, seq=seq)


def implied_status(data) -> tuple[CaseStatus, CaseStatus | None]:
    """The status to store and, for a closed case, the state it was closed from."""
    if data.status is not CaseStatus.CLOSED:
        return data.status, None
    if data.rejection_reason:
        return CaseStatus.CLOSED, CaseStatus.REJECTED
    if data.agreement is not None and not data.termination_reason:
        return CaseStatus.CLOSED, CaseStatus.SETTLED
    return CaseStatus.CLOSED, CaseStatus.TERMINATED
