"""A search by a whole ID number or phone number is a reveal: it confirms that this person has a case here.

So it is audited like `case.reveal` (action `case.search_reveal`), with the searched term masked in the entry —
the audit must not become the place where the full numbers are kept. Partial numbers (a tail, a few digits) are
ordinary searches and are not recorded.
"""

import re

from sqlmodel import Session

from laopan.services.actor import Actor
from laopan.services.audit import record
from laopan.validation import ValidationError, check_phone, mask_id_number, mask_phone

ACTION = "case.search_reveal"
_ID = re.compile(r"^(\d{17}[\dXx]|\d{15})$")


def revealing_term(text: str | None) -> str | None:
    """The masked form of a search text that is a whole ID number or phone number, else None."""
    term = (text or "").strip().replace(" ", "")
    if not term:
        return None
    if _ID.match(term):
        return mask_id_number(term.upper())
    try:
        phone = check_phone(term)
    except ValidationError:
        return None
    return mask_phone(phone)


def audit_search(session: Session, *, actor: Actor, text: str | None) -> bool:
    """Records a search that names a whole ID or phone number (in the caller's write transaction); True if it did."""
    masked = revealing_term(text)
    if masked is None:
        return False
    record(session, actor=actor, action=ACTION, entity="case", entity_id=None, changes={"term": masked},
           note="按完整证件号码或电话检索")
    return True
