"""The liaison desk's data: referral rows, reports to the police, and the monthly station ledger."""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class ReferralRow:
    case_id: int
    intake_no: str
    incident_no: str
    station: str
    parties: str
    case_status: str
    state: str
    due_at: dt.datetime | None
    """The next deadline that matters (first contact, then feedback); None once closed."""
    referred_at: dt.datetime
    first_contact_at: dt.datetime | None
    feedback_at: dt.datetime | None
    returned: bool
    second_mediation: bool
    risk_flags: tuple[str, ...]
    version: int
    due_soon: bool = False
    """Amber on the desk: feedback is due, or first contact is owed within hours (false once overdue)."""


@dataclass(frozen=True)
class PoliceReportView:
    case_id: int
    reported_at: dt.datetime
    reported_to: str
    note: str
    by_login: str


@dataclass(frozen=True)
class LedgerRow:
    station: str
    received: int
    settled: int
    feedback_due: int
    """Referrals of the month whose feedback deadline has passed, or whose feedback was sent."""
    feedback_on_time: int
    returned: int
    second_mediation: int

    @property
    def success_rate(self) -> float | None:
        return self.settled / self.received if self.received else None

    @property
    def on_time_rate(self) -> float | None:
        return self.feedback_on_time / self.feedback_due if self.feedback_due else None

    def cells(self) -> tuple:
        def percent(value: float | None) -> str:
            return "—" if value is None else f"{value:.1%}"

        return (self.station, self.received, self.settled, percent(self.success_rate), self.feedback_due,
                self.feedback_on_time, percent(self.on_time_rate), self.returned, self.second_mediation)
