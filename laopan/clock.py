"""Time: instants are UTC-aware; days, deadlines and years count in the committee's time zone."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Asia/Shanghai"


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current instant, UTC-aware."""
        ...


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


@dataclass
class FixedClock:
    """A clock for tests and scripted runs: stands still until advanced."""

    instant: dt.datetime = field(default_factory=lambda: dt.datetime(2026, 11, 27, 1, 0, tzinfo=dt.UTC))

    def now(self) -> dt.datetime:
        return self.instant

    def advance(self, **delta: float) -> None:
        self.instant += dt.timedelta(**delta)


def utc(value: dt.datetime) -> dt.datetime:
    """Normalise an aware datetime to UTC; refuse naive ones (their zone would be a guess)."""
    if value.tzinfo is None:
        raise ValueError("naive datetime: attach a time zone first")
    return value.astimezone(dt.UTC)


def local_date(instant: dt.datetime, tz: str = DEFAULT_TZ) -> dt.date:
    """The calendar day an instant falls on in the committee's zone."""
    return utc(instant).astimezone(ZoneInfo(tz)).date()


def start_of_day(day: dt.date, tz: str = DEFAULT_TZ) -> dt.datetime:
    """The UTC instant at which `day` begins in the committee's zone."""
    return dt.datetime.combine(day, dt.time(), ZoneInfo(tz)).astimezone(dt.UTC)


def format_date_cn(day: dt.date) -> str:
    """2026年11月27日 — the form documents and the window use."""
    return f"{day.year}年{day.month}月{day.day}日"
