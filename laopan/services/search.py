"""What the search box understands (DESIGN §6): a party name fragment of any length, a phone tail, an ID number
fragment (start or end), an intake number, an agreement number. Returns a SQL condition on the case id.

Short Chinese names defeat trigram indexes, so names go through the `name_gram` table (each character and each
pair of every party name): one and two characters are a single index range; longer fragments intersect their
pairs and confirm with LIKE. Tails become prefixes of reversed columns, so ordinary indexes answer them on both
SQLite and PostgreSQL.
"""

import re

from sqlalchemy import ColumnElement, and_, false, func, or_, select

from laopan.models import Agreement, Case, NameGram, Party

_DIGITS = re.compile(r"^[0-9]+[0-9Xx]?$")
_INTAKE_LIKE = re.compile(r"^[A-Za-z]{1,6}[0-9]")
_CODE_LIKE = re.compile(r"^(?=.*[0-9])[0-9A-Za-z]{6,18}$")  # a unified social credit code, or its start
_ESCAPE = "\\"


def _prefix_range(column, prefix: str) -> ColumnElement[bool]:
    """column starts with prefix, as an index range (LIKE 'x%' misses the index on SQLite, PITFALLS)."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(column >= prefix, column < upper)


def _like_escape(text: str) -> str:
    return text.replace(_ESCAPE, _ESCAPE * 2).replace("%", _ESCAPE + "%").replace("_", _ESCAPE + "_")


def normalise(text: str) -> str:
    """Drop spaces; write brackets the way agreement numbers are stored (full-width)."""
    return "".join(text.split()).replace("(", "（").replace(")", "）")


def _digits_query(query: str) -> str | None:
    """The digits of a phone-or-ID-like query ("+86 138-1234-5678" → "13812345678"), else None."""
    stripped = query.replace("-", "")
    if stripped.startswith("+86"):
        stripped = stripped[3:]
    return stripped if _DIGITS.match(stripped) else None


def search_condition(text: str) -> ColumnElement[bool]:
    """A condition on Case.id matching every kind of thing `text` could be."""
    query = normalise(text)
    if not query:
        return false()
    branches: list[ColumnElement[bool]] = []
    digits = _digits_query(query)
    if digits:
        # Phone tail, ID number start or end, the tail of an intake number; digit strings are never names.
        upper = digits.upper()
        parties = select(Party.case_id).where(
            or_(
                _prefix_range(Party.phone_rev, digits[::-1]),
                _prefix_range(Party.id_number, upper),
                _prefix_range(Party.id_number_rev, upper[::-1]),
            )
        )
        branches.append(Case.id.in_(parties))
        branches.append(Case.intake_no.like(f"%-{_like_escape(digits)}", escape=_ESCAPE))
    else:
        if _INTAKE_LIKE.match(query):
            branches.append(_prefix_range(Case.intake_no, query.upper()))
        if _CODE_LIKE.match(query):
            credit = select(Party.case_id).where(_prefix_range(Party.credit_code, query.upper()))
            branches.append(Case.id.in_(credit))
        branches.append(_name_condition(query))
    if any(mark in query for mark in ("调字", "第", "号", "（", "(")) or re.search(r"\d", query):
        agreements = select(Agreement.case_id).where(Agreement.number.like(f"%{_like_escape(query)}%", escape=_ESCAPE))
        branches.append(Case.id.in_(agreements))
    return or_(*branches) if len(branches) > 1 else branches[0]


def _name_condition(query: str) -> ColumnElement[bool]:
    text = query.lower()
    if len(text) <= 2:
        return Case.id.in_(select(NameGram.case_id).where(NameGram.gram == text))
    pairs = sorted({text[i : i + 2] for i in range(len(text) - 1)})
    conditions = [Case.id.in_(select(NameGram.case_id).where(NameGram.gram == pair)) for pair in pairs[:3]]
    confirm = select(Party.id).where(
        Party.case_id == Case.id,
        func.replace(func.lower(Party.name), " ", "").like(f"%{_like_escape(text)}%", escape=_ESCAPE),
    )
    conditions.append(confirm.exists())
    return and_(*conditions)

