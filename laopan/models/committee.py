"""The committee and what belongs to it: dictionaries, number sequences, users."""

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from laopan.models.base import Versioned, one_of
from laopan.models.enums import Role
from laopan.models.types import UTCDateTime


class Committee(Versioned, table=True):
    """人民调解委员会: owner of cases, sequences, dictionaries and users."""

    __tablename__ = "committee"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    settings: dict[str, Any] = Field(default_factory=dict, sa_type=JSON, nullable=False)
    created_at: dt.datetime = Field(sa_type=UTCDateTime, nullable=False)


class Community(Versioned, table=True):
    """社区."""

    __tablename__ = "community"
    __table_args__ = (UniqueConstraint("committee_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    committee_id: int = Field(foreign_key="committee.id", ondelete="CASCADE")
    name: str = Field(max_length=50)
    sort_order: int = Field(default=0)
    active: bool = Field(default=True)


class Grid(Versioned, table=True):
    """网格, named `{社区}第{n}网格`."""

    __tablename__ = "grid"
    __table_args__ = (UniqueConstraint("community_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", ondelete="CASCADE")
    name: str = Field(max_length=60)
    active: bool = Field(default=True)


class PoliceStation(Versioned, table=True):
    """派出所 that refers disputes."""

    __tablename__ = "police_station"
    __table_args__ = (UniqueConstraint("committee_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    committee_id: int = Field(foreign_key="committee.id", ondelete="CASCADE")
    name: str = Field(max_length=60)
    active: bool = Field(default=True)


class _CodedEntry(Versioned):
    """A national code list entry kept per committee: a stable English code and the Chinese label shown."""

    id: int | None = Field(default=None, primary_key=True)
    committee_id: int = Field(foreign_key="committee.id", ondelete="CASCADE")
    code: str = Field(max_length=40)
    label: str = Field(max_length=40)
    sort_order: int = Field(default=0)
    active: bool = Field(default=True)


class DisputeType(_CodedEntry, table=True):
    """纠纷类型 with a stable code (DESIGN §7)."""

    __tablename__ = "dispute_type"
    __table_args__ = (UniqueConstraint("committee_id", "code"), UniqueConstraint("committee_id", "label"))


class CaseSource(_CodedEntry, table=True):
    """案件来源 with a stable code (DESIGN §7)."""

    __tablename__ = "case_source"
    __table_args__ = (UniqueConstraint("committee_id", "code"), UniqueConstraint("committee_id", "label"))


class NumberSequence(SQLModel, table=True):
    """Last number handed out per committee, kind (intake/agreement) and year; bumped inside the saving transaction."""

    __tablename__ = "number_sequence"
    __table_args__ = (CheckConstraint("kind IN ('intake', 'agreement', 'oral')", name="kind"), CheckConstraint("last_seq >= 0", name="last_seq"))

    committee_id: int = Field(foreign_key="committee.id", primary_key=True, ondelete="CASCADE")
    kind: str = Field(max_length=16, primary_key=True)
    year: int = Field(primary_key=True)
    last_seq: int = Field(default=0)


class User(Versioned, table=True):
    """用户: a login at a desk, with a role and optionally the mediator it is."""

    __tablename__ = "app_user"
    __table_args__ = (UniqueConstraint("committee_id", "login"), one_of("role", Role))

    id: int | None = Field(default=None, primary_key=True)
    committee_id: int = Field(foreign_key="committee.id", ondelete="CASCADE")
    login: str = Field(max_length=64)
    display_name: str = Field(max_length=64)
    role: str = Field(max_length=20)
    mediator_id: int | None = Field(default=None, foreign_key="mediator.id", ondelete="SET NULL")
    active: bool = Field(default=True)
    created_at: dt.datetime = Field(sa_type=UTCDateTime, nullable=False)
    # Login (issue 11): an argon2id hash, never the password; NULL = no password set yet, so no login.
    password_hash: str | None = Field(default=None, max_length=255)
    password_changed_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    failed_logins: int = Field(default=0, nullable=False, sa_column_kwargs={"server_default": "0"})
    locked_until: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
