"""What the case pages show: a list row, and the case detail with its parties, referral, sessions and agreement.

Personal details arrive masked unless the detail was read with `reveal` (permitted by role and audited).
"""

import datetime as dt
from dataclasses import dataclass, field

from laopan.clock import DEFAULT_TZ
from laopan.views.referrals import PoliceReportView


@dataclass(frozen=True)
class CaseRow:
    id: int
    intake_no: str
    received_on: dt.date
    parties: str
    dispute_type: str
    level: str
    status: str
    lead_name: str | None
    due_on: dt.date | None
    days_left: int | None
    community: str
    due_soon: bool = False
    """Open and due within the committee's `due_soon_days` (not overdue): what the "即将到期" filter finds."""
    received_at: dt.datetime | None = None
    """The instant of receipt: the list's sort key, so the next page can start right after this row (keyset)."""


@dataclass(frozen=True)
class AgentView:
    name: str
    relation: str | None
    phone: str | None
    id_number: str | None
    address: str | None
    kind: str = "entrusted"
    """法定代理人 (legal) or 委托代理人 (entrusted)."""
    scope: str | None = None
    """A 委托代理人's authority: general (一般授权) or special (特别授权, needed to sign an agreement)."""
    id_type: str | None = None


@dataclass(frozen=True)
class PartyView:
    id: int
    role: str
    kind: str
    name: str
    sex: str | None
    ethnicity: str | None
    birth_date: dt.date | None
    id_type: str | None
    id_number: str | None
    occupation: str | None
    phone: str | None
    address: str | None
    credit_code: str | None
    representative: str | None
    agent: AgentView | None
    org_kind: str | None = None
    """An organisation's kind: company/institution → 法定代表人, otherwise 负责人."""
    capacity: str | None = None
    """limited/none (without full capacity) or self_supporting (16–17 living on their own income); None: by age."""


@dataclass(frozen=True)
class ReferralView:
    incident_no: str
    station: str
    call_time: dt.datetime | None
    incident_time: dt.datetime | None
    incident_place: str | None
    officer: str | None
    badge_no: str | None
    officer_phone: str | None
    approver: str | None
    nature: str | None
    risk_flags: tuple[str, ...]
    consent: bool | None
    referred_at: dt.datetime
    received_by: str | None
    received_at: dt.datetime | None
    first_contact_due_at: dt.datetime
    feedback_due_at: dt.datetime
    first_contact_at: dt.datetime | None
    feedback_at: dt.datetime | None
    feedback_content: str | None
    returned_to_police_at: dt.datetime | None
    first_contact_note: str | None = None
    feedback_result: str | None = None
    feedback_agreement_no: str | None = None
    feedback_performance: str | None = None
    returned_reason: str | None = None
    second_mediation: bool = False
    version: int = 1


@dataclass(frozen=True)
class SessionView:
    """调解记录 as the detail, the sessions tab and the export see it."""

    id: int
    case_id: int
    held_at: dt.datetime
    place: str
    mediators: tuple[str, ...]
    parties_present: tuple[str, ...]
    participants: tuple[str, ...]
    statements: str
    result: str
    version: int
    updated_by: str | None
    updated_at: dt.datetime | None


@dataclass(frozen=True)
class CaseMediatorView:
    mediator_id: int
    name: str
    role: str
    rank: str


@dataclass(frozen=True)
class AgreementView:
    kind: str
    number: str | None
    facts: str
    matters: str
    responsibilities: str
    clauses: tuple[str, ...]
    performance_method: str | None
    performance_place: str | None
    performance_deadline: dt.date | None
    signed_on: dt.date | None
    effective_on: dt.date | None
    finalised: bool
    imported: bool
    revision: int
    superseded: bool = False
    superseded_reason: str | None = None
    supersedes_number: str | None = None
    """The number of the agreement this one replaces (a change after a signature)."""
    superseded_by_number: str | None = None
    """The number of the agreement that replaced this one (已作废); None while that one is a draft."""
    oral_register_no: str | None = None
    confirmed_by: tuple[str, ...] = ()
    confirmed_on: dt.date | None = None


@dataclass(frozen=True)
class EscalationView:
    from_level: str
    to_level: str
    reason: str
    by_login: str
    at: dt.datetime


@dataclass(frozen=True)
class CaseDetail:
    id: int
    intake_no: str
    received_at: dt.datetime
    source: str
    source_label: str
    dispute_type: str
    dispute_type_label: str
    level: str
    community: str
    grid: str | None
    summary: str
    claims: tuple[str, ...]
    amount_yuan: str | None
    status: str
    status_before_close: str | None
    accepted_at: dt.datetime | None
    due_on: dt.date | None
    days_left: int | None
    closed_at: dt.datetime | None
    version: int
    revealed: bool
    parties: tuple[PartyView, ...]
    mediators: tuple[CaseMediatorView, ...]
    referral: ReferralView | None
    agreement: AgreementView | None
    escalations: tuple[EscalationView, ...] = field(default=())
    time_zone: str = DEFAULT_TZ
    rejection_reason: str | None = None
    termination_reason: str | None = None
    termination_destination: str | None = None
    sessions: tuple[SessionView, ...] = ()
    police_reports: tuple[PoliceReportView, ...] = ()
    due_soon: bool = False
    """As `CaseRow.due_soon`."""
    prevented_criminal: bool = False
    prevented_group_petition: bool = False
    may_edit: bool = False
    """The actor may correct the case's facts, parties and referral (laopan.services.corrections): not closed."""
