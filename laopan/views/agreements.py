"""The agreement tab's data: the draft's state with what the actor may do to it, the statutory check, the
signatures, and the workbench's review queue.
"""

import datetime as dt
from dataclasses import dataclass, field

from laopan.errors import ValidationError
from laopan.inputs import ClauseSpec


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
    may_review: bool = False


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
