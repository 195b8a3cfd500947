"""Keeping a case's name index current when its parties change after intake.

Intake, import and the demo write the `name_gram` and `name_pinyin` rows with the case; a service that adds, removes or renames a
party afterwards calls `reindex_case_names` in the same unit of work, so search finds the new name at once.
"""

from sqlalchemy import delete, insert, select
from sqlmodel import Session

from laopan.models import Case, NameGram, NamePinyin, Party
from laopan.services.derived import case_grams
from laopan.services.pinyin import case_keys


def reindex_case_names(session: Session, case_id: int) -> None:
    """Rebuild the case's search grams (Traditional folded to Simplified) and pinyin keys from its parties'
    current names."""
    session.flush()  # pending party edits must be visible to the read below
    committee_id = session.execute(select(Case.committee_id).where(Case.id == case_id)).scalar_one()
    names = session.execute(select(Party.name).where(Party.case_id == case_id)).scalars().all()
    # The committee leads the key: in a district the delete passes over the other committees' grams.
    session.execute(delete(NameGram).where(NameGram.committee_id == committee_id, NameGram.case_id == case_id))
    grams = sorted(case_grams(names))
    if grams:
        session.execute(insert(NameGram), [{"committee_id": committee_id, "gram": gram, "case_id": case_id} for gram in grams])
    session.execute(delete(NamePinyin).where(NamePinyin.case_id == case_id))
    keys = sorted(case_keys(names))
    if keys:
        session.execute(insert(NamePinyin), [{"committee_id": committee_id, "key": key, "case_id": case_id} for key in keys])
