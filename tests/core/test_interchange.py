"""The case interchange format `laopan.case/1` (DESIGN §7): all-or-nothing import, refusals by JSON path,
empty strings as omitted values, export → import → export stability, agreement numbers kept and moved past."""

import copy
import io
import json
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from laopan.desk import open_desk
from tests.helpers.accounts import TEST_PASSWORD
from laopan.errors import PermissionDenied, Refused
from laopan.interchange.export import export_cases
from laopan.models import Agreement, AuditEntry, Case, Grid, Mediator, Party
from laopan.models.enums import Role
from laopan.services import numbering
from laopan.services.cases import case_detail, find_case_id
from laopan.services.dictionaries import list_entries
from laopan.services.intake import import_cases
from laopan.services.mediators import list_mediators
from laopan.services.users import actor_for, add_user
from tests.helpers.scenarios import plain_case
from tests.helpers.databases import engine_for

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "interchange"
FULL = FIXTURES / "full.json"
BAD_THIRD_ID = FIXTURES / "bad_third_id.json"


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def document(*cases) -> dict:
    return {"format": "laopan.case/1", "cases": list(cases)}


def settled(number: str | None = None, **changes) -> dict:
    """A settled case whose agreement has every element a finalised agreement needs (DESIGN §4)."""
    agreement = {"kind": "written", "facts": "被申请人装修夜间施工。", "matters": "施工时间。", "responsibilities": "被申请人负全部责任。",
                 "clauses": ["被申请人每日20时后停止施工。"],
                 "performance": {"method": "自行履行", "place": "安居小区", "deadline": "2026-11-30"}, "signed_on": "2026-11-21"}
    if number:
        agreement["number"] = number
    parties = [
        {"role": "applicant", "name": "周丽", "id_number": "330212199209090048", "phone": "13512345678",
         "address": "宁波市鄞州区东柳街道安居小区3幢201室"},
        {"role": "respondent", "name": "吴刚", "id_number": "330212196501020035", "phone": "13712340000",
         "address": "宁波市鄞州区东柳街道安居小区3幢301室"},
    ]
    return plain_case(status="settled", agreement=agreement, parties=parties, **changes)


def refused_errors(desk, doc) -> list[str]:
    with pytest.raises(Refused) as info:
        with desk.session() as session:
            import_cases(session, actor=desk.actor, document=doc)
    return [str(error) for error in info.value.errors]


def count(desk, model) -> int:
    with desk.reading() as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


# --- through the CLI ------------------------------------------------------------------------------------------


def test_a_file_with_one_bad_case_imports_nothing(cli, desk):
    code, out, err = cli("case", "import", str(BAD_THIRD_ID))
    assert code != 0
    assert out == ""
    assert "cases[2].parties[0].id_number: 校验位错误" in err.splitlines()
    assert "未保存任何内容" in err
    assert count(desk, Case) == 0
    assert count(desk, Party) == 0


def test_a_good_file_is_imported_whole_and_its_numbers_printed_in_file_order(cli, desk):
    code, out, err = cli("case", "import", str(FULL))
    assert code == 0
    assert out.splitlines() == ["DL2026-00001", "DL2026-00002"]
    assert "警告：cases[0].mediators[0]: 调解员“潘明杰”不在名册中，已作为导入调解员加入（级别待管理员设定）" in err.splitlines()
    assert "警告：cases[0].mediators[1]: 调解员“潘小”不在名册中，已作为导入调解员加入（级别待管理员设定）" in err.splitlines()
    with desk.session() as session:
        first = case_detail(session, actor=desk.actor, case_id=find_case_id(session, actor=desk.actor, intake_no="DL2026-00001"))
        second = case_detail(session, actor=desk.actor, case_id=find_case_id(session, actor=desk.actor, intake_no="DL2026-00002"))
    assert [p.name for p in first.parties] == ["张伟", "李秀英", "宁波华光物业服务有限公司"]
    assert first.referral.incident_no == "JQ202610080012"
    assert first.agreement.number == "（2026）东柳人调字第087号"
    assert first.agreement.finalised and first.agreement.imported
    assert first.agreement.effective_on.isoformat() == "2026-10-20", "signed_on makes the agreement effective"
    assert first.status == "settled"
    assert [p.name for p in second.parties] == ["宁波幸福物业管理有限公司", "陈建华"]
    assert second.status == "accepted"


def test_import_reads_standard_input_when_given_a_dash(cli, desk, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(document(plain_case()), ensure_ascii=False)))
    code, out, _err = cli("case", "import", "-")
    assert (code, out) == (0, "DL2026-00001\n")
    assert count(desk, Case) == 1


def test_warnings_go_to_stderr_and_the_import_still_succeeds(cli, desk):
    doc = document(plain_case(grid="安居第9网格", parties=[{"role": "applicant", "name": "周丽", "id_number": "330212650102003"},
                                                          {"role": "respondent", "name": "吴刚"}]))
    code, out, err = _import_document(cli, doc)
    assert (code, out) == (0, "DL2026-00001\n")
    assert "警告：cases[0].grid: 新网格“安居第9网格”已加入安居社区" in err.splitlines()
    assert "警告：cases[0].parties[0].id_number: 15位旧身份证号，请核对后换用18位号码" in err.splitlines()


def _import_document(cli, doc) -> tuple[int, str, str]:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "cases.json"
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        return cli("case", "import", str(path))


# --- shape of the file ------------------------------------------------------------------------------------------

UNKNOWN_KEYS = {
    "case": (lambda doc: doc["cases"][0].update(foo=1), "cases[0].foo: 未知字段"),
    "party": (lambda doc: doc["cases"][0]["parties"][1].update(nickname="老李"), "cases[0].parties[1].nickname: 未知字段"),
    "agent": (lambda doc: doc["cases"][0]["parties"][0]["agent"].update(wechat="zq"), "cases[0].parties[0].agent.wechat: 未知字段"),
    "referral": (lambda doc: doc["cases"][0]["police_referral"].update(car="浙B"), "cases[0].police_referral.car: 未知字段"),
    "performance": (lambda doc: doc["cases"][0]["agreement"]["performance"].update(bank="工行"),
                    "cases[0].agreement.performance.bank: 未知字段"),
    "mediator": (lambda doc: doc["cases"][0]["mediators"][0].update(rank="senior"), "cases[0].mediators[0].rank: 未知字段"),
    "second case": (lambda doc: doc["cases"][1].update(note=""), "cases[1].note: 未知字段"),
    "top level": (lambda doc: doc.update(version=2), "version: 未知字段"),
}


@pytest.mark.parametrize("change, expected", UNKNOWN_KEYS.values(), ids=UNKNOWN_KEYS.keys())
def test_unknown_keys_are_refused_with_their_path(desk, change, expected):
    doc = load(FULL)
    change(doc)
    assert refused_errors(desk, doc) == [expected]
    assert count(desk, Case) == 0


SHAPES = {
    "wrong format tag": ({"format": "laopan.case/2", "cases": [plain_case()]}, ["format: 格式标识应为 laopan.case/1"]),
    "missing format": ({"cases": [plain_case()]}, ["format: 缺少必填项"]),
    "not an object": ([plain_case()], ["(文件): 应为 JSON 对象，含 format 和 cases"]),
    "no cases": (document(), ["cases: 不能为空"]),
    "missing summary": (document({k: v for k, v in plain_case().items() if k != "summary"}), ["cases[0].summary: 缺少必填项"]),
    "bad date": (document(plain_case(received_at="2026/11/20")), ["cases[0].received_at: 时间格式应为 2026-10-08T09:30:00+08:00"]),
    "claims not a list": (document(plain_case(claims="赔钱")), ["cases[0].claims: 应为列表"]),
}


@pytest.mark.parametrize("doc, expected", SHAPES.values(), ids=SHAPES.keys())
def test_a_badly_shaped_file_is_refused_with_the_path(desk, doc, expected):
    assert refused_errors(desk, doc) == expected


def test_an_unknown_code_lists_the_allowed_ones(desk):
    (error,) = refused_errors(desk, document(plain_case(level="city")))
    assert error.startswith("cases[0].level: 不是有效的代码，可选：")
    assert all(code in error for code in ("grid", "community", "street"))


def test_an_empty_string_counts_as_an_omitted_optional_value(desk, clock):
    case = plain_case(received_at="", grid="", amount_yuan="", status="", police_referral="", agreement="")
    case["parties"] = [
        {"role": "applicant", "kind": "", "name": "周丽", "sex": "", "id_number": "", "phone": " ", "address": "",
         "agent": {"name": "周强", "relation": "", "phone": ""}},
        {"role": "respondent", "name": "吴刚", "birth_date": "", "id_type": ""},
    ]
    with desk.session() as session:
        (registered,) = import_cases(session, actor=desk.actor, document=document(case)).registered
        detail = case_detail(session, actor=desk.actor, case_id=registered.id, reveal=True)
    assert detail.received_at == clock.now()
    assert (detail.grid, detail.amount_yuan, detail.status, detail.referral, detail.agreement) == (None, None, "registered", None, None)
    zhou = detail.parties[0]
    assert (zhou.kind, zhou.sex, zhou.id_number, zhou.phone, zhou.address) == ("person", None, None, None, None)
    assert (zhou.agent.name, zhou.agent.relation, zhou.agent.phone) == ("周强", None, None)


def test_an_empty_string_is_not_accepted_for_a_required_value(desk):
    assert refused_errors(desk, document(plain_case(community=""))) == ["cases[0].community: 不能为空"]


# --- all or nothing -----------------------------------------------------------------------------------------------


def test_nothing_from_a_refused_file_is_kept_not_even_grids_or_mediators(desk):
    grids, mediators, audited = count(desk, Grid), count(desk, Mediator), count(desk, AuditEntry)  # audited: the login
    good = plain_case(grid="安居第9网格", mediators=[{"name": "新调解员"}])
    bad = plain_case(parties=[{"role": "applicant", "name": "孙华", "phone": "12345"}, {"role": "respondent", "name": "钱多多"}])
    assert refused_errors(desk, document(good, good, bad)) == ["cases[2].parties[0].phone: 不是有效的手机号或固定电话"]
    assert (count(desk, Case), count(desk, Grid), count(desk, Mediator), count(desk, AuditEntry)) == (0, grids, mediators, audited)


def test_a_new_grid_named_by_two_cases_of_one_file_is_added_once(desk):
    grids = count(desk, Grid)
    doc = document(plain_case(grid="安居第9网格"), plain_case(grid="安居第9网格"))
    with desk.session() as session:
        report = import_cases(session, actor=desk.actor, document=doc)
    assert [r.intake_no for r in report.registered] == ["DL2026-00001", "DL2026-00002"]
    assert count(desk, Grid) == grids + 1
    with desk.reading() as session:
        assert [e.name for e in list_entries(session, actor=desk.actor, kind="grid")].count("安居第9网格") == 1


def test_an_unknown_mediator_named_by_two_cases_is_added_once(desk):
    doc = document(plain_case(mediators=[{"name": "潘新"}]), plain_case(mediators=[{"name": "潘新", "role": "assistant"}]))
    with desk.session() as session:
        report = import_cases(session, actor=desk.actor, document=doc)
        registry = list_mediators(session, actor=desk.actor)
    assert [(m.name, m.imported) for m in registry] == [("潘新", True)]
    assert report.warnings == ["cases[0].mediators[0]: 调解员“潘新”不在名册中，已作为导入调解员加入（级别待管理员设定）"]


# --- agreement numbers ----------------------------------------------------------------------------------------------


def test_an_imported_agreement_number_moves_the_allocator_past_it(desk):
    with desk.session() as session:
        import_cases(session, actor=desk.actor, document=load(FULL))
    with desk.session() as session:
        import_cases(session, actor=desk.actor, document=document(settled("（2026）东柳人调字第012号")))
    with desk.session() as session:
        assert numbering.next_seq(session, committee_id=desk.committee_id, kind=numbering.AGREEMENT, year=2026) == 88


def test_a_number_in_another_committee_format_is_refused_with_the_format_expected(desk):
    """Issue 10 item 4: a number is parsed in the committee's format; anything else (another committee's number,
    free text) is refused, and the refusal shows what a number looks like here."""
    for number in ("（2026）西柳人调字第500号", "协议一号"):
        assert refused_errors(desk, document(settled(number))) == [
            f"cases[0].agreement.number: 协议编号“{number}”不是本调委会的格式，应为“（2026）东柳人调字第001号”这样的编号"
        ]
    assert count(desk, Agreement) == 0


def test_a_duplicate_agreement_number_within_a_file_is_refused(desk):
    doc = document(settled("（2026）东柳人调字第005号"), settled("（2026）东柳人调字第5号", received_at="2026-11-20T11:00:00+08:00"))
    assert refused_errors(desk, doc) == ["cases[1].agreement.number: 协议编号 （2026）东柳人调字第005号 与本文件 cases[0].agreement.number 重复"]
    assert count(desk, Agreement) == 0


@pytest.mark.both_engines
@pytest.mark.parametrize("number", ["（2026）东柳人调字第087号", "（2026）东柳人调字第87号", "（2026）东柳人调字第０８７号", "（２０２６）东柳人调字第0087号"])
def test_an_agreement_number_already_in_the_database_is_refused_in_any_spelling(desk, number):
    """Issue 10: `第87号` and `第０８７号` beside an existing `第087号` were accepted — one year and sequence three times."""
    with desk.session() as session:
        import_cases(session, actor=desk.actor, document=load(FULL))
    existing = "DL2026-00001"
    with desk.reading() as session:
        assert case_detail(session, actor=desk.actor, case_id=find_case_id(session, actor=desk.actor, intake_no=existing)).agreement.number == "（2026）东柳人调字第087号"
    doc = document(plain_case(received_at="2026-11-21T10:00:00+08:00"), settled(number))
    assert refused_errors(desk, doc) == [f"cases[1].agreement.number: 协议编号 （2026）东柳人调字第087号 已被案件 {existing} 的协议使用"]
    assert count(desk, Case) == 2


def test_an_imported_number_is_stored_in_the_committee_spelling(desk):
    with desk.session() as session:
        (registered,) = import_cases(session, actor=desk.actor, document=document(settled("（２０２６）东柳人调字第４２号"))).registered
        assert case_detail(session, actor=desk.actor, case_id=registered.id).agreement.number == "（2026）东柳人调字第042号"
        assert numbering.next_seq(session, committee_id=desk.committee_id, kind=numbering.AGREEMENT, year=2026) == 43


@pytest.mark.parametrize(("number", "message"), [
    ("（2099）东柳人调字第001号", "协议编号的年份 2099 晚于今年"),
    ("（2026）东柳人调字第000号", "协议编号的序号应从 1 开始"),
    ("（2026）东柳人调字第123456789012345678901号", "协议编号的序号过大（最多 6 位）"),
])
def test_an_implausible_number_is_refused(desk, number, message):
    (error,) = refused_errors(desk, document(settled(number)))
    assert error.startswith(f"cases[0].agreement.number: {message}")


def test_a_settled_case_without_a_number_is_finalised_and_numbered_on_import(desk):
    """DESIGN §7: without `agreement.number`, a settled or closed case's agreement is finalised on import and
    numbered like any other, effective from `signed_on`."""
    with desk.session() as session:
        import_cases(session, actor=desk.actor, document=document(settled("（2026）东柳人调字第087号")))
    with desk.session() as session:
        (registered,) = import_cases(session, actor=desk.actor, document=document(settled(received_at="2026-11-20T11:00:00+08:00"))).registered
        agreement = case_detail(session, actor=desk.actor, case_id=registered.id).agreement
    assert agreement.number == "（2026）东柳人调字第088号"
    assert agreement.finalised is True
    assert agreement.effective_on.isoformat() == "2026-11-21"


# --- export ------------------------------------------------------------------------------------------------------------


def _expected_from_file(case: dict) -> dict:
    """What the file says, with the values the desk normalises written the way it stores them."""
    expected = copy.deepcopy(case)
    for party in expected["parties"]:
        if "phone" in party and party["phone"].replace(" ", "").isdigit():
            party["phone"] = party["phone"].replace(" ", "")
    return expected


def _assert_contains(actual, expected, path="") -> None:
    if isinstance(expected, dict):
        assert isinstance(actual, dict), path
        for key, value in expected.items():
            assert key in actual, f"{path}.{key} lost on export"
            _assert_contains(actual[key], value, f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), path
        for index, (a, e) in enumerate(zip(actual, expected)):
            _assert_contains(a, e, f"{path}[{index}]")
    else:
        assert actual == expected, path


@pytest.mark.both_engines
def test_export_import_export_gives_the_same_document(desk, new_db_url, clock):
    full = load(FULL)
    with desk.session() as session:
        ids = [r.id for r in import_cases(session, actor=desk.actor, document=full).registered]
        first = export_cases(session, actor=desk.actor, case_ids=ids)
    assert first["format"] == "laopan.case/1"
    assert len(first["cases"]) == 2
    for exported, original in zip(first["cases"], full["cases"]):
        _assert_contains(exported, _expected_from_file(original))
        assert "intake_no" not in exported, "a case handed to another site gets that site's number"

    engine = engine_for(new_db_url())  # another committee office's desk
    try:
        other = open_desk(engine=engine, login="admin", password=TEST_PASSWORD, clock=clock)
        with other.session() as session:
            report = import_cases(session, actor=other.actor, document=json.loads(json.dumps(first, ensure_ascii=False)))
            second = export_cases(session, actor=other.actor, case_ids=[r.id for r in report.registered])
    finally:
        engine.dispose()
    assert second == first


def test_every_export_is_audited(desk):
    with desk.session() as session:
        ids = [r.id for r in import_cases(session, actor=desk.actor, document=load(FULL)).registered]
    with desk.session() as session:
        export_cases(session, actor=desk.actor, case_ids=ids)
    with desk.session() as session:
        entries = session.execute(select(AuditEntry).where(AuditEntry.action == "case.export").order_by(AuditEntry.id)).scalars().all()
        assert [(e.entity, e.entity_id, e.login) for e in entries] == [("case", ids[0], "admin"), ("case", ids[1], "admin")]


def test_only_supervisors_export_the_exchange_file_which_always_carries_full_personal_data(desk, clock):
    with desk.session() as session:
        police_id, other_id = (r.id for r in import_cases(session, actor=desk.actor, document=load(FULL)).registered)
        add_user(session, actor=desk.actor, login="li", display_name="李联络", role=Role.POLICE_LIAISON, password=TEST_PASSWORD)
        add_user(session, actor=desk.actor, login="zhu", display_name="朱主任", role=Role.SUPERVISOR, password=TEST_PASSWORD)
    with desk.session() as session:
        supervisor = actor_for(session, committee_id=desk.committee_id, login="zhu", clock=clock)
        assert [c["police_referral"]["incident_no"] for c in export_cases(session, actor=supervisor, case_ids=[police_id])["cases"]] == [
            "JQ202610080012"]
        liaison = actor_for(session, committee_id=desk.committee_id, login="li", clock=clock)
    for case_id in (police_id, other_id):  # even the liaison's own joint case: the file has no masked form
        with pytest.raises(PermissionDenied, match="^警调联络员无权导出含完整个人信息的案件数据"):
            with desk.session() as session:
                export_cases(session, actor=liaison, case_ids=[case_id])
