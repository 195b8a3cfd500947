"""Decisions recorded on a case, with their code lists (tables of migration 0002): recusal decisions, deadline
extensions, mentoring review notes, and why a case ends without settlement or where it is sent."""

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Index
from sqlmodel import Field, SQLModel

from laopan.models.choices import Destination, RecusalOutcome, TerminationReason  # noqa: F401  (re-exported)
from laopan.models.base import one_of
from laopan.models.types import UTCDateTime


class RecusalDecision(SQLModel, table=True):
    """回避审查: what matched between a mediator and a case, and whether the mediator was kept or replaced."""

    __tablename__ = "recusal_decision"
    __table_args__ = (one_of("decision", RecusalOutcome),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="mediation_case.id", index=True, ondelete="CASCADE")
    mediator_id: int = Field(foreign_key="mediator.id", index=True)
    matches: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON, nullable=False)
    decision: str = Field(max_length=12)
    reason: str | None = None
    by_login: str = Field(max_length=64)
    at: dt.datetime = Field(sa_type=UTCDateTime, nullable=False)


class DeadlineExtension(SQLModel, table=True):
    """调解期限延长: both parties' consent (with its dates) and the new mediation deadline."""

    __tablename__ = "deadline_extension"
    __table_args__ = (CheckConstraint("new_due_on > previous_due_on", name="later"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="mediation_case.id", index=True, ondelete="CASCADE")
    previous_due_on: dt.date
    new_due_on: dt.date
    applicant_consent_on: dt.date
    respondent_consent_on: dt.date
    reason: str | None = None
    by_login: str = Field(max_length=64)
    at: dt.datetime = Field(sa_type=UTCDateTime, nullable=False)


class ReviewNote(SQLModel, table=True):
    """A senior's (or supervisor's) review of a junior's work on one case, for the mentoring record."""

    __tablename__ = "review_note"
    __table_args__ = (Index("ix_review_note_junior_case", "junior_id", "case_id"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="mediation_case.id", index=True, ondelete="CASCADE")
    junior_id: int = Field(foreign_key="mediator.id")
    senior_id: int | None = Field(default=None, foreign_key="mediator.id")
    pairing_id: int | None = Field(default=None, foreign_key="pairing.id")
    note: str
    by_login: str = Field(max_length=64)
    at: dt.datetime = Field(sa_type=UTCDateTime, nullable=False)
