"""The one door to the Chinese a user reads for a code, a deadline or a remaining time.

The code lists and their Chinese live with the enums (`laopan.models.enums.LABELS`, extended by
`laopan.models.decisions`); this module is how the CLI, the documents, the services and the window ask for them,
so that a label or a "剩3天" reads the same everywhere. Pure standard library plus the models; no Qt.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from zoneinfo import ZoneInfo
from typing import overload

from laopan.models import choices as _choices  # noqa: F401  (registers its labels in LABELS)
from laopan.models.enums import DISPUTE_TYPES, LABELS, SOURCES

__all__ = [
    "label", "choices", "source_label", "dispute_type_label", "days_left_text", "time_left_text", "labelled_enums",
    "date_text", "instant_text",
]


@overload
def label(kind: StrEnum, code: None = None) -> str: ...
@overload
def label(kind: type[StrEnum], code: str | None) -> str: ...
def label(kind, code=None) -> str:
    """The Chinese of a code: `label(Level.GRID)` or `label(Level, "grid")` → "网格".

    A missing code (None or "") reads as ""; a code the list does not know reads as itself, so old or imported
    data still shows something.
    """
    if isinstance(kind, StrEnum):
        enum, code = type(kind), kind.value
    else:
        enum = kind
    if not code:
        return ""
    return LABELS.get(enum, {}).get(code, code)


def choices(enum: type[StrEnum]) -> list[tuple[str, str]]:
    """(Chinese, code) pairs in the list's order, as a combo box offers them."""
    return [(text, code) for code, text in LABELS[enum].items()]


def labelled_enums() -> tuple[type[StrEnum], ...]:
    """Every code list that has Chinese labels."""
    return tuple(LABELS)


def source_label(code: str | None) -> str:
    """The default Chinese of a case source (a committee's dictionary may rename it)."""
    return SOURCES.get(code, code) if code else ""


def dispute_type_label(code: str | None) -> str:
    """The default Chinese of a dispute type (a committee's dictionary may rename it)."""
    return DISPUTE_TYPES.get(code, code) if code else ""


def days_left_text(days_left: int | None) -> str:
    """A mediation deadline in whole days: "剩3天", "今天到期", "逾期2天" ("" without a deadline)."""
    if days_left is None:
        return ""
    if days_left < 0:
        return f"逾期{-days_left}天"
    if days_left == 0:
        return "今天到期"
    return f"剩{days_left}天"


def time_left_text(due: dt.datetime | None, now: dt.datetime) -> str:
    """A referral deadline to the minute: "剩45分钟" / "剩22小时" / "剩2天" / "逾期3小时" / "逾期48天".

    Hours under two days, days beyond ("" without a deadline).
    """
    if due is None:
        return ""
    seconds = (due - now).total_seconds()
    span = abs(seconds)
    if span < 3600:
        amount = f"{max(1, int(span // 60))}分钟"
    elif span < 48 * 3600:
        amount = f"{int(span // 3600)}小时"
    else:
        amount = f"{int(span // 86400)}天"
    return f"剩{amount}" if seconds >= 0 else f"逾期{amount}"


def date_text(day: dt.date | None) -> str:
    """A day as the window shows it: "2026-12-04" ("" for none). The window's one date style, the one its date
    pickers type; documents keep 2026年12月4日 (`laopan.clock.format_date_cn`)."""
    return f"{day:%Y-%m-%d}" if day is not None else ""


def instant_text(at: dt.datetime | None, tz: str | dt.tzinfo) -> str:
    """An instant as the window shows it, to the minute in the committee's zone: "2026-12-04 09:30" ("" for none)."""
    if at is None:
        return ""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    return f"{at.astimezone(zone):%Y-%m-%d %H:%M}"
