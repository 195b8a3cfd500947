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
