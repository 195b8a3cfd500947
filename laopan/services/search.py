"""What the search box understands (DESIGN §6): a party name fragment of any length, a phone tail, an ID number
fragment (start or end), an intake number, an agreement number. Returns a SQL condition on the case.

Short Chinese names defeat trigram indexes, so names go through the `name_gram` table (each character and each
pair of every party name): one and two characters are a single index range; longer fragments intersect their
pairs and confirm with LIKE. Tails become prefixes of reversed columns, so ordinary indexes answer them on both
SQLite and PostgreSQL.

Every kind comes in two plans (PITFALLS, "short Chinese names"): `match` drives the query from the term's own
index (`case.id IN (…)`), which is instant for a rare term but must collect and sort every match of a frequent
one (王: 17,700 cases, ~140 ms); `walk` is a correlated EXISTS probed while walking cases newest-first, which
stops at the page for a frequent term but reads every case for a rare one. `search_condition` picks by a capped
count of the term's index entries (an index range, well under a millisecond).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, literal, or_, select
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
    """One index that answers part of a search: rows of `case_column`'s table satisfying `where`."""

    case_column: ColumnElement
    where: ColumnElement[bool]

    def ids(self) -> Select:
        return select(self.case_column).where(self.where)

    def walk(self) -> ColumnElement[bool]:
        return exists().where(self.case_column == Case.id, self.where)

    def probe(self, cap: int) -> Select:
        """How many index entries, counting no further than `cap`."""
        return select(func.count()).select_from(select(literal(1)).where(self.where).limit(cap).subquery())


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

    def frequent(self, session: Session, cap: int | None = None) -> bool:
        cap = FREQUENT if cap is None else cap
        if self.either:
            return any(search.frequent(session, cap) for search in self.either)
        sizes = []
        for source in self.sources:
            size = int(session.execute(source.probe(cap)).scalar_one())
            if size < cap and self.all_of:
                return False
            if size >= cap and not self.all_of:
                return True
            sizes.append(size)
        if not sizes:
            return False
        return min(sizes) >= cap if self.all_of else sum(sizes) >= cap

    def pruned(self, session: Session) -> "Search":
        """The same search without the alternatives whose index has no entry: `zw` is a pinyin key and no name's
        letters, so walking newest-first need not test the name index at every case (half the walk's work)."""
        if not self.either:
            return self
        def has_entries(search: Search) -> bool:
            if not search.sources:
                return True
            found = (bool(session.execute(source.probe(1)).scalar_one()) for source in search.sources)
            return all(found) if search.all_of else any(found)

        kept = [search for search in self.either if has_entries(search)]
        if len(kept) == len(self.either):
            return self
        return kept[0] if len(kept) == 1 else (_NOTHING if not kept else Search(
            match=or_(*(s.match for s in kept)), walk=or_(*(s.walk for s in kept)),
            sources=tuple(source for s in kept for source in s.sources), either=tuple(kept)))


_NOTHING = Search(match=false(), walk=false())


def _united(*sources: _Source) -> Search:
    if len(sources) == 1:
        match = Case.id.in_(sources[0].ids())
    else:
        match = or_(*(Case.id.in_(source.ids()) for source in sources))
    return Search(match=match, walk=or_(*(source.walk() for source in sources)), sources=sources)


def parse_search(text: str, agreement_sequence: "Callable[[int], ColumnElement[bool]] | None" = None) -> Search:
    """What `text` looks like, as one kind of thing, so each plan is an index lookup.

    An agreement-number fragment (it has 第/号/调字/brackets), digits (phone tail, ID start or end; up to three
    digits also an agreement's sequence number), an intake number or credit-code start, else a name fragment.
    `agreement_sequence(seq)` is the condition "the agreement's number has sequence number seq" (exact numbers
    in the committee's format, one per year, so the unique index answers it); without it, a substring match.
    """
    query = normalise(text)
    if not query:
        return _NOTHING
    if any(mark in query for mark in _AGREEMENT_MARKS):
        return _united(_Source(Agreement.case_id, Agreement.number.like(f"%{_like_escape(query)}%", escape=_ESCAPE)))
    digits = _digits_query(query)
    if digits:
        upper = digits.upper()
        ranges = [_prefix_range(Party.phone_rev, digits[::-1]), _prefix_range(Party.id_number_rev, upper[::-1])]
        if len(digits) >= ID_PREFIX_MIN:
            # The start of an ID number is its area code: "3302" is every Ningbo resident, not a search.
            ranges.append(_prefix_range(Party.id_number, upper))
        sources = [_Source(Party.case_id, or_(*ranges))]
        # An agent's phone (issue 13 item 7): the agent hangs off a party, so the case is one join away.
        agent_parties = select(Agent.party_id).where(_prefix_range(Agent.phone_rev, digits[::-1]))
        sources.append(_Source(Party.case_id, Party.id.in_(agent_parties)))
        if len(digits) >= ID_PREFIX_MIN:  # some stations number 警情 with digits only
            sources.append(_Source(PoliceReferral.case_id, _prefix_range(PoliceReferral.incident_no, upper)))
        if len(digits) <= 3:
            # Three digits or fewer may also be an agreement's sequence number ("087").
            if agreement_sequence is not None:
                sources.append(_Source(Agreement.case_id, agreement_sequence(int(digits))))
            else:
                sources.append(_Source(Agreement.case_id, Agreement.number.like(f"%{_like_escape(digits)}%", escape=_ESCAPE)))
        return _united(*sources)
    intake = _INTAKE_LIKE.match(query) is not None
    code = _CODE_LIKE.match(query) is not None
    if intake or code:
        sources = []
        if intake:
            sources.append(_Source(Case.id, _prefix_range(Case.intake_no, query.upper())))
        if code:
            sources.append(_Source(Party.case_id, _prefix_range(Party.credit_code, query.upper())))
        # A 警情编号 (JQ2026…) looks like an intake number: try it as the police referral's number too.
        sources.append(_Source(PoliceReferral.case_id, _prefix_range(PoliceReferral.incident_no, query.upper())))
        search = _united(*sources)
        if intake:
            # The walk tests the case's own column; `|| ''` keeps the planner on the newest-first index
            # instead of the intake-number range (both engines ignore an index under an expression).
            walks = [_prefix_range(Case.intake_no.concat(""), query.upper())]
            walks += [source.walk() for source in sources[1:]]
            search = Search(match=search.match, walk=or_(*walks), sources=search.sources)
        return search
    key = query_key(query)
    if key is not None:
        # Latin letters only (spaces and apostrophes dropped): a pinyin key's start (zw, zhangw, Zhang Wei → 张伟)
        # or part of a name written in Latin letters (John, ABC物业). Letters followed by digits never come here:
        # they are an intake, 警情 or credit-code number above (DL2026 is not pinyin).
        pinyin = _united(_Source(NamePinyin.case_id, _prefix_range(NamePinyin.key, key)))
        name = _name_search(query)
        return Search(match=or_(pinyin.match, name.match), walk=or_(pinyin.walk, name.walk),
                      sources=pinyin.sources + name.sources, either=(pinyin, name))
    return _name_search(query)


def _name_search(query: str) -> Search:
    typed = query.lower()
    text = fold(typed)  # the grams are stored Simplified (陳 finds 陈 and 陈 finds 陳)
    if len(text) <= 2:
        return _united(_Source(NameGram.case_id, NameGram.gram == text))
    pairs = sorted({text[i : i + 2] for i in range(len(text) - 1)})[:3]
    sources = tuple(_Source(NameGram.case_id, NameGram.gram == pair) for pair in pairs)
    # The stored name is as entered: confirm the typed, the Simplified and the usual Traditional spelling.
    spellings = {typed, text, traditional(text)}
    name = func.replace(func.lower(Party.name), " ", "")
    confirm = select(Party.id).where(
        Party.case_id == Case.id,
        or_(*(name.like(f"%{_like_escape(spelling)}%", escape=_ESCAPE) for spelling in sorted(spellings))),
    ).exists()
    return Search(
        match=and_(*(Case.id.in_(source.ids()) for source in sources), confirm),
        walk=and_(*(source.walk() for source in sources), confirm),
        sources=sources,
        all_of=True,
    )


def search_condition(text: str, session: Session | None = None) -> ColumnElement[bool]:
    """A condition on Case for `text`: the walk for a frequent term when a session can tell, else the IN plan."""
    search = parse_search(text)
    if session is not None and (search.sources or search.either) and search.frequent(session):
        return search.walk
    return search.match
