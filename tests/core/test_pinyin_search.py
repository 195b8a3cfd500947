"""Pinyin search (issue 16 item 5): `zw`, `zhangw`, `zhangwei` and `Zhang Wei` find 张伟; surnames read as
surnames (单 is shan); the keys are written at intake and rewritten when a correction renames a party; a Latin
query with digits is a number, not pinyin; migration 0012 fills the keys of an existing database."""

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from laopan.demo import generate_demo
from laopan.services import corrections
from laopan.services import search as search_module
from laopan.services.cases import COUNT_CAP, CaseFilter, CaseQuery, list_cases
from laopan.services.intake import register_case
from laopan.services.pinyin import name_keys, query_key
from laopan.storage.migrate import alembic_config
from tests.helpers.scenarios import case_data, plain_case, register, version


def _found(desk, text_) -> list[int]:
    with desk.reading() as session:
        return sorted(row.id for row in list_cases(session, actor=desk.actor, filters=CaseFilter(text=text_)))


def _between(desk, applicant: str, respondent: str = "吴刚") -> int:
    data = plain_case()
    data["parties"] = [{"role": "applicant", "name": applicant}, {"role": "respondent", "name": respondent}]
    with desk.session() as session:
        return register_case(session, actor=desk.actor, data=data).id


@pytest.mark.both_engines  # the key range is a string comparison: PostgreSQL's collation must agree
def test_initials_and_full_readings_find_zhang_wei(desk):
    zhang = register(desk)  # 张伟 against 李秀英
    zhao = _between(desk, "赵文")  # the same initials, another name
    for typed in ("zhangw", "zhangwei", "Zhang Wei", "ZHANGWEI", "zhang wei", "zhangwe"):
        assert _found(desk, typed) == [zhang], typed
    assert _found(desk, "zw") == sorted([zhang, zhao])  # initials alone cannot tell them apart: both are right
    assert _found(desk, "ZW") == sorted([zhang, zhao])
    assert _found(desk, "zhaow") == [zhao]
    assert _found(desk, "lxy") == [zhang]  # the respondent 李秀英 by initials
    assert _found(desk, "zhangx") == []  # no 张x… anywhere: 张伟's key does not continue with x
    assert _found(desk, "zwx") == []  # initials are matched from the start, not scattered


def test_polyphonic_surnames_read_as_surnames(desk):
    shan = _between(desk, "单雄信")
    zeng = _between(desk, "曾国藩")
    ou = _between(desk, "区志强")
    yuchi = _between(desk, "尉迟恭")
    assert _found(desk, "shanxiong") == [shan]
    assert _found(desk, "sxx") == [shan]
    assert _found(desk, "zengguo") == [zeng]
    assert _found(desk, "ouzhi") == [ou]
    assert _found(desk, "yuchigong") == [yuchi]
    assert _found(desk, "ycg") == [yuchi]
    # The names alone cannot tell a person from 单位食堂: a short name keeps the ordinary reading too (and a clerk
    # unsure of the surname's reading finds 单雄信 by dan…); a long organisation name reads as usual.
    assert _found(desk, "danxiong") == [shan]
    assert sorted(name_keys("单位食堂")) == ["danweishitang", "dwst", "shanweishitang", "swst"]
    assert sorted(name_keys("单县物业公司")) == ["danxianwuyegongsi", "dxwygs"]
    assert sorted(name_keys("张伟")) == ["zhangwei", "zw"]


def test_a_latin_query_with_digits_is_a_number_not_pinyin(desk):
    dong = _between(desk, "董亮")
    with desk.reading() as session:
        intake_no = session.execute(text("SELECT intake_no FROM mediation_case WHERE id = :id"), {"id": dong}).scalar_one()
    prefix = "".join(ch for ch in intake_no if ch.isalpha())  # the committee's intake letters, e.g. "DL"
    assert query_key(intake_no[: len(prefix) + 4]) is None  # DL2026: an intake number's start
    assert _found(desk, intake_no[: len(prefix) + 4]) == [dong]
    assert query_key(prefix) == prefix.lower()  # the letters alone are pinyin (every case has them as intake prefix)
    if prefix.lower() == "dl":
        assert _found(desk, prefix) == [dong]  # 董亮's initials, not every intake number
    assert query_key("xi'an") == "xian" and query_key("张w") is None


def test_a_name_written_in_latin_letters_is_still_found_inside(desk):
    john = _between(desk, "John Smith")
    abc = _between(desk, "宁波XABC物业有限公司")
    assert _found(desk, "smith") == [john]  # the middle of a Latin name: the name index, not the pinyin keys
    assert _found(desk, "john smith") == [john]
    assert _found(desk, "abc") == [abc]
    assert _found(desk, "ningbo") == [abc]  # and the organisation by the reading of its start


def test_a_correction_renames_the_pinyin_keys_too(desk):
    case_id = register(desk)
    with desk.reading() as session:
        party_id = corrections.find_party(session, actor=desk.actor, case_id=case_id, ref="张伟")
    with desk.session() as session:
        corrections.update_party(session, actor=desk.actor, case_id=case_id, party_id=party_id,
                                 expected_version=version(desk, case_id), values={"name": "欧阳明"})
    assert _found(desk, "ouyangming") == [case_id]
    assert _found(desk, "oym") == [case_id]
    assert _found(desk, "zhangwei") == []
    with desk.session() as session:
        corrections.add_party(session, actor=desk.actor, case_id=case_id, expected_version=version(desk, case_id),
                              party={"role": "respondent", "name": "曾小贤"})
    assert _found(desk, "zengxiaoxian") == [case_id]


def test_a_frequent_initial_walks_newest_first_and_agrees_with_the_index_plan(desk, clock, monkeypatch):
    generate_demo(desk.engine, committee_id=desk.committee_id, cases=1500, seed=5, clock=clock)
    monkeypatch.setattr(search_module, "FREQUENT", 50)
    with desk.reading() as session:
        walked = CaseQuery(session, actor=desk.actor, filters=CaseFilter(text="w"))
        assert "EXISTS" in str(walked.where)
    monkeypatch.setattr(search_module, "FREQUENT", 10**9)
    with desk.reading() as session:
        indexed = CaseQuery(session, actor=desk.actor, filters=CaseFilter(text="w"))
        assert "EXISTS" not in str(indexed.where)
        page = walked.page(session, limit=100)
        assert len(page) == 100 and page == indexed.page(session, limit=100)
        assert walked.count(session, limit=COUNT_CAP + 1) == indexed.count(session, limit=COUNT_CAP + 1)


def test_migration_0012_fills_the_keys_of_an_existing_database(desk):
    zhang = register(desk)
    shan = _between(desk, "单雄信")
    with desk.engine.connect() as connection:
        config = alembic_config(connection)
        before = ScriptDirectory.from_config(config).get_revision("0012").down_revision
        command.downgrade(config, before)
        connection.commit()
    with desk.engine.connect() as connection:
        command.upgrade(alembic_config(connection), "head")
        connection.commit()
    assert _found(desk, "zhangwei") == [zhang]
    assert _found(desk, "shanxx") == [] and _found(desk, "sxx") == [shan]


def test_case_data_is_still_the_zhang_wei_case():
    """The expectations above name 张伟 and 李秀英: pin the builder so an edit cannot make them vacuous."""
    names = [party["name"] for party in case_data()["parties"]]
    assert names == ["张伟", "李秀英"]
