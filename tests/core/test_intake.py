"""Registering a case (DESIGN §3, §4 "Validation", §7): numbers, derived values, refusals with their field
path and Chinese message, nothing saved when refused, dictionary and registry additions, permissions, audit."""

import copy
import datetime as dt

import pytest
from sqlalchemy import func, select

from laopan.errors import Refused
from laopan.models import Agent, AuditEntry, Case, Grid, Mediator, NameGram, NumberSequence, Party, PoliceReferral
from laopan.models.enums import MediatorRank
from laopan.services.cases import case_detail, list_cases
from laopan.services.dictionaries import list_entries
from laopan.services.intake import register_case
from laopan.services.mediators import add_mediator, list_mediators
from laopan.services.users import actor_for
from tests.helpers.scenarios import police_liaison

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def make_id(first17: str) -> str:
    """GB 11643 check character, computed independently of laopan."""
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS)) % 11]


def make_credit(first17: str) -> str:
    """GB 32100 check character, computed independently of laopan."""
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS))
    return first17 + _CREDIT_CHARS[(31 - total % 31) % 31]


ZHOU_ID = make_id("33021219920909004")  # female (even 17th digit), born 1992-09-09
WU_ID = make_id("33021219650102003")  # male, born 1965-01-02
WUYE_CODE = make_credit("91330212MA2AB1C3X")

REFERRAL = {"incident_no": "JQ202611200007", "station": "东柳派出所", "referred_at": "2026-11-20T09:20:00+08:00"}


def base_case(**changes) -> dict:
    case = {
        "received_at": "2026-11-20T10:00:00+08:00",
        "source": "party_application",
        "dispute_type": "neighbour",
        "level": "grid",
        "community": "安居",
        "grid": "安居第2网格",
        "summary": "邻居装修噪音扰民，多次协商未果。",
        "claims": ["被申请人停止夜间施工"],
        "amount_yuan": "3000.50",
        "parties": [
            {"role": "applicant", "name": "周丽", "id_number": ZHOU_ID, "phone": "+86 135-1234-5678",
             "address": "宁波市鄞州区东柳街道安居小区3幢201室",
             "agent": {"name": "周强", "relation": "兄弟", "phone": "139 0000 1111"}},
            {"role": "respondent", "name": "吴刚", "id_number": WU_ID, "phone": "13712345678"},
            {"role": "third_party", "kind": "organization", "name": "宁波安居物业服务有限公司",
             "credit_code": WUYE_CODE.lower(), "representative": "王建国", "phone": "0574 8765 4321"},
        ],
    }
    case.update(changes)
    return case


def with_party(index: int, **changes) -> dict:
    case = base_case()
    case["parties"][index].update(changes)
    return case


def counts(desk) -> dict[str, int]:
    with desk.reading() as session:
        return {
            model.__name__: session.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (Case, Party, Agent, NameGram, PoliceReferral, Grid, Mediator, NumberSequence, AuditEntry)
        }


def register(desk, data) -> tuple:
    with desk.session() as session:
        registered = register_case(session, actor=desk.actor, data=data)
    return registered


def refusal(desk, data) -> Refused:
    with pytest.raises(Refused) as info:
        with desk.session() as session:
            register_case(session, actor=desk.actor, data=data)
    return info.value


# --- a good registration -----------------------------------------------------------------------------------


def test_a_case_with_persons_an_organisation_and_an_agent_is_registered(desk):
    registered = register(desk, base_case())
    assert registered.intake_no == "DL2026-00001"
    assert registered.warnings == ()
    with desk.session() as session:
        detail = case_detail(session, actor=desk.actor, case_id=registered.id, reveal=True)
    assert detail.intake_no == "DL2026-00001"
    assert (detail.source, detail.dispute_type, detail.level, detail.community, detail.grid) == (
        "party_application", "neighbour", "grid", "安居", "安居第2网格")
    assert detail.amount_yuan == "3000.50"
    assert detail.claims == ("被申请人停止夜间施工",)
    assert detail.status == "registered"
    zhou, wu, company = detail.parties
    # Sex and birth date derived from the ID number; phones normalised.
    assert (zhou.name, zhou.role, zhou.kind, zhou.sex, zhou.birth_date) == ("周丽", "applicant", "person", "female", dt.date(1992, 9, 9))
    assert (zhou.id_type, zhou.id_number, zhou.phone) == ("resident_id", ZHOU_ID, "13512345678")
    assert (zhou.agent.name, zhou.agent.relation, zhou.agent.phone) == ("周强", "兄弟", "13900001111")
    assert (wu.sex, wu.birth_date, wu.role) == ("male", dt.date(1965, 1, 2), "respondent")
    assert wu.agent is None
    assert (company.kind, company.role, company.name) == ("organization", "third_party", "宁波安居物业服务有限公司")
    assert company.credit_code == WUYE_CODE, "credit codes are stored upper-case"
    assert company.phone == "0574-87654321"
    assert company.sex is None and company.birth_date is None
    with desk.reading() as session:
        (row,) = list_cases(session, actor=desk.actor)
    assert row.parties == "周丽 诉 吴刚"
    assert row.received_on == dt.date(2026, 11, 20)


def test_intake_numbers_are_gapless_in_order_of_registration(desk):
    numbers = [register(desk, base_case()).intake_no for _ in range(3)]
    assert numbers == ["DL2026-00001", "DL2026-00002", "DL2026-00003"]


def test_the_year_of_a_number_follows_the_committee_time_zone(desk):
    new_years_eve_beijing = register(desk, base_case(received_at="2025-12-31T23:30:00+08:00"))
    new_year_beijing = register(desk, base_case(received_at="2025-12-31T16:30:00Z"))  # 2026-01-01 00:30 in Beijing
    later_2026 = register(desk, base_case(received_at="2026-03-01T10:00:00+08:00"))
    later_2025 = register(desk, base_case(received_at="2025-06-01T10:00:00+08:00"))
    assert new_years_eve_beijing.intake_no == "DL2025-00001"
    assert new_year_beijing.intake_no == "DL2026-00001"
    assert later_2026.intake_no == "DL2026-00002"
    assert later_2025.intake_no == "DL2025-00002"


def test_a_committee_number_format_is_used(desk):
    from laopan.models import Committee

    with desk.session() as session:
        committee = session.get(Committee, desk.committee_id)
        committee.settings = {**committee.settings, "intake_no_format": "东柳受{year}-{seq:04d}"}
    assert register(desk, base_case()).intake_no == "东柳受2026-0001"


def test_received_time_defaults_to_now(desk, clock):
    data = base_case()
    del data["received_at"]
    registered = register(desk, data)
    with desk.session() as session:
        assert case_detail(session, actor=desk.actor, case_id=registered.id).received_at == clock.now()


def test_a_status_past_registered_implies_acceptance_and_a_deadline(desk):
    registered = register(desk, base_case(status="mediating", received_at="2026-11-20T23:30:00+08:00"))
    with desk.session() as session:
        detail = case_detail(session, actor=desk.actor, case_id=registered.id)
        entry = session.execute(select(AuditEntry).where(AuditEntry.action == "case.register")).scalar_one()
    assert detail.status == "mediating"
    assert detail.accepted_at == dt.datetime(2026, 11, 20, 15, 30, tzinfo=dt.UTC)
    assert detail.due_on == dt.date(2026, 12, 20), "30 calendar days from acceptance, counted in Beijing"
    assert detail.days_left == 23  # the fixed clock says 2026-11-27 in Beijing
    assert entry.note == "导入"


def test_a_fifteen_digit_id_is_accepted_with_a_warning(desk):
    registered = register(desk, with_party(1, id_number="330212650102003", sex=None))
    assert registered.warnings == ("parties[1].id_number: 15位旧身份证号，请核对后换用18位号码",)
    with desk.session() as session:
        wu = case_detail(session, actor=desk.actor, case_id=registered.id, reveal=True).parties[1]
    assert (wu.id_type, wu.id_number, wu.birth_date) == ("resident_id_15", "330212650102003", dt.date(1965, 1, 2))


def test_a_police_referral_gets_its_deadlines_and_receiver(desk):
    registered = register(desk, base_case(source="police_referral", police_referral=dict(REFERRAL, officer_phone="136-0000-2222")))
    with desk.session() as session:
        referral = case_detail(session, actor=desk.actor, case_id=registered.id, reveal=True).referral
    referred = dt.datetime(2026, 11, 20, 1, 20, tzinfo=dt.UTC)
    assert referral.station == "东柳派出所"
    assert referral.referred_at == referred
    assert referral.first_contact_due_at == referred + dt.timedelta(hours=24)
    assert referral.feedback_due_at == referred + dt.timedelta(days=5)
    assert referral.officer_phone == "13600002222"
    assert referral.received_by == "管理员"
    assert referral.received_at == dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)


def test_registration_is_audited(desk, clock):
    registered = register(desk, base_case())
    with desk.session() as session:
        entries = session.execute(select(AuditEntry).where(AuditEntry.action != "login")).scalars().all()
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.action, entry.entity, entry.entity_id, entry.login) == ("case.register", "case", registered.id, "admin")
    assert entry.committee_id == desk.committee_id
    assert entry.at == clock.now()
    assert entry.changes["intake_no"] == "DL2026-00001"
    assert entry.changes["parties"] == ["周丽", "吴刚", "宁波安居物业服务有限公司"]
    assert entry.note is None


# --- refusals ------------------------------------------------------------------------------------------------

KNOWN_COMMUNITIES = "安居、东海花园、东柳坊、华光城、华侨城、锦苑、太古城、幸福苑、园丁、月季、中兴"

REFUSALS = {
    "bad ID checksum": (with_party(0, id_number=ZHOU_ID[:-1] + ("9" if ZHOU_ID[-1] != "9" else "8")), "parties[0].id_number", "校验位错误"),
    "bad phone": (with_party(1, phone="12345"), "parties[1].phone", "不是有效的手机号或固定电话"),
    "bad agent phone": (with_party(0, agent={"name": "周强", "phone": "0000"}), "parties[0].agent.phone", "不是有效的手机号或固定电话"),
    "sex contradicts the ID": (with_party(0, sex="male"), "parties[0].id_number", "与性别不符：身份证号对应女性"),
    "unknown community": (base_case(community="西湖", grid=None), "community", f"不是本调委会的社区，已知社区：{KNOWN_COMMUNITIES}"),
    "grid named wrongly": (base_case(grid="安居9号网格"), "grid", "网格名称应为“安居第N网格”"),
    "grid of another community": (base_case(grid="东海花园第1网格"), "grid", "网格名称应为“安居第N网格”"),
    "referral on a non-police case": (base_case(police_referral=REFERRAL), "police_referral",
                                      "只有来源为公安机关移交（police_referral）的案件才有警情移交记录"),
    "unknown station": (base_case(source="police_referral", police_referral=dict(REFERRAL, station="西柳派出所")),
                        "police_referral.station", "不是本调委会字典中的派出所，已知：东柳派出所"),
    "missing respondent": (base_case(parties=base_case()["parties"][:1]), "parties", "至少需要一名申请人和一名被申请人"),
    "organisation with a sex": (with_party(2, sex="male"), "parties[2].sex", "单位当事人不填此项（自然人才有）"),
    "person with a credit code": (with_party(1, credit_code=WUYE_CODE), "parties[1].credit_code", "自然人不填此项（单位当事人才有）"),
    "bad credit code": (with_party(2, credit_code="91330212MA2AB1C3X0"), "parties[2].credit_code", "校验位错误"),
    "settled without agreement": (base_case(status="settled"), "agreement", "调解成功的案件须附协议（书面协议草稿或口头协议）"),
    "amount with 3 decimals": (base_case(amount_yuan="3000.505"), "amount_yuan", "金额最多两位小数"),
    "negative amount": (base_case(amount_yuan="-1"), "amount_yuan", "金额不能为负数"),
    "amount not a number": (base_case(amount_yuan="三千"), "amount_yuan", "金额格式不对，应为数字，如 12000.00"),
    "amount NaN": (base_case(amount_yuan="NaN"), "amount_yuan", "金额格式不对，应为数字，如 12000.00"),
    "amount infinite": (base_case(amount_yuan="Infinity"), "amount_yuan", "金额格式不对，应为数字，如 12000.00"),
    "received in the future": (base_case(received_at="2026-11-28T10:00:00+08:00"), "received_at", "受理时间晚于现在"),
    "call after the referral": (base_case(source="police_referral", police_referral=dict(REFERRAL, call_time="2026-11-20T09:30:00+08:00")),
                                "police_referral.call_time", "晚于移交时间"),
    "two leads": (base_case(mediators=[{"name": "潘明杰", "role": "lead"}, {"name": "潘小", "role": "lead"}]),
                  "mediators[1].role", "一个案件只能有一名主持人（lead）"),
    "unknown key": (base_case(remark="备注"), "remark", "未知字段"),
    "naive time": (base_case(received_at="2026-11-20T10:00:00"), "received_at", "时间须带时区，如 2026-10-08T09:30:00+08:00"),
    "empty summary": (base_case(summary="  "), "summary", "不能为空"),
}


@pytest.mark.parametrize("data, path, message", REFUSALS.values(), ids=REFUSALS.keys())
def test_a_refusal_names_the_field_and_the_problem_and_saves_nothing(desk, data, path, message):
    before = counts(desk)
    refused = refusal(desk, data)
    assert [(error.field, error.message) for error in refused.errors] == [(path, message)]
    assert str(refused) == f"{path}: {message}"
    assert counts(desk) == before


def test_unknown_dispute_type_lists_the_codes(desk):
    refused = refusal(desk, base_case(dispute_type="noise"))
    (error,) = refused.errors
    assert error.field == "dispute_type"
    assert error.message.startswith("未知的纠纷类型代码，可选：")
    assert "neighbour" in error.message and "property_management" in error.message


def test_every_problem_of_a_case_is_reported_at_once(desk):
    data = base_case(amount_yuan="1.234", community="西湖", grid=None)
    data["parties"][0]["phone"] = "12345"
    data["parties"][1]["id_number"] = WU_ID[:-1] + ("0" if WU_ID[-1] != "0" else "1")
    refused = refusal(desk, data)
    assert sorted(error.field for error in refused.errors) == ["amount_yuan", "community", "parties[0].phone", "parties[1].id_number"]


def test_a_refused_case_adds_no_grid_no_mediator_and_uses_no_number(desk):
    before = counts(desk)
    data = base_case(grid="安居第9网格", mediators=[{"name": "新调解员"}])
    data["parties"][1]["phone"] = "12345"
    refused = refusal(desk, data)
    assert [error.field for error in refused.errors] == ["parties[1].phone"]
    assert counts(desk) == before
    assert register(desk, base_case()).intake_no == "DL2026-00001"


# --- dictionaries and the mediator registry ----------------------------------------------------------------


def test_an_unknown_grid_under_a_known_community_is_added_with_a_warning(desk):
    first = register(desk, base_case(grid="安居第9网格"))
    assert first.warnings == ("grid: 新网格“安居第9网格”已加入安居社区",)
    with desk.reading() as session:
        grids = [(entry.name, entry.parent) for entry in list_entries(session, actor=desk.actor, kind="grid")]
    assert ("安居第9网格", "安居") in grids
    second = register(desk, base_case(grid="安居第9网格"))
    assert second.warnings == ()
    assert counts(desk)["Grid"] == len(grids)


def test_unknown_mediators_are_added_as_imported_with_a_warning(desk):
    with desk.session() as session:
        add_mediator(session, actor=desk.actor, name="潘明杰", rank=MediatorRank.SENIOR)
    registered = register(desk, base_case(status="accepted", mediators=[{"name": "潘明杰", "role": "lead"}, {"name": "潘小", "role": "assistant"}]))
    assert registered.warnings == ("mediators[1]: 调解员“潘小”不在名册中，已作为导入调解员加入（级别待管理员设定）",)
    with desk.session() as session:
        registry = {m.name: m for m in list_mediators(session, actor=desk.actor)}
        detail = case_detail(session, actor=desk.actor, case_id=registered.id)
        (row,) = list_cases(session, actor=desk.actor)
    assert sorted(registry) == ["潘小", "潘明杰"], "a known name is matched, not added twice"
    assert registry["潘小"].imported is True and registry["潘小"].rank == "unknown"
    assert registry["潘明杰"].imported is False and registry["潘明杰"].rank == "senior"
    assert registry["潘明杰"].open_cases == 1
    assert [(m.name, m.role) for m in detail.mediators] == [("潘明杰", "lead"), ("潘小", "assistant")]
    assert row.lead_name == "潘明杰"


# --- who may register -----------------------------------------------------------------------------------------


@pytest.fixture
def liaison(desk):
    return police_liaison(desk)


def test_a_police_liaison_may_only_register_police_referrals(desk, liaison):
    with pytest.raises(Refused) as info:
        with desk.session() as session:
            register_case(session, actor=liaison, data=base_case())
    assert [(e.field, e.message) for e in info.value.errors] == [("source", "警调联络员只能登记公安机关移交的案件")]
    with desk.session() as session:
        registered = register_case(session, actor=liaison, data=base_case(source="police_referral", police_referral=REFERRAL))
        detail = case_detail(session, actor=liaison, case_id=registered.id)
    assert registered.intake_no == "DL2026-00001"
    assert detail.referral.received_by == "李联络"


def test_a_police_case_without_referral_details_is_registered_with_a_reminder(desk):
    registered = register(desk, base_case(source="police_referral"))
    assert registered.warnings == ("police_referral: 公安机关移交的案件尚未填写警情移交记录",)


def test_a_new_committee_has_no_communities_to_register_under(desk, clock):
    from laopan.services.committee import init_committee

    with desk.session() as session:
        other = init_committee(session, name="西柳街道人民调解委员会", admin_login="xiliu", clock=clock)
        xiliu = actor_for(session, committee_id=other.id, login="xiliu", clock=clock)
    with pytest.raises(Refused) as info:
        with desk.session() as session:
            register_case(session, actor=xiliu, data=base_case(grid=None))
    assert [(e.field, e.message) for e in info.value.errors] == [("community", "不是本调委会的社区，已知社区：（字典为空，请先添加社区）")]


def test_input_dict_is_not_modified(desk):
    data = base_case()
    snapshot = copy.deepcopy(data)
    register(desk, data)
    assert data == snapshot
