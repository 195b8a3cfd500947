"""The agreement tab's data: the draft's state with what the actor may do to it, the statutory check, the
signatures, and the workbench's review queue.
"""

import datetime as dt
from dataclasses import dataclass, field

from laopan.errors import ValidationError
from laopan.inputs import ClauseSpec
from laopan.views.cases import CaseDetail


@dataclass(frozen=True)
class AgreementCheck:
    errors: tuple[ValidationError, ...]
    warnings: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class SignatureView:
    label: str
    party_id: int | None
    signer_kind: str
    method: str | None
    signed_on: dt.date | None
    signer_name: str | None = None
    """Who signed for the party (a guardian, an agent, the legal representative); None: the party in person."""


@dataclass(frozen=True)
class AgreementState:
    case_id: int
    version: int
    kind: str
    number: str | None
    finalised: bool
    revision: int
    needs_review: bool
    reviewed: bool
    copies: int
    effective_on: dt.date | None
    judicial_confirmation_until: dt.date | None
    signatures: tuple[SignatureView, ...]
    has_scan: bool
    clause_specs: tuple[ClauseSpec, ...] = field(default=())
    reviewed_by: str | None = None
    # What the actor may do now, decided by the service that also enforces it (STYLE rule 18).
    awaiting_review: bool = False
    """Junior-led, not yet reviewed, not finalised: finalising is refused until someone reviews it."""
    may_review: bool = False
    """A supervisor, or the senior of a current pairing with the junior who leads the case."""
    may_edit: bool = False
    """The draft may be saved: not finalised, and the case is accepted, mediating or settled."""
    may_revise: bool = False
    """Finalised and the case not closed: a correction (new revision) may be made."""
    may_sign: bool = False
    """A finalised written agreement of an open case with a signature still to record."""
    superseded: bool = False
    """已作废: replaced after a signature by the agreement numbered `superseded_by_number`."""
    superseded_reason: str | None = None
    supersedes_number: str | None = None
    superseded_by_number: str | None = None
    oral_register_no: str | None = None
    history: tuple[tuple[str | None, bool], ...] = ()
    """Every agreement of the case, oldest first: (number, in force)."""


@dataclass(frozen=True)
class ReviewRow:
    case_id: int
    intake_no: str
    parties: str
    junior: str
    drafted_at: dt.datetime | None
    level: str
    status: str
    due_on: dt.date | None


@dataclass(frozen=True)
class AgreementDetail:
    """The 协议 tab of one case: the case, its agreement (None before drafting), the statutory check, and what
    the actor may start from here."""

    detail: CaseDetail
    state: AgreementState | None
    check: AgreementCheck | None
    may_draft: bool
    """No agreement yet and the case's status allows drafting one."""
    may_finalise: bool
    """A draft that passes the statutory check and is not waiting for review."""
    today: dt.date
