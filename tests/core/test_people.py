"""Repeat parties: the same person's other cases (by ID number, else name + phone), repeated police referrals of
the same pair, and 民转刑 markers from earlier records."""

import pytest

from laopan.models.enums import Role
from laopan.services.people import person_history, repeat_parties
from tests.helpers.scenarios import LI_ADDRESS, LI_ID, register, user


def _referral(no: str, *, risk: bool = False) -> dict:
    return {"incident_no": no, "station": "东柳派出所", "referred_at": "2026-11-20T09:00:00+08:00",
            "risk_flags": ["criminal_risk"] if risk else []}


@pytest.mark.both_engines
def test_a_case_shows_its_parties_other_cases_the_repeated_referrals_and_the_risk(desk):
    first = register(desk)
    referred = register(desk, source="police_referral", police_referral=_referral("JQ202611200001", risk=True))
    again = register(desk, source="police_referral", police_referral=_referral("JQ202611200002"))
    phone_only = register(desk, parties=[  # 张伟 again, this time without his ID: matched by name and phone
        {"role": "applicant", "name": "张伟", "phone": "138-1234-5678"},
        {"role": "respondent", "name": "王五", "phone": "13600001111"}])
    register(desk, parties=[  # another 张伟: same name, other phone, no ID — not him
        {"role": "applicant", "name": "张伟", "phone": "13900009999"},
        {"role": "respondent", "name": "李秀英", "id_number": LI_ID, "address": LI_ADDRESS}])

    with desk.reading() as session:
        seen = repeat_parties(session, actor=desk.actor, case_id=first)
    zhang, li = seen.people
    assert (zhang.name, zhang.matched_by) == ("张伟", "id_number")
    assert {c.id for c in zhang.cases} == {referred, again, phone_only}  # by ID, and by name + phone where no ID
    assert zhang.risky == 1 and li.risky == 1
    assert len(li.cases) == 3  # 李秀英 by her ID, also opposite the other 张伟
    assert [c.id for c in seen.repeat_referrals] == [again, referred]  # both referred cases name the same pair
    assert seen.risky == 1 and len(seen.cases) == 4

    with desk.reading() as session:
        by_phone = person_history(session, actor=desk.actor, name="张伟", phone="13812345678")
        nobody = person_history(session, actor=desk.actor, name="张伟")  # a name alone identifies no one
    assert by_phone.matched_by == "name_phone" and [c.id for c in by_phone.cases] == [phone_only, again, referred, first]
    assert nobody is None


def test_a_police_liaison_sees_only_joint_cases(desk):
    first = register(desk)
    referred = register(desk, source="police_referral", police_referral=_referral("JQ202611200001"))
    liaison = user(desk, "li", Role.POLICE_LIAISON, "李联络")
    with desk.reading() as session:
        seen = repeat_parties(session, actor=liaison, case_id=referred)
        history = person_history(session, actor=liaison, id_number="330212197803010013")
    assert seen.cases == () and [c.id for c in history.cases] == [referred]
    assert first not in {c.id for c in history.cases}
