"""人民调解协议书 (written) or 口头协议 (oral)."""

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, Index, UniqueConstraint, text
from sqlmodel import Field

from laopan.models.base import Versioned, one_of
from laopan.models.enums import AgreementKind
from laopan.models.types import UTCDateTime


class Agreement(Versioned, table=True):
    """The agreement of a settled case. `revision` counts corrections after finalising (`version` is the lock)."""

    __tablename__ = "agreement"
    __table_args__ = (
        UniqueConstraint("committee_id", "number"),
        # A case may hold superseded agreements (已作废) beside the one in force; only one is in force. Migration
        # 0007 makes the index partial on both engines; `postgresql_where` is not repeated here because declaring
        # it imports SQLAlchemy's whole PostgreSQL dialect (~22 ms) into every SQLite desk's start (issue 16).
        Index("uq_agreement_case_in_force", "case_id", unique=True, sqlite_where=text("superseded_at IS NULL")),
        one_of("kind", AgreementKind),
        CheckConstraint("revision >= 1", name="revision"),
    )

    id: int | None = Field(default=None, primary_key=True)
    committee_id: int = Field(foreign_key="committee.id", ondelete="CASCADE")
    case_id: int = Field(foreign_key="mediation_case.id", index=True, ondelete="CASCADE")
    kind: str = Field(default=AgreementKind.WRITTEN.value, max_length=12)
    number: str | None = Field(default=None, max_length=60)
    facts: str = ""
    matters: str = ""
    responsibilities: str = ""
    clauses: list[str] = Field(default_factory=list, sa_type=JSON, nullable=False)
    performance_method: str | None = Field(default=None, max_length=100)
    performance_place: str | None = Field(default=None, max_length=200)
    performance_deadline: dt.date | None = None
    signed_on: dt.date | None = None
    effective_on: dt.date | None = None
    finalised_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    imported: bool = Field(default=False)
    reviewed_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    reviewed_by: str | None = Field(default=None, max_length=64)
    revision: int = Field(default=1)
    # Added by migration 0004: the editor's structured clauses ({"kind": "text"|"payment", …}); `clauses` holds
    # their text as printed. Empty for agreements whose clauses were typed or imported as text.
    clause_specs: list[dict] = Field(default_factory=list, sa_type=JSON, nullable=False, sa_column_kwargs={"server_default": "[]"})
    review_note: str | None = None
    # Added by migration 0008. A change after a signature is a new agreement naming the one it supersedes; the
    # old one keeps its number and signatures and is marked 已作废 with the reason.
    supersedes_id: int | None = Field(default=None, foreign_key="agreement.id", ondelete="SET NULL")
    superseded_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    superseded_reason: str | None = None
    # An oral agreement (Art. 28): its register number (口调字, if the committee keeps one) and who confirmed it.
    oral_register_no: str | None = Field(default=None, max_length=60)
    confirmed_by: list[str] = Field(default_factory=list, sa_type=JSON, nullable=False, sa_column_kwargs={"server_default": "[]"})
    confirmed_on: dt.date | None = None


def in_force():
    """The WHERE clause of "the agreement in force" of a case (not superseded)."""
    return Agreement.superseded_at.is_(None)
