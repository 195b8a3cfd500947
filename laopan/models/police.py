"""Reports to the police of a case at risk of turning into a public-order or criminal case (人民调解法 Art. 25)."""

import datetime as dt

from sqlmodel import Field, SQLModel

from laopan.models.types import UTCDateTime


class PoliceReport(SQLModel, table=True):
    """One report of a case to the police (any case, joint or not); append-only."""

    __tablename__ = "police_report"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="mediation_case.id", index=True, ondelete="CASCADE")
    reported_at: dt.datetime = Field(sa_type=UTCDateTime, nullable=False)
    reported_to: str = Field(max_length=100)
    note: str = ""
    by_login: str = Field(max_length=64)
