"""The case file beyond the agreement (migration 0010): judicial confirmation, the scans filed in the 卷宗, and the
code lists of follow-up visits, court results and attachment kinds."""

import datetime as dt

from sqlalchemy import LargeBinary
from sqlmodel import Field, SQLModel

from laopan.models.choices import AttachmentKind, JudicialResult, VisitMethod  # noqa: F401  (re-exported)
from laopan.models.base import Versioned, one_of
from laopan.models.types import UTCDateTime


class JudicialConfirmation(Versioned, table=True):
    """司法确认 (人民调解法 Art. 33): the parties' joint application to a court and its ruling. The ruling's scan
    is a `CaseAttachment` of kind `judicial`."""

    __tablename__ = "judicial_confirmation"
    __table_args__ = (one_of("result", JudicialResult, nullable=True),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="mediation_case.id", index=True, ondelete="CASCADE")
    court: str = Field(max_length=100)
    applied_on: dt.date
    court_case_no: str | None = Field(default=None, max_length=60)
    result: str | None = Field(default=None, max_length=12)
    ruled_on: dt.date | None = None
    notes: str = ""


class CaseAttachment(SQLModel, table=True):
    """A scan filed in the case's 卷宗 (ID papers, evidence, receipts, the court's ruling…), stored in the database
    like agreement scans so every desk and every backup has it."""

    __tablename__ = "case_attachment"
    __table_args__ = (one_of("kind", AttachmentKind),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="mediation_case.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=24)
    filename: str = Field(max_length=200)
    mime: str = Field(max_length=60)
    size: int
    data: bytes = Field(sa_type=LargeBinary)
    note: str = ""
    uploaded_by: str = Field(max_length=64)
    uploaded_at: dt.datetime = Field(sa_type=UTCDateTime, nullable=False)
