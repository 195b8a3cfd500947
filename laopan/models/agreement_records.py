"""What happens to an agreement after drafting: wet signatures, the signed scan, corrections (revisions)."""

import datetime as dt
from typing import Any

from sqlalchemy import JSON, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from laopan.models.types import UTCDateTime

from laopan.models.choices import SIGN_METHODS, SIGNER_KINDS  # noqa: F401  (re-exported)


class AgreementSignature(SQLModel, table=True):
    __tablename__ = "agreement_signature"
    __table_args__ = (UniqueConstraint("agreement_id", "signer_kind", "party_id"),)

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True, ondelete="CASCADE")
    signer_kind: str = Field(max_length=12)
    party_id: int | None = Field(default=None, foreign_key="party.id", ondelete="CASCADE")
    method: str = Field(max_length=16)
    signed_on: dt.date
    # Added by migration 0008: who put pen to paper for the party (a guardian, an agent, a legal representative);
    # empty when the party signed in person.
    signer_name: str | None = Field(default=None, max_length=64)
    signer_capacity: str | None = Field(default=None, max_length=12)
    recorded_by: str = Field(max_length=64)
    recorded_at: dt.datetime = Field(sa_type=UTCDateTime, nullable=False)


class AgreementScan(SQLModel, table=True):
    """The scan of the signed copy, stored in the database so every desk and every backup has it."""

    __tablename__ = "agreement_scan"

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True, ondelete="CASCADE")
    revision: int
    filename: str = Field(max_length=200)
    mime: str = Field(max_length=60)
    size: int
    data: bytes = Field(sa_type=LargeBinary)
    uploaded_by: str = Field(max_length=64)
    uploaded_at: dt.datetime = Field(sa_type=UTCDateTime, nullable=False)


class AgreementRevision(SQLModel, table=True):
    """The content of a finalised agreement before a correction (its number is kept)."""

    __tablename__ = "agreement_revision"
    __table_args__ = (UniqueConstraint("agreement_id", "revision"),)

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True, ondelete="CASCADE")
    revision: int
    content: dict[str, Any] = Field(default_factory=dict, sa_type=JSON, nullable=False)
    reason: str
    by_login: str = Field(max_length=64)
    at: dt.datetime = Field(sa_type=UTCDateTime, nullable=False)
