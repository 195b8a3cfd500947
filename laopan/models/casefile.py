"""The case file beyond the agreement (migration 0010): judicial confirmation, the scans filed in the 卷宗, and the
code lists of follow-up visits, court results and attachment kinds."""

import datetime as dt
from enum import StrEnum

from sqlalchemy import LargeBinary
from sqlmodel import Field, SQLModel

from laopan.models.base import Versioned, one_of
from laopan.models.enums import LABELS
from laopan.models.types import UTCDateTime


class VisitMethod(StrEnum):
    """How a 回访 was made."""

    PHONE = "phone"
    VISIT = "visit"
    OTHER = "other"


class JudicialResult(StrEnum):
    """The court's ruling on an application for judicial confirmation."""

    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


class AttachmentKind(StrEnum):
    """What a scan filed in the 卷宗 is (the dossier check counts them by kind)."""

    ID_PROOF = "id_proof"
    POWER = "power"
    INVESTIGATION = "investigation"
    EVIDENCE = "evidence"
    PERFORMANCE_PROOF = "performance_proof"
    JUDICIAL = "judicial"
    EXPLANATION = "explanation"
    OTHER = "other"


LABELS.update(
    {
        VisitMethod: {"phone": "电话", "visit": "上门", "other": "其他"},
        JudicialResult: {"confirmed": "确认有效", "dismissed": "驳回"},
        AttachmentKind: {
            "id_proof": "当事人身份证明",
            "power": "授权委托书",
            "investigation": "调查记录",
            "evidence": "证据材料",
            "performance_proof": "履行凭证",
            "judicial": "司法确认材料",
            "explanation": "卷宗情况说明",
            "other": "其他材料",
        },
    }
)


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
