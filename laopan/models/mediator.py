"""调解员, 老潘+小潘 pairings and the mediators of a case."""

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from laopan.models.base import Versioned, one_of
from laopan.models.enums import CaseMediatorRole, MediatorRank, MediatorUnit
from laopan.models.types import UTCDateTime


class Mediator(Versioned, table=True):
    """A mediator, with the personal details the recusal check (回避) compares against parties."""

    __tablename__ = "mediator"
    __table_args__ = (
        one_of("rank", MediatorRank),
        one_of("unit", MediatorUnit),
        Index("ix_mediator_committee_name", "committee_id", "name"),
    )

    id: int | None = Field(default=None, primary_key=True)
    committee_id: int = Field(foreign_key="committee.id", ondelete="CASCADE")
    name: str = Field(max_length=64)
    rank: str = Field(default=MediatorRank.UNKNOWN.value, max_length=12)
    unit: str = Field(default=MediatorUnit.STREET.value, max_length=16)
    community_id: int | None = Field(default=None, foreign_key="community.id")
    grid_id: int | None = Field(default=None, foreign_key="grid.id")
    phone: str | None = Field(default=None, max_length=20)
    id_number: str | None = Field(default=None, max_length=40)
    address: str | None = Field(default=None, max_length=200)
    work_unit: str | None = Field(default=None, max_length=100)
    mentor_id: int | None = Field(default=None, foreign_key="mediator.id")
    active: bool = Field(default=True)
    imported: bool = Field(default=False, description="added by an import; not suggested until an admin sets its rank")
    created_at: dt.datetime = Field(sa_type=UTCDateTime, nullable=False)
    # Added by migration 0002 (workflow): names of relatives the mediator declared, for the recusal check.
    declared_relatives: list[str] = Field(
        default_factory=list, sa_type=JSON, nullable=False, sa_column_kwargs={"server_default": "[]"}
    )


class MediatorSpecialty(SQLModel, table=True):
    """The dispute types a mediator is good at."""

    __tablename__ = "mediator_specialty"

    mediator_id: int = Field(foreign_key="mediator.id", primary_key=True, ondelete="CASCADE")
    dispute_type_id: int = Field(foreign_key="dispute_type.id", primary_key=True, ondelete="CASCADE")


class Pairing(Versioned, table=True):
    """老潘+小潘: a senior mentoring a junior from `started_on` until `ended_on`."""

    __tablename__ = "pairing"
    __table_args__ = (
        CheckConstraint("senior_id <> junior_id", name="distinct_members"),
        CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="dates"),
    )

    id: int | None = Field(default=None, primary_key=True)
    committee_id: int = Field(foreign_key="committee.id", ondelete="CASCADE")
    senior_id: int = Field(foreign_key="mediator.id", index=True)
    junior_id: int = Field(foreign_key="mediator.id", index=True)
    started_on: dt.date
    ended_on: dt.date | None = None


class CaseMediator(SQLModel, table=True):
    """A mediator's role on a case (人民调解法 Art. 19 allows several)."""

    __tablename__ = "case_mediator"
    __table_args__ = (
        UniqueConstraint("case_id", "mediator_id", "role"),
        one_of("role", CaseMediatorRole),
        Index("ix_case_mediator_mediator", "mediator_id", "role", "case_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="mediation_case.id", index=True, ondelete="CASCADE")
    mediator_id: int = Field(foreign_key="mediator.id")
    role: str = Field(max_length=12)
    pairing_id: int | None = Field(default=None, foreign_key="pairing.id")
    assigned_at: dt.datetime = Field(sa_type=UTCDateTime, nullable=False)
    assigned_by: str = Field(max_length=64)
