"""What the desk knows about a case's people from other records: their other cases, repeated police referrals of
the same pair, and 民转刑 risk markers (laopan.services.people)."""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class EarlierCase:
    """Another case one of the people is party to."""

    id: int
    intake_no: str
    status: str
    received_at: dt.datetime
    parties: str
    criminal_risk: bool
    """A 民转刑 marker on that record: its referral was flagged criminal_risk, or the case prevented_criminal."""
    referred: bool
    """It came as a police referral."""


@dataclass(frozen=True)
class PersonHistory:
    """One person (matched by ID number, else name + phone) and the other cases they are party to."""

    name: str
    matched_by: str  # "id_number", "credit_code" or "name_phone"
    cases: tuple[EarlierCase, ...]

    @property
    def risky(self) -> int:
        return sum(1 for case in self.cases if case.criminal_risk)


@dataclass(frozen=True)
class RepeatParties:
    """For one case: each party seen in other cases, and the other police referrals of the same pair of people."""

    people: tuple[PersonHistory, ...]
    repeat_referrals: tuple[EarlierCase, ...]

    @property
    def cases(self) -> tuple[EarlierCase, ...]:
        """Every other case of the people, once each, newest first."""
        seen = {case.id: case for person in self.people for case in person.cases}
        return tuple(sorted(seen.values(), key=lambda c: (c.received_at, c.id), reverse=True))

    @property
    def risky(self) -> int:
        return sum(1 for case in self.cases if case.criminal_risk)
