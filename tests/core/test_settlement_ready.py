"""调解成功 is guarded in the service, not only in the window: a junior-led agreement needs the review first,
whoever asks and however (CLI, shortcut, stale button); the window is offered the move disabled with the reason."""

import datetime as dt

import pytest
from sqlalchemy import select

from laopan.errors import DomainError
from laopan.models import Agreement
from laopan.models.enums import AgreementKind
from laopan.services import agreements, lifecycle
from laopan.services.oral_agreements import confirm_oral
from tests.helpers.scenarios import junior_led_draft, mediating_case, move

NEEDS_REVIEW = "本案由小潘主持，协议须经结对老潘或主任审核后才能标记调解成功"


def _oral(desk, case_id) -> None:
    with desk.session() as session:
        session.execute(select(Agreement).where(Agreement.case_id == case_id)).scalar_one().kind = AgreementKind.ORAL.value


def _settle_offer(desk, case_id):
    with desk.reading() as session:
        return next(a for a in lifecycle.available_actions(session, actor=desk.actor, case_id=case_id) if a.code == "settle")


def test_a_junior_led_oral_agreement_settles_only_after_the_review(desk):
    case_id = mediating_case(desk)
    junior_led_draft(desk, case_id)
    _oral(desk, case_id)
    offer = _settle_offer(desk, case_id)
    assert (offer.enabled, offer.hint) == (False, NEEDS_REVIEW)
    with pytest.raises(DomainError, match=f"^{NEEDS_REVIEW}$"):
        move(desk, case_id, "settle")

    with desk.session() as session:
        agreements.review(session, actor=desk.actor, case_id=case_id, expected_version=None, note="同意")
    assert _settle_offer(desk, case_id).hint == agreements.NEEDS_ORAL_CONFIRMATION  # reviewed, not yet confirmed
    with desk.session() as session:
        confirm_oral(session, actor=desk.actor, case_id=case_id, confirmed_by=("张伟", "李秀英"), confirmed_on=dt.date(2026, 11, 27))
    assert _settle_offer(desk, case_id).enabled
    assert move(desk, case_id, "settle").status == "settled"


def test_a_junior_led_written_draft_is_refused_until_finalised(desk):
    case_id = mediating_case(desk)
    junior_led_draft(desk, case_id)
    offer = _settle_offer(desk, case_id)
    assert not offer.enabled and "尚未定稿" in offer.hint
    with pytest.raises(DomainError, match="书面协议尚未定稿"):
        move(desk, case_id, "settle")
