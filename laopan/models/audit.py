"""操作日志: append-only record of every mutation, reveal, print and export."""

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Index
from sqlmodel import Field, SQLModel

from laopan.models.types import UTCDateTime


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_entity", "entity", "entity_id"),
        Index("ix_audit_entry_committee_at", "committee_id", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    committee_id: int | None = Field(default=None, foreign_key="committee.id", ondelete="SET NULL")
    at: dt.datetime = Field(sa_type=UTCDateTime, nullable=False)
    login: str = Field(max_length=64)
    action: str = Field(max_length=40)
    entity: str = Field(max_length=40)
    entity_id: int | None = None
    changes: dict[str, Any] = Field(default_factory=dict, sa_type=JSON, nullable=False)
    note: str | None = None
