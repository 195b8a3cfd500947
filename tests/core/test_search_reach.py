"""Search reaches further (issue 13 item 7): Traditional and Simplified find each other, an agent's phone and a
警情编号 are searchable from the case list's box, and a renamed party is found by its new name."""

from sqlalchemy import select, update

from laopan.models import Party
from laopan.services.cases import CaseFilter, list_cases
from laopan.services.name_index import reindex_case_names
from tests.helpers.scenarios import case_data, register


def _found(desk, text) -> list[int]:
    with desk.reading() as session:
        return [row.id for row in list_cases(session, actor=desk.actor, filters=CaseFilter(text=text))]


def _with_applicant(desk, name: str, **changes) -> int:
    from laopan.services.intake import register_case

    data = case_data(**changes)
    data["parties"][0]["name"] = name
    with desk.session() as session:
        return register_case(session, actor=desk.actor, data=data).id


def test_traditional_and_simplified_find_each_other(desk):
    traditional = _with_applicant(desk, "陳偉東")
    simplified = _with_applicant(desk, "陈伟东")
    for text in ("陳", "陈", "陳偉", "陈伟", "陳偉東", "陈伟东", "陈偉东"):
        assert sorted(_found(desk, text)) == sorted([traditional, simplified]), text


def test_an_agents_phone_finds_the_case_by_its_tail(desk):
    case_id = register(desk)  # 张伟's agent 张强 has 13900001111
    assert _found(desk, "13900001111") == [case_id]
    assert _found(desk, "1111") == [case_id]
    assert _found(desk, "139-0000-1111") == [case_id]
    assert _found(desk, "2222") == []


def test_a_police_incident_number_finds_its_case_by_prefix(desk):
    case_id = register(desk, source="police_referral")  # 警情编号 JQ202611200001
    assert _found(desk, "JQ202611200001") == [case_id]
    assert _found(desk, "jq20261120") == [case_id]
    assert _found(desk, "JQ20261121") == []


def test_a_renamed_party_is_found_by_the_new_name_once_reindexed(desk):
    case_id = register(desk)
    with desk.session() as session:
        party_id = session.execute(select(Party.id).where(Party.case_id == case_id, Party.name == "张伟")).scalar_one()
        session.execute(update(Party).where(Party.id == party_id).values(name="欧阳明"))
        reindex_case_names(session, case_id)
    assert _found(desk, "欧阳") == [case_id]
    assert _found(desk, "张伟") == []
