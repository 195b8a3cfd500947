"""Values derived from what a user entered, stored beside it so lists and search stay fast.

Every writer (intake, import, the demo generator) goes through these, so the derived columns agree.
"""

import datetime as dt
from collections.abc import Iterable
from functools import cache

from laopan.clock import local_date
from laopan.settings import CommitteeSettings


@cache
def _to_simplified():
    import opencc  # OpenCC's own tables (bundled in the wheel): ~3 µs a name, fast enough for bulk writes

    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """Traditional characters written as Simplified (陳 → 陈), so either form finds the other (issue 13 item 7)."""
    if text.isascii():
        return text
    return _to_simplified().convert(text)


def name_grams(name: str) -> set[str]:
    """Each character and each adjacent pair of a name (whitespace dropped, Latin letters lower-cased, Traditional
    folded to Simplified)."""
    text = fold("".join(name.split()).lower())
    grams = set(text)
    grams.update(text[i : i + 2] for i in range(len(text) - 1))
    return grams


def case_grams(names: Iterable[str]) -> set[str]:
    grams: set[str] = set()
    for name in names:
        grams |= name_grams(name)
    return grams


def reversed_or_none(value: str | None) -> str | None:
    """A tail search becomes a prefix search on the reversed string, which an ordinary index serves."""
    return value[::-1] if value else None


def phone_key(phone: str | None) -> str | None:
    """The digits of a phone, reversed: "0574-88886666" → "666688884750", so any tail is an index prefix."""
    if not phone:
        return None
    digits = "".join(ch for ch in phone if ch.isdigit())
    return digits[::-1] or None


def parties_display(applicants: list[str], respondents: list[str]) -> str:
    """"张卫东 诉 王丽萍" — what the case list shows (several names joined with 、, shortened)."""

    def side(names: list[str]) -> str:
        if not names:
            return ""
        text = "、".join(names[:2])
        return text + ("等" if len(names) > 2 else "")

    left, right = side(applicants), side(respondents)
    text = f"{left} 诉 {right}" if right else left
    return text[:200]


def mediation_due_on(accepted_at: dt.datetime, settings: CommitteeSettings) -> dt.date:
    """Mediation should finish within N calendar days of acceptance, counted in the committee's zone."""
    return local_date(accepted_at, settings.time_zone) + dt.timedelta(days=settings.mediation_days)


def referral_due_times(referred_at: dt.datetime, settings: CommitteeSettings) -> tuple[dt.datetime, dt.datetime]:
    """(first contact due, result feedback due) for a police referral."""
    return (
        referred_at + dt.timedelta(hours=settings.referral_first_contact_hours),
        referred_at + dt.timedelta(days=settings.referral_feedback_days),
    )


def fen_to_yuan(fen: int | None) -> str | None:
    if fen is None:
        return None
    return f"{fen // 100}.{fen % 100:02d}"


@cache
def _to_traditional():
    import opencc

    return opencc.OpenCC("s2t")


def traditional(text: str) -> str:
    """The usual Traditional spelling of `text` (陈 → 陳), for confirming a match against a name stored that way."""
    if text.isascii():
        return text
    return _to_traditional().convert(text)
