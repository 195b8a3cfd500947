"""Reading cases: the list page (filters and paging in SQL), search, and the case detail.

List rows carry only what the list shows (PITFALLS: select shown columns, not entities) and nothing personal
beyond names; the detail masks ID numbers, phones and addresses unless the caller asks to reveal them, which
is permitted by role and audited.
"""

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlmodel import Session

from laopan.clock import local_date
from laopan.errors import NotFound, PermissionDenied, ValidationError
from laopan.models import (
    Agent,
    Agreement,
    Case,
    CaseMediator,
    Escalation,
    MediationSession,
    Mediator,
    NumberSequence,
    Party,
    PoliceReferral,
    PoliceReport,
)
from laopan.models.enums import CaseStatus
from laopan.security.permissions import Action
from laopan.security.records import JOINT_ONLY, case_clause, require_case
from laopan.services import audit
from laopan.services.actor import Actor
from laopan.services.committee import Dictionaries, committee_settings, load_dictionaries
from laopan.services.derived import fen_to_yuan
from laopan.services.fixed import case_share, fixed_part
from laopan.services.search import frequent_cap, parse_search
from laopan.validation import mask_address, mask_id_number, mask_phone
from laopan.views.cases import (
    AgentView,
    AgreementView,
    CaseDetail,
    CaseMediatorView,
    CaseRow,
    EscalationView,
    PartyView,
    ReferralView,
    SessionView,
)
from laopan.views.referrals import PoliceReportView

COUNT_WALK = 10  # × the frequent cap: above this many index entries the capped count walks too (CaseQuery._capped)

OPEN_STATUSES = (CaseStatus.ACCEPTED.value, CaseStatus.MEDIATING.value)
DUE_FILTERS = ("overdue", "due_soon")


@dataclass(frozen=True)
class CaseFilter:
    level: str | None = None
    status: str | None = None
    dispute_type: str | None = None
    community: str | None = None
    source: str | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    mediator_id: int | None = None
    due: str | None = None
    text: str | None = None


def _known(mapping: dict[str, int], key: str, field_name: str) -> int:
    if key not in mapping:
        raise ValidationError(field_name, f"没有“{key}”，可选：{'、'.join(mapping)}")
    return mapping[key]


def _conditions(session: Session, actor: Actor, filters: CaseFilter, dicts: Dictionaries, today: dt.date, tz: str, soon: int) -> list[ColumnElement[bool]]:
    from laopan.clock import start_of_day

    conditions: list[ColumnElement[bool]] = [case_clause(session, actor)]
    if actor.joint_cases_only and filters.source not in (None, "police_referral"):
        raise PermissionDenied(JOINT_ONLY)
    if filters.level:
        conditions.append(Case.level == filters.level)
    if filters.status:
        conditions.append(Case.status == filters.status)
    if filters.dispute_type:
        conditions.append(Case.dispute_type_id == _known(dicts.dispute_types, filters.dispute_type, "纠纷类型"))
    if filters.community:
        conditions.append(Case.community_id == _known(dicts.communities, filters.community, "社区"))
    if filters.source:
        conditions.append(Case.source_id == _known(dicts.sources, filters.source, "案件来源"))
    if filters.received_from:
        conditions.append(Case.received_at >= start_of_day(filters.received_from, tz))
    if filters.received_to:
        conditions.append(Case.received_at < start_of_day(filters.received_to + dt.timedelta(days=1), tz))
    if filters.mediator_id is not None:
        conditions.append(Case.id.in_(select(CaseMediator.case_id).where(CaseMediator.mediator_id == filters.mediator_id)))
    if filters.due == "overdue":
        conditions += [Case.status.in_(OPEN_STATUSES), Case.due_on < today]
    elif filters.due == "due_soon":
        conditions += [Case.status.in_(OPEN_STATUSES), Case.due_on >= today, Case.due_on <= today + dt.timedelta(days=soon)]
    return conditions


COUNT_CAP = 1000  # the list says "1,000+ 件" beyond this unless asked for the exact count


@dataclass(frozen=True)
class PageKey:
    """Where a page ended, in list order (newest first): the next page starts after this case."""

    received_at: dt.datetime
    id: int


def _agreement_sequence(session: Session, committee_id: int, settings, seq: int) -> ColumnElement[bool]:
    """The agreement numbers with sequence `seq`, one per year the committee has numbered (an index lookup each)."""
    from laopan.services.numbering import AGREEMENT, format_number

    years = session.execute(
        select(NumberSequence.year).where(
            NumberSequence.committee_id == committee_id, NumberSequence.kind == AGREEMENT, NumberSequence.last_seq >= seq
        )
    ).scalars().all()
    numbers = [format_number(settings.agreement_no_format, year=year, seq=seq) for year in years]
    return and_(Agreement.committee_id == committee_id, Agreement.number.in_(numbers)) if numbers else false()


class CaseQuery:
    """One committee's case list under a set of filters: count once, then fetch pages.

    Built per question; the dictionaries and settings come from the per-desk cache (`fixed_part`). A search
    term is planned here once (walk newest-first for a frequent term, index-first for a rare one).
    """

    def __init__(self, session: Session, *, actor: Actor, filters: CaseFilter):
        self.actor = actor
        self.filters = filters
        fixed = fixed_part(session, actor.committee_id)
        self.dicts = fixed.dictionaries
        settings = fixed.settings
        self.tz = settings.time_zone
        self.today = actor.today(self.tz)
        self.soon = settings.due_soon_days
        conditions = _conditions(session, actor, filters, self.dicts, self.today, self.tz, settings.due_soon_days)
        self.where = self.count_where = and_(*conditions)
        self.search = None
        self.walks = False
        postgresql = session.get_bind().dialect.name == "postgresql"
        if filters.text and filters.text.strip():
            search = parse_search(filters.text, lambda seq: _agreement_sequence(session, actor.committee_id, settings, seq),
                                  postgresql=postgresql, committee_id=actor.committee_id)
            # A page is read in list order: walk newest-first for a frequent term, index-first for a rare one.
            self.cap, self.share = frequent_cap(postgresql), case_share(session, actor.committee_id)
            self.search, self.walks = search.planned(session, self.cap, self.share)
            search = self.search
            self.where = and_(*conditions, search.walk if self.walks else search.match)
            self.count_where = and_(*conditions, search.match)  # the exact count is cheaper from the term's index

    def _capped(self, session: Session) -> tuple[ColumnElement[bool], bool]:
        """The condition for the capped count ("1,000+"), and whether it counts in list order.

        It walks only a very frequent term: walking to 1,001 matches reads cases × 1,001 / matches cases (100k for
        zw's 1,061 at 100k cases), where the index plan stops after ~1,001 index entries but first gathers them
        all; they cross near COUNT_WALK × the frequent cap. Asked here, not when the query is built, because telling
        costs a probe of up to 10,000 index entries (~20 ms on PostgreSQL) that a page alone does not need.
        A walk counts in list order (a term frequent among recent cases, DL2026, stops early); the index plan
        counts in any order (sorting every match first is what it avoids)."""
        if self.search is None:
            return self.where, True
        if self.walks and self.search.frequent(session, COUNT_WALK * self.cap, self.share):
            return self.where, True
        return self.count_where, False

    def count(self, session: Session, *, limit: int | None = None) -> int:
        """How many cases match; with `limit`, counting stops there (so `limit=COUNT_CAP + 1` means "1,000+")."""
        if limit is None:
            return int(session.execute(select(func.count()).select_from(Case).where(self.count_where)).scalar_one())
        capped_where, in_order = self._capped(session)
        capped = select(Case.id).where(capped_where).limit(limit)
        if in_order:
            capped = capped.order_by(Case.received_at.desc(), Case.id.desc())
        capped = capped.subquery()
        return int(session.execute(select(func.count()).select_from(capped)).scalar_one())

    def page(self, session: Session, *, offset: int = 0, limit: int = 100, after: PageKey | None = None) -> list[CaseRow]:
        """A page in list order: from `offset`, or — reading straight through — right after `after` (keyset)."""
        statement = (
            select(
                Case.id, Case.intake_no, Case.received_at, Case.parties_display, Case.dispute_type_id, Case.level,
                Case.status, Case.lead_name, Case.due_on, Case.community_id,
            )
            .where(self.where)
            .order_by(Case.received_at.desc(), Case.id.desc())
            .limit(limit)
        )
        if after is not None:
            # The first term is an index range on both engines (an OR alone is not); the second breaks ties.
            statement = statement.where(
                Case.received_at <= after.received_at,
                or_(Case.received_at < after.received_at, Case.id < after.id),
            )
        elif offset:
            statement = statement.offset(offset)
        # Unpacked: a Row's attribute access by name costs ~1 µs, 12 per row (1.2 ms a page of 100).
        return [self._row(*row) for row in session.execute(statement)]

    def _row(self, case_id, intake_no, received_at, parties, dispute_type_id, level, status, lead_name, due_on,
             community_id) -> CaseRow:
        days_left = (due_on - self.today).days if (due_on and status in OPEN_STATUSES) else None
        return CaseRow(
            id=case_id,
            intake_no=intake_no,
            received_on=local_date(received_at, self.tz),
            parties=parties,
            dispute_type=self.dicts.dispute_type_labels.get(dispute_type_id, ""),
            level=level,
            status=status,
            lead_name=lead_name,
            due_on=due_on,
            days_left=days_left,
            community=self.dicts.community_names.get(community_id, ""),
            due_soon=is_due_soon(days_left, self.soon),
            received_at=received_at,
        )


def is_due_soon(days_left: int | None, due_soon_days: int) -> bool:
    """The one "due soon" rule: open, not overdue, and due within the committee's `due_soon_days`."""
    return days_left is not None and 0 <= days_left <= due_soon_days


def list_cases(session: Session, *, actor: Actor, filters: CaseFilter = CaseFilter(), offset: int = 0, limit: int = 100) -> list[CaseRow]:
    return CaseQuery(session, actor=actor, filters=filters).page(session, offset=offset, limit=limit)


def count_cases(session: Session, *, actor: Actor, filters: CaseFilter = CaseFilter()) -> int:
    return CaseQuery(session, actor=actor, filters=filters).count(session)


# ---------------------------------------------------------------- detail


def session_view(row: MediationSession) -> SessionView:
    return SessionView(
        id=row.id, case_id=row.case_id, held_at=row.held_at, place=row.place, mediators=tuple(row.mediators),
        parties_present=tuple(row.parties_present), participants=tuple(row.participants), statements=row.statements,
        result=row.result, version=row.version, updated_by=row.updated_by, updated_at=row.updated_at,
    )


def find_case_id(session: Session, *, actor: Actor, intake_no: str) -> int:
    case_id = session.execute(
        select(Case.id).where(Case.committee_id == actor.committee_id, Case.intake_no == intake_no.strip().upper())
    ).scalar_one_or_none()
    if case_id is None:
        raise NotFound(f"找不到受理编号为 {intake_no} 的案件")
    return case_id


def load_case(session: Session, *, actor: Actor, case_id: int) -> Case:
    """The case row, after the record rules (laopan.security.records.require_case)."""
    return require_case(session, actor, case_id)


def case_detail(session: Session, *, actor: Actor, case_id: int, reveal: bool = False) -> CaseDetail:
    """Everything about one case. With `reveal`, ID numbers, phones and addresses are shown in full (audited)."""
    case = load_case(session, actor=actor, case_id=case_id)
    if reveal:
        actor.require(Action.REVEAL)
        audit.record(session, actor=actor, action="case.reveal", entity="case", entity_id=case.id, note="查看完整个人信息")
    return build_detail(session, actor=actor, case=case, reveal=reveal)


def agreement_view(session: Session, agreement: Agreement) -> AgreementView:
    """One agreement as the documents and the window read it (the one in force, or a superseded one)."""
    supersedes = session.get(Agreement, agreement.supersedes_id) if agreement.supersedes_id else None
    successor = session.execute(select(Agreement.number).where(Agreement.supersedes_id == agreement.id)).scalars().first()
    return AgreementView(
        kind=agreement.kind, number=agreement.number, facts=agreement.facts, matters=agreement.matters,
        responsibilities=agreement.responsibilities, clauses=tuple(agreement.clauses),
        performance_method=agreement.performance_method, performance_place=agreement.performance_place,
        performance_deadline=agreement.performance_deadline, signed_on=agreement.signed_on,
        effective_on=agreement.effective_on, finalised=agreement.finalised_at is not None,
        imported=agreement.imported, revision=agreement.revision,
        superseded=agreement.superseded_at is not None, superseded_reason=agreement.superseded_reason,
        supersedes_number=supersedes.number if supersedes else None, superseded_by_number=successor,
        oral_register_no=agreement.oral_register_no, confirmed_by=tuple(agreement.confirmed_by or ()),
        confirmed_on=agreement.confirmed_on,
    )


def build_detail(session: Session, *, actor: Actor, case: Case, reveal: bool) -> CaseDetail:
    """The detail of a case already loaded through `load_case` (no permission check or audit here)."""
    dicts = load_dictionaries(session, actor.committee_id)
    settings = committee_settings(session, actor.committee_id)
    today = actor.today(settings.time_zone)

    def personal(value: str | None, mask) -> str | None:
        return value if (reveal or not value) else mask(value)

    parties = session.execute(select(Party).where(Party.case_id == case.id).order_by(Party.seq)).scalars().all()
    agents = {
        agent.party_id: agent
        for agent in session.execute(select(Agent).where(Agent.party_id.in_([p.id for p in parties]))).scalars()
    } if parties else {}
    party_views = []
    for party in parties:
        agent = agents.get(party.id)
        party_views.append(
            PartyView(
                id=party.id, role=party.role, kind=party.kind, name=party.name, sex=party.sex, ethnicity=party.ethnicity,
                birth_date=party.birth_date, id_type=party.id_type, id_number=personal(party.id_number, mask_id_number),
                occupation=party.occupation, phone=personal(party.phone, mask_phone),
                address=personal(party.address, mask_address), credit_code=party.credit_code,
                representative=party.representative, org_kind=party.org_kind, capacity=party.capacity,
                agent=AgentView(
                    name=agent.name, relation=agent.relation, phone=personal(agent.phone, mask_phone),
                    id_number=personal(agent.id_number, mask_id_number), address=personal(agent.address, mask_address),
                    kind=agent.kind, scope=agent.scope, id_type=agent.id_type,
                ) if agent else None,
            )
        )
    mediators = [
        CaseMediatorView(mediator_id=m.id, name=m.name, role=cm.role, rank=m.rank)
        for cm, m in session.execute(
            select(CaseMediator, Mediator).join(Mediator, Mediator.id == CaseMediator.mediator_id)
            .where(CaseMediator.case_id == case.id).order_by(CaseMediator.id)
        )
    ]
    referral = session.execute(select(PoliceReferral).where(PoliceReferral.case_id == case.id)).scalar_one_or_none()
    agreement = session.execute(select(Agreement).where(Agreement.case_id == case.id, Agreement.superseded_at.is_(None))).scalar_one_or_none()
    escalations = session.execute(select(Escalation).where(Escalation.case_id == case.id).order_by(Escalation.at, Escalation.id)).scalars().all()
    days_left = (case.due_on - today).days if case.due_on and case.status in OPEN_STATUSES else None
    return CaseDetail(
        id=case.id, intake_no=case.intake_no, received_at=case.received_at,
        source=dicts.source_codes[case.source_id], source_label=dicts.source_labels[case.source_id],
        dispute_type=dicts.dispute_type_codes[case.dispute_type_id], dispute_type_label=dicts.dispute_type_labels[case.dispute_type_id],
        level=case.level, community=dicts.community_names.get(case.community_id, ""),
        grid=dicts.grid_names.get(case.grid_id) if case.grid_id else None,
        summary=case.summary, claims=tuple(case.claims), amount_yuan=fen_to_yuan(case.amount_fen),
        status=case.status, status_before_close=case.status_before_close, accepted_at=case.accepted_at,
        due_on=case.due_on,
        days_left=days_left,
        closed_at=case.closed_at, version=case.version, revealed=reveal,
        parties=tuple(party_views), mediators=tuple(mediators),
        referral=ReferralView(
            incident_no=referral.incident_no, station=dicts.station_names.get(referral.station_id, ""),
            call_time=referral.call_time, incident_time=referral.incident_time, incident_place=referral.incident_place,
            officer=referral.officer, badge_no=referral.badge_no, officer_phone=referral.officer_phone,
            approver=referral.approver, nature=referral.nature, risk_flags=tuple(referral.risk_flags),
            consent=referral.consent, referred_at=referral.referred_at, received_by=referral.received_by,
            received_at=referral.received_at, first_contact_due_at=referral.first_contact_due_at,
            feedback_due_at=referral.feedback_due_at, first_contact_at=referral.first_contact_at,
            feedback_at=referral.feedback_at, feedback_content=referral.feedback_content,
            returned_to_police_at=referral.returned_to_police_at,
            first_contact_note=referral.first_contact_note, feedback_result=referral.feedback_result,
            feedback_agreement_no=referral.feedback_agreement_no, feedback_performance=referral.feedback_performance,
            returned_reason=referral.returned_reason, second_mediation=referral.second_mediation,
            version=referral.version,
        ) if referral else None,
        agreement=agreement_view(session, agreement) if agreement else None,
        escalations=tuple(
            EscalationView(from_level=e.from_level, to_level=e.to_level, reason=e.reason, by_login=e.by_login, at=e.at)
            for e in escalations
        ),
        time_zone=settings.time_zone, due_soon=is_due_soon(days_left, settings.due_soon_days),
        rejection_reason=case.rejection_reason,
        termination_reason=case.termination_reason,
        termination_destination=case.termination_destination,
        prevented_criminal=bool(case.prevented_criminal),
        prevented_group_petition=bool(case.prevented_group_petition),
        may_edit=actor.may(Action.EDIT) and case.status != CaseStatus.CLOSED.value,  # until it is closed
        sessions=tuple(
            session_view(m)
            for m in session.execute(
                select(MediationSession).where(MediationSession.case_id == case.id).order_by(MediationSession.held_at, MediationSession.id)
            ).scalars()
        ),
        police_reports=tuple(
            PoliceReportView(case_id=r.case_id, reported_at=r.reported_at, reported_to=r.reported_to, note=r.note, by_login=r.by_login)
            for r in session.execute(
                select(PoliceReport).where(PoliceReport.case_id == case.id).order_by(PoliceReport.reported_at, PoliceReport.id)
            ).scalars()
        ),
    )
