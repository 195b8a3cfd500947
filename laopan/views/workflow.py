"""Where cases stand and where they may go: deadlines, extensions, the moves offered, and the timeline."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ExtensionView:
    previous_due_on: dt.date
    new_due_on: dt.date
    applicant_consent_on: dt.date
    respondent_consent_on: dt.date
    reason: str | None
    by_login: str
    at: dt.datetime


@dataclass(frozen=True)
class DeadlineRow:
    """A case in the deadline lists and on the workbench (where a draft awaiting review shows its junior lead)."""

    case_id: int
    intake_no: str
    parties: str
    level: str
    status: str
    lead_name: str | None
    due_on: dt.date | None  # always set in the deadline lists
    days_left: int | None  # negative: overdue by that many days; None: no running deadline
    due_soon: bool = False
    """Due within the committee's `due_soon_days` and not overdue."""


@dataclass(frozen=True)
class WorkbenchDetail:
    """工作台: the user's open cases, deadlines, and the drafts awaiting their review."""

    user_name: str
    mine: bool  # False: the user has no linked mediator, the lists are the whole centre's
    open_cases: tuple[DeadlineRow, ...]
    open_total: int
    overdue: tuple[DeadlineRow, ...]
    due_soon: tuple[DeadlineRow, ...]
    due_soon_days: int
    review: tuple[DeadlineRow, ...] | None  # None: this user reviews nobody
    followups_due: tuple = ()  # FollowUpDueRow (laopan.views.casefile): 待回访, due soon or overdue
    judicial_closing: tuple = ()  # JudicialWindowRow: 司法确认 windows closing within the warning days


@dataclass(frozen=True)
class DeadlineLists:
    """Cases overdue and due within `due_soon_days`, for the whole centre and per lead (待分配 for none)."""

    today: dt.date
    due_soon_days: int
    overdue: tuple[DeadlineRow, ...]
    due_soon: tuple[DeadlineRow, ...]
    by_lead: Mapping[str, tuple[DeadlineRow, ...]]


@dataclass(frozen=True)
class ActionInfo:
    """A move the window may offer. `enabled` False with a `hint` when a precondition is missing."""

    code: str
    label: str
    needs_reason: bool
    enabled: bool = True
    hint: str | None = None


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    login: str
    who: str
    action: str
    entity: str
    entity_id: int | None
    description: str
    changes: Mapping[str, Any]
    note: str | None


@dataclass(frozen=True)
class DueItems:
    """What is due for the current user, counted the same way by the status bar, 工作台 and 警调.

    `scope`: "referrals" (a police liaison: first contact 24 h, feedback 5 days), "mine" (a mediator: cases where
    their linked mediator has a role), or "centre" (a supervisor, or a user without a linked mediator).
    """

    scope: str
    overdue: tuple[DeadlineRow, ...]
    due_soon: tuple[DeadlineRow, ...]
    due_soon_days: int
