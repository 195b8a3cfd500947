"""What the search box understands (DESIGN §6): a party name fragment of any length, a phone tail, an ID number
fragment (start or end), an intake number, an agreement number. Returns a SQL condition on the case id.

Short Chinese names defeat trigram indexes, so names go through the `name_gram` table (each character and each
pair of every party name): one and two characters are a single index range; longer fragments intersect their
pairs and confirm with LIKE. Tails become prefixes of reversed columns, so ordinary indexes answer them on both
SQLite and PostgreSQL.
"""

import re

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select, union

from laopan.models import Agreement, Case, NameGram, Party

_DIGITS = re.compile(r"^[0-9]+[0-9Xx]?$")
_INTAKE_LIKE = re.compile(r"^[A-Za-z]{1,6}[0-9]")
_CODE_LIKE = re.compile(r"^(?=.*[0-9])[0-9A-Za-z]{6,18}$")  # a unified social credit code, or its start
_ESCAPE = "\\"
ID_PREFIX_MIN = 6  # an ID number's start is matched from the full six-digit area code on
_AGREEMENT_MARKS = ("调字", "第", "号", "（", "）")


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
    """A condition on Case.id for what `text` looks like: one kind of thing, so each is an index lookup.

    An agreement-number fragment (it has 第/号/调字/brackets), digits (phone tail, ID start or end; up to three
    digits also an agreement's sequence number), an intake number or credit-code start, else a name fragment.
    """
    query = normalise(text)
    if not query:
        return false()
    if any(mark in query for mark in _AGREEMENT_MARKS):
        agreements = select(Agreement.case_id).where(Agreement.number.like(f"%{_like_escape(query)}%", escape=_ESCAPE))
        return Case.id.in_(agreements)
    digits = _digits_query(query)
    if digits:
        upper = digits.upper()
        ranges = [_prefix_range(Party.phone_rev, digits[::-1]), _prefix_range(Party.id_number_rev, upper[::-1])]
        if len(digits) >= ID_PREFIX_MIN:
            # The start of an ID number is its area code: "3302" is every Ningbo resident, not a search.
            ranges.append(_prefix_range(Party.id_number, upper))
        parties = select(Party.case_id).where(or_(*ranges))
        if len(digits) > 3:
            return Case.id.in_(parties)
        # Three digits or fewer may also be an agreement's sequence number ("087").
        agreements = select(Agreement.case_id).where(Agreement.number.like(f"%{_like_escape(digits)}%", escape=_ESCAPE))
        return Case.id.in_(union(parties, agreements))
    id_queries: list[Select] = []
    if _INTAKE_LIKE.match(query):
        id_queries.append(select(Case.id).where(_prefix_range(Case.intake_no, query.upper())))
    if _CODE_LIKE.match(query):
        id_queries.append(select(Party.case_id).where(_prefix_range(Party.credit_code, query.upper())))
    if id_queries:
        return Case.id.in_(union(*id_queries) if len(id_queries) > 1 else id_queries[0])
    return _name_condition(query)


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

