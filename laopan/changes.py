"""What a unit of work changed, so every screen can refresh from one announcement (STYLE rules 6 and 17).

Every mutation writes its audit entry through `laopan.services.audit.record`, which also notes the change here,
in the session's `info`. Whoever owns the unit of work takes the notes with `take(session)` once the service has
returned and announces them only after the commit succeeded (the window's worker does so; a rollback
announces nothing). Nothing here imports Qt or opens a database.

Kinds are coarse, on purpose: a page asks "did anything I show change?", not which column.

    case        the case row, its list line, detail header or available moves
    agreement   the case's 调解协议书 (draft, review, signatures, scans)
    session     a 调解记录 of the case
    referral    a 警情移交 (police referral) of the case
    mediator    a mediator's record or workload (assigning, escalating and returning move cases between them)
    pairing / review_note / user / dictionary   what their names say
    audit       the audit trail only — every write has it; a look (reveal, preview, print, export) has nothing else
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlmodel import Session

_KEY = "laopan.changes"
# Every kind noted until the unit of work ends (unlike _KEY, not emptied by `take`): laopan.services.cached
# reads it after commit to forget what the write changed.
_SEEN = "laopan.changes.seen"

AUDIT = "audit"

# Audited looks: they add to the history and change nothing a page shows (a reveal must not reload the detail
# that just revealed, a preview must not redraw the agreement it drew).
LOOKS = frozenset({
    "case.reveal", "case.export", "mediator.reveal", "ledger.export", "cases.export_ledger",
    "agreement.preview", "agreement.print", "agreement.export", "agreement.scan_open",
})

# What an audited entity is, as a kind; an entity not listed is its own kind.
ENTITY_KINDS = {
    "case": frozenset({"case"}),
    "mediation_session": frozenset({"session", "case"}),
    "police_referral": frozenset({"referral"}),
    "recusal_decision": frozenset({"case"}),
    "mediator": frozenset({"mediator"}),
    "pairing": frozenset({"pairing"}),
    "review_note": frozenset({"review_note"}),
    "user": frozenset({"user"}),
    "committee": frozenset({"committee"}),
    "follow_up": frozenset({"follow_up", "case"}),
    "judicial_confirmation": frozenset({"judicial_confirmation", "case"}),
}

# Actions whose effect reaches beyond their entity.
MEDIATOR_MOVES = frozenset({"case.assign", "case.unassign", "case.escalate", "case.return"})
# Typing into the draft changes the agreement text only; the case (and the editor showing it) stays as it is.
AGREEMENT_ONLY = frozenset({"agreement.edit"})


@dataclass(frozen=True)
class Changes:
    """What one unit of work changed.

    Attributes:
        kinds: Coarse kinds of data (see the module docstring), e.g. {"case", "audit"}.
        case_ids: The cases concerned, so a page showing one case can tell whether it is one of them.
        rows: (entity, id) of every audited row, e.g. ("mediator", 7).
    """

    kinds: frozenset[str] = frozenset()
    case_ids: frozenset[int] = frozenset()
    rows: frozenset[tuple[str, int]] = field(default_factory=frozenset)

    def __bool__(self) -> bool:
        return bool(self.kinds)

    def __or__(self, other: "Changes") -> "Changes":
        return Changes(self.kinds | other.kinds, self.case_ids | other.case_ids, self.rows | other.rows)


NONE = Changes()


def kinds_of(action: str, entity: str) -> frozenset[str]:
    """The kinds an audited action changes (always including "audit")."""
    if action in LOOKS:
        return frozenset({AUDIT})
    if action in AGREEMENT_ONLY:
        return frozenset({"agreement", AUDIT})
    if action.startswith("dict."):  # the entity is the dictionary's own name (community, grid, station, …)
        return frozenset({"dictionary", AUDIT})
    kinds = set(ENTITY_KINDS.get(entity, {entity})) | {AUDIT}
    if action.startswith("agreement."):
        kinds.add("agreement")
    if action.startswith("referral.") or action == "case.report_police":
        kinds.add("referral")
    if action in MEDIATOR_MOVES:
        kinds.add("mediator")
    return frozenset(kinds)


def note_audited(session: Session, *, action: str, entity: str, entity_id: int | None, case_id: int | None = None) -> None:
    """Note what an audit entry says changed (called by `audit.record`, in the same unit of work)."""
    if case_id is None and entity == "case":
        case_id = entity_id
    note(session, Changes(
        kinds=kinds_of(action, entity),
        case_ids=frozenset({case_id}) if case_id is not None else frozenset(),
        rows=frozenset({(entity, entity_id)}) if entity_id is not None else frozenset(),
    ))


def note(session: Session, changes: Changes) -> None:
    """Add to what this session's unit of work has changed."""
    session.info[_KEY] = session.info.get(_KEY, NONE) | changes
    session.info[_SEEN] = session.info.get(_SEEN, frozenset()) | changes.kinds


def seen_kinds(session: Session, *, clear: bool = False) -> frozenset[str]:
    """Every kind noted in this session since its last commit or rollback (`take` does not empty it)."""
    return session.info.pop(_SEEN, frozenset()) if clear else session.info.get(_SEEN, frozenset())


def take(session: Session) -> Changes:
    """What the session's unit of work changed so far, forgetting it (announce it only once committed)."""
    return session.info.pop(_KEY, NONE)


def union(items: Iterable[Changes]) -> Changes:
    result = NONE
    for item in items:
        result = result | item
    return result
