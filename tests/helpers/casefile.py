"""Builders for the case file after the agreement: a settled case whose agreement took effect."""

import datetime as dt

from sqlalchemy import select

from laopan.models import Party
from laopan.services import agreements
from tests.helpers.scenarios import DRAFT, mediating_case, move

SIGNED_ON = dt.date(2026, 11, 27)


def effective_case(desk, *, draft=DRAFT, signed_on=SIGNED_ON) -> int:
    """A neighbour case settled with the standard draft (performance 2026-12-10), finalised and signed by
    everyone on `signed_on`, so it took effect that day."""
    case_id = mediating_case(desk)
    with desk.session() as session:
        agreements.save_draft(session, actor=desk.actor, case_id=case_id, draft=draft, expected_version=None)
        agreements.finalise(session, actor=desk.actor, case_id=case_id, expected_version=None)
        for party_id in session.execute(select(Party.id).where(Party.case_id == case_id)).scalars().all():
            agreements.record_signature(session, actor=desk.actor, case_id=case_id, signer_kind="party", party_id=party_id,
                                        signed_on=signed_on)
        for kind in ("mediator", "seal"):
            agreements.record_signature(session, actor=desk.actor, case_id=case_id, signer_kind=kind, signed_on=signed_on)
    move(desk, case_id, "settle")
    return case_id
