"""What happens to a case after intake: escalations, sessions, police referral, follow-up visits."""

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, Index
from sqlmodel import Field, SQLModel

from laopan.models.base import Versioned, one_of
from laopan.models.enums import Level, PerformanceStatus, ReferralNature
from laopan.models.types import UTCDateTime


class Escalation(SQLModel, table=True):
    """上报/升级 (or a supervisor's return one level down): append-only history of a case's level."""

    __tablename__ = "escalation"
    __table_args__ = (
        one_of("from_level", Level),
        one_of("to_level", Level),
        CheckConstraint("from_level <> to_level", name="moves"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="mediation_case.id", index=True, ondelete="CASCADE")
    from_level: str = Field(max_length=12)
    to_level: str = Field(max_length=12)
    reason: str
    by_login: str = Field(max_length=64)
    at: dt.datetime = Field(sa_type=UTCDateTime, nullable=False)


class MediationSession(Versioned, table=True):
    """调解记录: one sitting of a mediation."""

    __tablename__ = "mediation_session"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="mediation_case.id", index=True, ondelete="CASCADE")
    held_at: dt.datetime = Field(sa_type=UTCDateTime, nullable=False)
    place: str = Field(max_length=100)
    mediators: list[str] = Field(default_factory=list, sa_type=JSON, nullable=False)
    parties_present: list[str] = Field(default_factory=list, sa_type=JSON, nullable=False)
    participants: list[str] = Field(default_factory=list, sa_type=JSON, nullable=False)
    statements: str = ""
    result: str = ""


class PoliceReferral(Versioned, table=True):
    """警情移交: the police station's referral of a joint case and the feedback owed to it."""

    __tablename__ = "police_referral"
    __table_args__ = (
        one_of("nature", ReferralNature, nullable=True),
        Index("ix_police_referral_feedback_due", "feedback_due_at"),
        Index("ix_police_referral_incident_no", "incident_no"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="mediation_case.id", unique=True, ondelete="CASCADE")
    incident_no: str = Field(max_length=40)
    call_time: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    incident_time: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    incident_place: str | None = Field(default=None, max_length=200)
    station_id: int = Field(foreign_key="police_station.id")
    officer: str | None = Field(default=None, max_length=64)
    badge_no: str | None = Field(default=None, max_length=20)
    officer_phone: str | None = Field(default=None, max_length=20)
    approver: str | None = Field(default=None, max_length=64)
    nature: str | None = Field(default=None, max_length=32)
    risk_flags: list[str] = Field(default_factory=list, sa_type=JSON, nullable=False)
    consent: bool | None = None
    referred_at: dt.datetime = Field(sa_type=UTCDateTime, nullable=False)
    received_by: str | None = Field(default=None, max_length=64)
    received_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    first_contact_due_at: dt.datetime = Field(sa_type=UTCDateTime, nullable=False)
    feedback_due_at: dt.datetime = Field(sa_type=UTCDateTime, nullable=False)
    first_contact_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    feedback_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    feedback_content: str | None = None
    returned_to_police_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Added by migration 0003 (the liaison's feedback loop). Codes are checked by the referral service.
    first_contact_by: str | None = Field(default=None, max_length=64)
    first_contact_note: str | None = None
    feedback_by: str | None = Field(default=None, max_length=64)
    feedback_result: str | None = Field(default=None, max_length=20, description="FeedbackResult code")
    feedback_agreement_no: str | None = Field(default=None, max_length=60)
    feedback_performance: str | None = Field(default=None, max_length=16, description="PerformanceStatus code")
    returned_by: str | None = Field(default=None, max_length=64)
    returned_reason: str | None = None
    second_mediation: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})


class FollowUp(Versioned, table=True):
    """回访: a visit to check that the agreement is performed."""

    __tablename__ = "follow_up"
    __table_args__ = (one_of("performance_status", PerformanceStatus),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="mediation_case.id", index=True, ondelete="CASCADE")
    planned_on: dt.date
    done_on: dt.date | None = None
    visitor: str | None = Field(default=None, max_length=64)
    method: str | None = Field(default=None, max_length=30)
    performance_status: str = Field(default=PerformanceStatus.NOT_DUE.value, max_length=16)
    notes: str = ""
    # Added by migration 0010: what the visit checks ("履行期限", "第2期付款"), as the schedule named it.
    purpose: str | None = Field(default=None, max_length=60)
