"""What the search box understands (DESIGN §6): a party name fragment of any length, a phone tail, an ID number
fragment (start or end), an intake number, an agreement number. Returns a SQL condition on the case.

Short Chinese names defeat trigram indexes, so names go through the `name_gram` table (each character and each
pair of every party name): one and two characters are a single index range; longer fragments intersect their
pairs and confirm with LIKE. Tails become prefixes of reversed columns, so ordinary indexes answer them on both
SQLite and PostgreSQL.

Every kind comes in two plans (PITFALLS, "short Chinese names"): `match` drives the query from the term's own
index (`case.id IN (…)`), which is instant for a rare term but must collect and sort every match of a frequent
one (王: 17,700 cases, ~140 ms); `walk` is a correlated EXISTS probed while walking cases newest-first, which
stops at the page for a frequent term but reads every case for a rare one. The case list
(`laopan.services.cases.CaseQuery`) picks by a capped count of the term's index entries (an index range, well
under a millisecond).

PostgreSQL plans the same SQL its own way (`postgresql=True`; measured at 100k, issue 16): an EXISTS under an OR
becomes a hashed subplan that reads the whole index range once (all 82,846 parties of area code 330212, 65 ms,
where a page needs ~165 cases), so each walk's probe is fenced with OFFSET 0, which PostgreSQL never flattens or
hashes; and `id IN (…) OR id IN (…)` filters a walk over every case, so a term with several indexes is matched by
`case.id = ANY(ids)`, the ids gathered once, index range by index range (`_Source.id_ranges`, `_any_of`): an OR
of ranges became a BitmapOr that read the table.
"""

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import ARRAY, ColumnElement, CompoundSelect, Integer, Select, and_, any_, cast, false, func, literal, or_, select, union_all
from sqlmodel import Session

from laopan.models import Agent, Agreement, Case, NameGram, NamePinyin, Party, PoliceReferral
from laopan.services.derived import fold, traditional
from laopan.services.pinyin import query_key

_DIGITS = re.compile(r"^[0-9]+[0-9Xx]?$")
_INTAKE_LIKE = re.compile(r"^[A-Za-z]{1,6}[0-9]")
_CODE_LIKE = re.compile(r"^(?=.*[0-9])[0-9A-Za-z]{6,18}$")  # a unified social credit code, or its start
_ESCAPE = "\\"
ID_PREFIX_MIN = 6  # an ID number's start is matched from the full six-digit area code on
_AGREEMENT_MARKS = ("调字", "第", "号", "（", "）")

# Above this many index entries a term is "frequent" and the newest-first walk wins. Measured at 100k cases on
# SQLite: the IN plan costs ~8 µs per match, the walk ~1.2 µs per case probed (100 × cases / matches probes for a
# page of 100), so the two cross near 1,000–1,500 matches, where both are ~10 ms.
FREQUENT = 1000
# PostgreSQL probes a case in a walk at ~2.6 µs and gathers a match index-first at ~6 µs (100k, issue 16): the
# plans cross near 2,000–4,000 matches (zw's 1,061: walk 33 ms, index-first 14; 物业's 9,882: walk 12, index 14).
POSTGRESQL_FACTOR = 3
PARSED_KEPT = 256  # terms whose SQL expressions are kept (a desk's session of typing)


def frequent_cap(postgresql: bool) -> int:
    """How many index entries make a term frequent on this engine (read at call time: tests move FREQUENT)."""
    return FREQUENT * POSTGRESQL_FACTOR if postgresql else FREQUENT


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


@dataclass(frozen=True)
class _Source:
    """One index that answers part of a search: rows of `case_column`'s table satisfying `where`.

    `parts`, when given, are the index ranges OR-ed in `where`, counted one by one: a count of an OR reads every
    entry of every range before LIMIT applies (PostgreSQL's BitmapOr: 82,846 parties for 330212, 8 ms), where
    each range alone stops at the cap."""

    case_column: ColumnElement
    where: ColumnElement[bool]
    parts: tuple[ColumnElement[bool], ...] = ()
    own: bool = False
    """`where` holds this committee's entries only (an index that leads with the committee: names, pinyin, the
    party's numbers, intake numbers); otherwise every committee's (agents' phones, 警情 numbers)."""
    probe: ColumnElement[bool] | None = None
    """What the walk tests of the case at hand when it differs from `where`: the case's own rows are found by
    case id, and a committee condition there could lead SQLite to the committee's whole range instead."""

    def ids(self) -> Select:
        return select(self.case_column).where(self.where)

    def id_ranges(self) -> list[Select]:
        """The ids range by range: each an index-only scan on PostgreSQL, where the OR of them is a BitmapOr
        that must read the table (437 heap blocks for 138's 452 parties in a district)."""
        return [select(self.case_column).where(part) for part in self.parts] if self.parts else [self.ids()]

    def walk(self, fenced: bool = False) -> ColumnElement[bool]:
        """Does the case at hand have an entry; `fenced` keeps PostgreSQL probing per case (module docstring)."""
        probe = select(literal(1)).where(self.case_column == Case.id, self.where if self.probe is None else self.probe)
        return (probe.offset(0) if fenced else probe).exists()

    def size(self, cap: int) -> ColumnElement[int]:
        """How many index entries, counting no further than `cap` per range (a scalar subquery)."""
        def counted(where: ColumnElement[bool]) -> ColumnElement[int]:
            return select(func.count()).select_from(select(literal(1)).where(where).limit(cap).subquery()).scalar_subquery()

        sizes = [counted(part) for part in self.parts] if self.parts else [counted(self.where)]
        total = sizes[0]
        for size in sizes[1:]:
            total = total + size
        return total


@dataclass(frozen=True)
class Search:
    """A search term as SQL conditions on Case, in both plans, with a way to tell how frequent it is.

    Attributes:
        match: `case.id IN (…)` driven by the term's index (for rare terms).
        walk: correlated EXISTS checked per case while walking newest-first (for frequent terms).
        sources: the index ranges whose sizes say how frequent the term is (any one source reaching the cap
            makes it frequent; for an AND of sources the smallest counts).
        all_of: the sources are intersected (a long name's pairs) rather than united.
        either: the searches this one unites (a Latin query is pinyin or a Latin name): frequent if any is.
    """

    match: ColumnElement[bool]
    walk: ColumnElement[bool]
    sources: tuple[_Source, ...] = ()
    all_of: bool = False
    either: "tuple[Search, ...]" = ()

    def planned(self, session: Session, cap: int, share: float = 1.0) -> "tuple[Search, bool]":
        """This search without the alternatives whose index is empty, and whether it is frequent (`cap` entries or
        more): every source counted in one statement, so a rare digit string (four indexes) costs one round trip.

        Pruning matters to the walk: `zw` is a pinyin key and no name's letters, so walking newest-first need not
        test the name index at every case (half the walk's work).

        `share` is this committee's share of the database's cases: an index holding every committee's entries is
        counted to cap / share, and its count times the share estimates this committee's matches (in a district
        of ten, 王's 177,000 entries are ~17,700 of ours)."""
        if not self.sources:
            return self, False
        wide_cap = math.ceil(cap / share)
        row = session.execute(select(*(source.size(cap if source.own else wide_cap) for source in self.sources))).one()
        sizes = {id(source): int(size) if source.own else int(size) * share for source, size in zip(self.sources, row)}
        if not self.either:
            return self, self._frequent(sizes, cap)
        kept = [search for search in self.either if search._has_entries(sizes)]
        frequent = any(search._frequent(sizes, cap) for search in kept)
        if len(kept) == len(self.either):
            return self, frequent
        if not kept:
            return _NOTHING, False
        return (kept[0] if len(kept) == 1 else Search(
            match=or_(*(s.match for s in kept)), walk=or_(*(s.walk for s in kept)),
            sources=tuple(source for s in kept for source in s.sources), either=tuple(kept))), frequent

    def frequent(self, session: Session, cap: int, share: float = 1.0) -> bool:
        """Has the term `cap` index entries or more of this committee's (one statement)."""
        return self.planned(session, cap, share)[1]

    def _has_entries(self, sizes: dict[int, float]) -> bool:
        if not self.sources:
            return True
        found = [sizes[id(source)] > 0 for source in self.sources]
        return all(found) if self.all_of else any(found)

    def _frequent(self, sizes: dict[int, float], cap: int) -> bool:
        counted = [sizes[id(source)] for source in self.sources]
        if not counted:
            return False
        # For an intersection (a long name's pairs) the rarest pair bounds the matches; a union adds up.
        return min(counted) >= cap if self.all_of else sum(counted) >= cap


_NOTHING = Search(match=false(), walk=false())


def _united(*sources: _Source, postgresql: bool = False) -> Search:
    if postgresql:
        selects = [ranged for source in sources for ranged in source.id_ranges()]
        match = _any_of(union_all(*selects) if len(selects) > 1 else selects[0])
    elif len(sources) == 1:
        match = Case.id.in_(sources[0].ids())
    else:
        match = or_(*(Case.id.in_(source.ids()) for source in sources))
    return Search(match=match, walk=or_(*(source.walk(postgresql) for source in sources)), sources=sources)


def _any_of(ids: Select | CompoundSelect) -> ColumnElement[bool]:
    """`case.id = ANY(the ids, gathered once)` for PostgreSQL: the index-first plan we chose, kept. As a semi-join
    (`IN (…)`) the planner may instead hash the ids and scan every case of the committee: in a district of
    1M cases, zhangw's 5,151 keys (all committees') cost 63 ms that way and 16 ms looked up one by one."""
    gathered = ids.subquery()
    column = gathered.c[0]
    return Case.id == any_(cast(select(func.array_agg(column)).select_from(gathered).scalar_subquery(), ARRAY(Integer)))


def parse_search(text: str, agreement_sequence: "Callable[[int], ColumnElement[bool]] | None" = None, *,
                 committee_id: int, postgresql: bool = False) -> Search:
    """What `text` looks like, as one kind of thing, so each plan is an index lookup.

    An agreement-number fragment (it has 第/号/调字/brackets), digits (phone tail, ID start or end; up to three
    digits also an agreement's sequence number), an intake number or credit-code start, else a name fragment.
    `agreement_sequence(seq)` is the condition "the agreement's number has sequence number seq" (exact numbers
    in the committee's format, one per year, so the unique index answers it); without it, a substring match.
    `committee_id` is the desk's committee: the name, pinyin, party-number and intake-number indexes lead with
    it (migration 0013), so each range holds this committee's entries only. `postgresql` shapes the SQL for
    PostgreSQL's planner (module docstring).

    A term is built once and kept (`_parsed`): the list asks for its page, its count and its further blocks,
    each a new CaseQuery, and building the expressions of a name or pinyin term costs 2–3 ms. Only up to three
    digits with `agreement_sequence` are built each time (the callable reads the committee's numbering).
    """
    query = normalise(text)
    if not query:
        return _NOTHING
    digits = _digits_query(query)
    if digits and len(digits) <= 3 and agreement_sequence is not None:
        return _parse(query, agreement_sequence, committee_id, postgresql)
    return _parsed(query, committee_id, postgresql)


@lru_cache(maxsize=PARSED_KEPT)
def _parsed(query: str, committee_id: int, postgresql: bool) -> Search:
    return _parse(query, None, committee_id, postgresql)


def _parse(query: str, agreement_sequence: "Callable[[int], ColumnElement[bool]] | None", committee_id: int,
           pg: bool) -> Search:
    ours = Party.committee_id == committee_id
    if any(mark in query for mark in _AGREEMENT_MARKS):
        return _united(_Source(Agreement.case_id, Agreement.number.like(f"%{_like_escape(query)}%", escape=_ESCAPE)), postgresql=pg)
    digits = _digits_query(query)
    if digits:
        sources = list(_number_sources(digits, committee_id))
        if len(digits) <= 3:
            # Three digits or fewer may also be an agreement's sequence number ("087").
            if agreement_sequence is not None:
                sources.append(_Source(Agreement.case_id, agreement_sequence(int(digits))))
            else:
                sources.append(_Source(Agreement.case_id, Agreement.number.like(f"%{_like_escape(digits)}%", escape=_ESCAPE)))
        return _united(*sources, postgresql=pg)
    intake = _INTAKE_LIKE.match(query) is not None
    code = _CODE_LIKE.match(query) is not None
    if intake or code:
        sources = []
        if intake:
            # The unique index leads with the committee: without it, a full index scan.
            intake_range = and_(Case.committee_id == committee_id, _prefix_range(Case.intake_no, query.upper()))
            sources.append(_Source(Case.id, intake_range, own=True))
        if code:
            code_range = _prefix_range(Party.credit_code, query.upper())
            sources.append(_Source(Party.case_id, and_(ours, code_range), own=True, probe=code_range))
        # A 警情编号 (JQ2026…) looks like an intake number: try it as the police referral's number too.
        sources.append(_Source(PoliceReferral.case_id, _prefix_range(PoliceReferral.incident_no, query.upper())))
        search = _united(*sources, postgresql=pg)
        if intake:
            # The walk tests the case's own column; `|| ''` keeps the planner on the newest-first index
            # instead of the intake-number range (both engines ignore an index under an expression).
            walks = [_prefix_range(Case.intake_no.concat(""), query.upper())]
            walks += [source.walk(pg) for source in sources[1:]]
            search = Search(match=search.match, walk=or_(*walks), sources=search.sources)
        return search
    key = query_key(query)
    if key is not None:
        # Latin letters only (spaces and apostrophes dropped): a pinyin key's start (zw, zhangw, Zhang Wei → 张伟)
        # or part of a name written in Latin letters (John, ABC物业). Letters followed by digits never come here:
        # they are an intake, 警情 or credit-code number above (DL2026 is not pinyin).
        key_range = _prefix_range(NamePinyin.key, key)
        pinyin = _united(_Source(NamePinyin.case_id, and_(NamePinyin.committee_id == committee_id, key_range), own=True,
                                 probe=key_range), postgresql=pg)  # the walk finds the case's keys by case id
        name = _name_search(query, committee_id, pg)
        return Search(match=or_(pinyin.match, name.match), walk=or_(pinyin.walk, name.walk),
                      sources=pinyin.sources + name.sources, either=(pinyin, name))
    return _name_search(query, committee_id, pg)


@lru_cache(maxsize=PARSED_KEPT)
def _number_sources(digits: str, committee_id: int) -> tuple[_Source, ...]:
    """The indexes a digit string is looked up in, but an agreement's sequence number: kept, as `_parsed`, also
    for the short strings whose agreement condition is read afresh for each question."""
    ours = Party.committee_id == committee_id
    upper = digits.upper()
    ranges = [_prefix_range(Party.phone_rev, digits[::-1]), _prefix_range(Party.id_number_rev, upper[::-1])]
    if len(digits) >= ID_PREFIX_MIN:
        # The start of an ID number is its area code: "3302" is every Ningbo resident, not a search.
        ranges.append(_prefix_range(Party.id_number, upper))
    parts = tuple(and_(ours, part) for part in ranges)  # each its own index range, for SQLite's OR plan too
    sources = [_Source(Party.case_id, or_(*parts), parts=parts, own=True, probe=or_(*ranges))]
    # An agent's phone (issue 13 item 7): the agent hangs off a party, so the case is one join away. Written
    # as a join, not `party.id IN (agents in the range)`: walking, SQLite probed every agent of the range at
    # every case (4,015 agents for "1": 1.3 s alone, 100 ms in the OR), where the join looks up the case's
    # own parties' agents.
    agent_range = and_(Agent.party_id == Party.id, _prefix_range(Agent.phone_rev, digits[::-1]))
    sources.append(_Source(Party.case_id, and_(Agent.committee_id == committee_id, agent_range), own=True, probe=agent_range))
    if len(digits) >= ID_PREFIX_MIN:  # some stations number 警情 with digits only
        sources.append(_Source(PoliceReferral.case_id, _prefix_range(PoliceReferral.incident_no, upper)))
    return tuple(sources)


def _name_search(query: str, committee_id: int, pg: bool = False) -> Search:
    typed = query.lower()
    text = fold(typed)  # the grams are stored Simplified (陳 finds 陈 and 陈 finds 陳)

    def gram(piece: str) -> _Source:
        # (committee, gram, case) is the key: the walk's probe of a case is one key lookup, the match one range.
        return _Source(NameGram.case_id, and_(NameGram.committee_id == committee_id, NameGram.gram == piece), own=True)

    if len(text) <= 2:
        return _united(gram(text), postgresql=pg)
    pairs = sorted({text[i : i + 2] for i in range(len(text) - 1)})[:3]
    sources = tuple(gram(pair) for pair in pairs)
    # The stored name is as entered: confirm the typed, the Simplified and the usual Traditional spelling.
    spellings = {typed, text, traditional(text)}
    name = func.replace(func.lower(Party.name), " ", "")
    confirm = _Source(Party.case_id, or_(*(name.like(f"%{_like_escape(spelling)}%", escape=_ESCAPE) for spelling in sorted(spellings))))
    return Search(
        match=and_(*(Case.id.in_(source.ids()) for source in sources), confirm.walk()),
        walk=and_(*(source.walk(pg) for source in sources), confirm.walk(pg)),
        sources=sources,
        all_of=True,
    )
