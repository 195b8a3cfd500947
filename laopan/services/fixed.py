"""The fixed part of every list question — a committee's dictionaries and settings — read once per desk.

A case-list question needs them to resolve filter codes and label rows (~2 ms on SQLite, ~7 ms on PostgreSQL
per question, issue 16). They change only when someone edits a dictionary or the committee's settings, so they
live in the per-desk memo (`laopan.services.cached`), which forgets them when such a write commits.
"""

from dataclasses import dataclass

from sqlmodel import Session

from laopan.services import cached
from laopan.services.committee import Dictionaries, committee_settings, load_dictionaries
from laopan.settings import CommitteeSettings


@dataclass(frozen=True)
class Fixed:
    dictionaries: Dictionaries
    settings: CommitteeSettings


def fixed_part(session: Session, committee_id: int) -> Fixed:
    """The committee's dictionaries and settings, from the memo when no write has changed them since."""
    return cached.memo(session, committee_id, "fixed",
                       lambda s: Fixed(load_dictionaries(s, committee_id), committee_settings(s, committee_id)))


def case_share(session: Session, committee_id: int) -> float:
    """The committee's share of the database's cases (1.0 on a desk of one committee), read once per desk.

    The search indexes (name grams, pinyin keys, phones, ID numbers) hold every committee's entries, so in a
    district of ten committees a term's index range is ~10 times what this committee will match: the plan choice
    (laopan.services.search) scales its threshold by this share. It only chooses between two plans that find the
    same cases, so a share grown stale since it was read (until a dictionary or settings change or a restart)
    costs speed at worst, never a result."""
    from sqlalchemy import func, select

    from laopan.models import Case, Committee

    def load(s: Session) -> float:
        if s.execute(select(func.count()).select_from(Committee)).scalar_one() <= 1:
            return 1.0
        total = s.execute(select(func.count()).select_from(Case)).scalar_one()
        own = s.execute(select(func.count()).select_from(Case).where(Case.committee_id == committee_id)).scalar_one()
        return own / total if own and total else 1.0

    return cached.memo(session, committee_id, "case_share", load)
