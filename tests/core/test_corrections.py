"""Correcting a case after intake: the same checks as intake, version-checked, audited field by field, worded
and masked in the timeline, derived columns kept right, closed cases read-only."""

import pytest

from laopan.errors import Conflict, InvalidTransition, Refused, ValidationError
from laopan.models import Agent, Case, Party
from laopan.services import corrections
from laopan.services.cases import CaseFilter, case_detail, list_cases
from laopan.services.intake import register_case
from laopan.services.timeline import case_timeline
from tests.helpers.scenarios import ZHANG_ID, case_data, move, plain_case, register, version

NEW_ID = "110101199003070038"  # a valid resident ID
BAD_ID = NEW_ID[:-1] + "6"


def party_id(desk, case_id, name):
    with desk.reading() as session:
        return corrections.find_party(session, actor=desk.actor, case_id=case_id, ref=name)


def do(desk, service, case_id, **kwargs):
    with desk.session() as session:
        return service(session, actor=desk.actor, case_id=case_id, expected_version=version(desk, case_id), **kwargs)


def refusal(desk, service, case_id, **kwargs) -> list[tuple[str, str]]:
    with pytest.raises((Refused, ValidationError)) as caught:
        do(desk, service, case_id, **kwargs)
    exc = caught.value
    return [(e.field, e.message) for e in exc.errors] if isinstance(exc, Refused) else [(exc.field, exc.message)]


def intake_refusal(desk, **changes) -> list[tuple[str, str]]:
    with pytest.raises(Refused) as caught, desk.session() as session:
        register_case(session, actor=desk.actor, data=plain_case(**changes))
    return [(e.field, e.message) for e in caught.value.errors]


def timeline_lines(desk, case_id, **kwargs) -> list[str]:
    with desk.reading() as session:
        return [e.description for e in case_timeline(session, actor=desk.actor, case_id=case_id, **kwargs)]


def test_a_wrong_id_checksum_is_refused_with_intakes_own_words(desk):
    case_id = register(desk)
    zhang = party_id(desk, case_id, "张伟")
    at_intake = intake_refusal(desk, parties=[{"role": "applicant", "name": "周丽", "id_number": BAD_ID}, {"role": "respondent", "name": "吴刚"}])
    corrected = refusal(desk, corrections.update_party, case_id, party_id=zhang, values={"id_number": BAD_ID})
    assert corrected == at_intake == [("parties[0].id_number", at_intake[0][1])]
    assert "校验位错误" in corrected[0][1]
    assert refusal(desk, corrections.update_party, case_id, party_id=zhang, values={"phone": "12345"})[0][0] == "parties[0].phone"


def test_correcting_an_id_number_is_audited_worded_and_masked(desk):
    case_id = register(desk)
    zhang = party_id(desk, case_id, "张伟")
    change = do(desk, corrections.update_party, case_id, party_id=zhang, values={"id_number": NEW_ID})
    assert change.changes["id_number"] == [ZHANG_ID, NEW_ID]
    with desk.reading() as session:
        party = session.get(Party, zhang)
        assert (party.id_number, party.id_number_rev, party.birth_date.isoformat()) == (NEW_ID, NEW_ID[::-1], "1990-03-07")
    line = timeline_lines(desk, case_id)[-1]
    assert line == "张伟 的身份证号 由 **************0013（1978年生） 改为 **************0038（1990年生）；出生日期 由 1978年 改为 1990年"
    assert timeline_lines(desk, case_id, reveal=True)[-1].startswith(f"张伟 的身份证号 由 {ZHANG_ID} 改为 {NEW_ID}；")


def test_a_stale_save_is_refused_with_the_conflict_sentence(desk):
    case_id = register(desk)
    stale = version(desk, case_id)
    do(desk, corrections.update_case, case_id, values={"summary": "楼上漏水，已修好一半。"})
    with pytest.raises(Conflict, match="已被 .* 修改，请刷新"), desk.session() as session:
        corrections.update_case(session, actor=desk.actor, case_id=case_id, expected_version=stale, values={"amount_yuan": "100"})


def test_case_facts_are_checked_like_intake_and_worded(desk):
    case_id = register(desk)
    assert refusal(desk, corrections.update_case, case_id, values={"dispute_type": "nonsense"})[0][0] == "dispute_type"
    assert refusal(desk, corrections.update_case, case_id, values={"amount_yuan": "abc"}) == intake_refusal(desk, amount_yuan="abc")
    do(desk, corrections.update_case, case_id, values={"amount_yuan": "8000", "prevented_criminal": True})
    with desk.reading() as session:
        case = session.get(Case, case_id)
        assert (case.amount_fen, case.prevented_criminal) == (800000, True)
    assert timeline_lines(desk, case_id)[-1] == "案件 的标的额 由 （空） 改为 8000.00；防止民转刑 由 否 改为 是"


def test_a_closed_case_stays_read_only(desk):
    case_id = register(desk)
    with desk.session() as session:
        session.get(Case, case_id).status = "closed"
    with pytest.raises(InvalidTransition, match="已结案归档的案件只读"):
        do(desk, corrections.update_case, case_id, values={"summary": "改"})
    with desk.reading() as session:
        assert case_detail(session, actor=desk.actor, case_id=case_id).may_edit is False


def test_renaming_a_party_moves_the_search_and_the_list_line(desk):
    case_id = register(desk)
    do(desk, corrections.update_party, case_id, party_id=party_id(desk, case_id, "李秀英"), values={"name": "陈晓燕"})
    with desk.reading() as session:
        assert [r.id for r in list_cases(session, actor=desk.actor, filters=CaseFilter(text="晓燕"))] == [case_id]
        assert list_cases(session, actor=desk.actor, filters=CaseFilter(text="秀英")) == []
        assert session.get(Case, case_id).parties_display == "张伟 诉 陈晓燕"
    assert timeline_lines(desk, case_id)[-1] == "李秀英 的姓名 由 李秀英 改为 陈晓燕"


def test_adding_and_removing_parties(desk):
    case_id = register(desk)
    do(desk, corrections.add_party, case_id, party={"role": "respondent", "name": "王五", "phone": "13611112222"})
    with desk.reading() as session:
        assert session.get(Case, case_id).parties_display == "张伟 诉 李秀英、王五"
        wang = session.exec(Party.__table__.select().where(Party.name == "王五")).first()
        assert wang.phone_rev == "22221111631"
    assert timeline_lines(desk, case_id)[-1] == "添加当事人 王五（被申请人）"
    assert refusal(desk, corrections.remove_party, case_id, party_id=party_id(desk, case_id, "张伟"), reason="误录") == [
        ("当事人", "不能删除 张伟：案件须至少保留一名申请人和一名被申请人")]
    assert refusal(desk, corrections.remove_party, case_id, party_id=party_id(desk, case_id, "王五"), reason=" ")[0][0] == "原因"
    do(desk, corrections.remove_party, case_id, party_id=party_id(desk, case_id, "王五"), reason="登记重复")
    with desk.reading() as session:
        assert session.get(Case, case_id).parties_display == "张伟 诉 李秀英"
        assert list_cases(session, actor=desk.actor, filters=CaseFilter(text="王五")) == []
    assert timeline_lines(desk, case_id)[-1] == "删除当事人 王五（被申请人）：登记重复"
    assert refusal(desk, corrections.add_party, case_id, party={"role": "respondent", "name": "赵六", "id_number": BAD_ID})[0] == (
        "parties[2].id_number", intake_refusal(desk, parties=[{"role": "applicant", "name": "周丽", "id_number": BAD_ID}, {"role": "respondent", "name": "吴刚"}])[0][1])


def test_agents_are_corrected_through_the_shared_check(desk):
    case_id = register(desk)
    zhang = party_id(desk, case_id, "张伟")
    assert refusal(desk, corrections.update_party, case_id, party_id=zhang, values={"agent": {"phone": "99"}})[0][0] == "parties[0].agent.phone"
    do(desk, corrections.update_party, case_id, party_id=zhang, values={"agent": {"phone": "13900002222"}})
    assert timeline_lines(desk, case_id)[-1] == "张伟 的代理人电话 由 *******1111 改为 *******2222"
    do(desk, corrections.update_party, case_id, party_id=zhang, values={"agent": None})
    with desk.reading() as session:
        assert session.exec(Agent.__table__.select()).all() == []


def test_correcting_the_referral(desk):
    case_id = register(desk, source="police_referral")
    assert refusal(desk, corrections.update_referral, case_id, values={"officer_phone": "12"})[0][0] == "police_referral.officer_phone"
    do(desk, corrections.update_referral, case_id, values={"incident_no": "JQ202611200009", "officer": "周警官"})
    with desk.reading() as session:
        referral = case_detail(session, actor=desk.actor, case_id=case_id).referral
    assert (referral.incident_no, referral.officer) == ("JQ202611200009", "周警官")
    assert timeline_lines(desk, case_id)[-1] == "警情移交 的警情编号 由 JQ202611200001 改为 JQ202611200009；移交民警 由 （空） 改为 周警官"


def test_the_detail_says_who_may_edit(desk):
    case_id = register(desk)
    with desk.reading() as session:
        assert case_detail(session, actor=desk.actor, case_id=case_id).may_edit is True
    move(desk, case_id, "reject", reason="不属于受理范围")
    with desk.reading() as session:
        assert case_detail(session, actor=desk.actor, case_id=case_id).may_edit is True
    assert case_data()  # the builder stays importable for the CLI tests
