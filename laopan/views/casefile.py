"""The case file after the agreement: follow-up visits, judicial confirmation, the scans and the 卷宗 checklist."""

import datetime as dt
from dataclasses import dataclass

from laopan.views.workflow import ActionInfo


@dataclass(frozen=True)
class FollowUpView:
    id: int
    version: int
    planned_on: dt.date
    purpose: str | None
    done_on: dt.date | None
    visitor: str | None
    method: str | None  # VisitMethod code
    performance_status: str  # PerformanceStatus code
    notes: str


@dataclass(frozen=True)
class FollowUpList:
    """A case's visits, planned first by date, and what to do when the agreement is not performed."""

    case_id: int
    visits: tuple[FollowUpView, ...]
    latest_status: str | None  # the status of the latest recorded visit; None before any
    next_steps: tuple[ActionInfo, ...]  # offered once the latest recorded visit found the agreement 未履行/部分履行


@dataclass(frozen=True)
class FollowUpDueRow:
    """A planned visit not yet made, due within `due_soon_days` or overdue (工作台 "待回访", `laopan deadlines`)."""

    followup_id: int
    case_id: int
    intake_no: str
    parties: str
    lead_name: str | None
    planned_on: dt.date
    purpose: str | None
    days_left: int  # negative: overdue


@dataclass(frozen=True)
class JudicialView:
    id: int
    version: int
    court: str
    applied_on: dt.date
    court_case_no: str | None
    result: str | None  # JudicialResult code; None: awaiting the ruling
    ruled_on: dt.date | None
    has_scan: bool
    notes: str


@dataclass(frozen=True)
class JudicialState:
    """Where a case stands for 司法确认: the window, whether it may be applied for, and the applications made."""

    case_id: int
    effective_on: dt.date | None
    closes_on: dt.date | None  # the last day of the window
    days_left: int | None
    warning: bool  # the window closes within `judicial_warning_days`
    excluded: bool  # the dispute type is one the courts do not confirm
    may_apply: bool
    hint: str | None  # why it may not be applied for
    applications: tuple[JudicialView, ...]


@dataclass(frozen=True)
class JudicialWindowRow:
    """An effective agreement whose judicial-confirmation window closes soon and for which nobody has applied."""

    case_id: int
    intake_no: str
    parties: str
    lead_name: str | None
    effective_on: dt.date
    closes_on: dt.date
    days_left: int


@dataclass(frozen=True)
class AttachmentView:
    id: int
    kind: str  # AttachmentKind code
    filename: str
    mime: str
    size: int
    uploaded_by: str
    uploaded_at: dt.datetime


@dataclass(frozen=True)
class DossierLine:
    code: str
    title: str
    required: bool  # 必须 here (by the list, or by its rule for this case)
    present: bool
    detail: str = ""


@dataclass(frozen=True)
class DossierCheck:
    """The 卷宗 checked against the committee's file list for the case's path."""

    case_id: int
    path: str  # settled / terminated / rejected (the status the case closes from)
    lines: tuple[DossierLine, ...]

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(line.title for line in self.lines if line.required and not line.present)

    @property
    def complete(self) -> bool:
        return not self.missing
