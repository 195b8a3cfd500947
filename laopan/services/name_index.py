"""Keeping a case's name index current when its parties change after intake.

Intake, import and the demo write the `name_gram` rows with the case; a service that adds, removes or renames a
party afterwards calls `reindex_case_names` in the same unit of work, so search finds the new name at once.
"""

from sqlalchemy import delete, insert, select
from sqlmodel import Session

from laopan.models import NameGram, Party
from laopan.services.derived import case_grams


def reindex_case_names(session: Session, case_id: int) -> None:
    """Rebuild the case's search grams from its parties' current names (Traditional folded to Simplified)."""
    session.flush()  # pending party edits must be visible to the read below
    names = session.execute(select(Party.name).where(Party.case_id == case_id)).scalars().all()
    session.execute(delete(NameGram).where(NameGram.case_id == case_id))
    grams = sorted(case_grams(names))
    if grams:
        session.execute(insert(NameGram), [{"gram": gram, "case_id": case_id} for gram in grams])
