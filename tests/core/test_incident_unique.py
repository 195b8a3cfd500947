"""A 警情编号 is unique within the committee (issue 13): intake, import and corrections refuse a second use,
naming the case that has it, so the station ledger never counts one call twice."""

import pytest

from laopan.errors import Refused
from laopan.services.corrections import update_referral
from laopan.services.intake import import_cases, register_case
from tests.helpers.scenarios import version


def referral_case(incident_no: str, name: str = "王芳") -> dict:
    return {
        "source": "police_referral", "dispute_type": "neighbour", "level": "grid", "community": "华光城",
        "summary": "楼上噪音扰民。", "parties": [{"role": "applicant", "name": name}, {"role": "respondent", "name": "赵强"}],
        "police_referral": {"incident_no": incident_no, "station": "东柳派出所", "referred_at": "2026-11-27T08:00:00+08:00"},
    }


def test_intake_refuses_a_number_already_used_naming_the_case(desk):
    with desk.session() as session:
        first = register_case(session, actor=desk.actor, data=referral_case("JQ202611270001"))
    with desk.session() as session, pytest.raises(Refused) as refused:
        register_case(session, actor=desk.actor, data=referral_case("JQ202611270001", name="李四"))
    [error] = refused.value.errors
    assert (error.field, error.message) == ("police_referral.incident_no", f"警情编号 JQ202611270001 已用于案件 {first.intake_no}")


def test_an_import_refuses_a_number_in_the_database_or_twice_in_the_file_and_writes_nothing(desk):
    with desk.session() as session:
        first = register_case(session, actor=desk.actor, data=referral_case("JQ202611270002"))
    document = {"format": "laopan.case/1", "cases": [
        referral_case("JQ202611270003"), referral_case("JQ202611270003", name="李四"), referral_case("JQ202611270002", name="周五"),
    ]}
    with desk.session() as session, pytest.raises(Refused) as refused:
        import_cases(session, actor=desk.actor, document=document)
    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("cases[1].police_referral.incident_no", "警情编号 JQ202611270003 与本文件 cases[0].police_referral.incident_no 重复"),
        ("cases[2]", f"与已有案件 {first.intake_no} 是同一案件（警情编号相同）；如需跳过已有案件，请选择“跳过重复”"),
    ]
    with desk.reading() as session:
        from sqlalchemy import func, select

        from laopan.models import Case

        assert session.execute(select(func.count()).select_from(Case)).scalar_one() == 1


def test_a_correction_may_keep_its_own_number_but_not_take_another_cases(desk):
    with desk.session() as session:
        first = register_case(session, actor=desk.actor, data=referral_case("JQ202611270004"))
        second = register_case(session, actor=desk.actor, data=referral_case("JQ202611270005", name="李四"))
    with desk.session() as session:
        update_referral(session, actor=desk.actor, case_id=second.id, expected_version=version(desk, second.id),
                        values={"incident_no": "JQ202611270005", "officer": "王警官"})
    with desk.session() as session, pytest.raises(Refused) as refused:
        update_referral(session, actor=desk.actor, case_id=second.id, expected_version=version(desk, second.id),
                        values={"incident_no": "JQ202611270004"})
    assert refused.value.errors[0].message == f"警情编号 JQ202611270004 已用于案件 {first.intake_no}"
