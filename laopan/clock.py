"""Time: instants are UTC-aware; days, deadlines and years count in the committee's time zone."""

import datetime as dt
import os
from dataclasses import dataclass, field
from typing import Protocol
from zoneinfo import ZoneInfo

from laopan.errors import DomainError

DEFAULT_TZ = "Asia/Shanghai"
# Fixes the clock of a whole `laopan` process (CLI and window) at one instant, e.g. 2027-03-01T09:00+08:00:
# a developer tries a date out, and the test suite proves nothing still reads the wall clock.
NOW_VARIABLE = "LAOPAN_NOW"


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


class ClockSettingError(DomainError):
    """LAOPAN_NOW is set but is not an instant with an offset; `str(e)` is the Chinese message."""


def system_clock() -> Clock:
    """The clock of this process: the wall clock, or the instant LAOPAN_NOW fixes.

    Every place that would take the wall clock takes it from here, so one variable moves the whole program.
    """
    text = os.environ.get(NOW_VARIABLE, "").strip()
    if not text:
        return SystemClock()
    return FixedClock(parse_instant(text, name=NOW_VARIABLE))


def parse_instant(text: str, *, name: str) -> dt.datetime:
    """An ISO instant with its offset (2027-03-01T09:00+08:00), in UTC; a naive or malformed one is refused."""
    example = "2027-03-01T09:00+08:00"
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ClockSettingError(f"环境变量 {name} 不是有效的时刻：{text}（应如 {example}）") from None
    if value.tzinfo is None:
        raise ClockSettingError(f"环境变量 {name} 缺少时区偏移：{text}（应如 {example}）")
    return value.astimezone(dt.UTC)


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
