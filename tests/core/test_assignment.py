"""Mediators on a case (人民调解法 Art. 19), the recusal check (回避), suggestions, pairings (老潘+小潘), the
mentoring record and registry updates."""

import datetime as dt

import pytest
from sqlalchemy import select

from laopan.errors import Conflict, DomainError, NotFound, PermissionDenied
from laopan.models import AuditEntry, CaseMediator, Mediator, RecusalDecision
from laopan.models.enums import CaseMediatorRole, MediatorRank, MediatorUnit, Role
from laopan.services import assignment, pairings
from laopan.services.assignment import RecusalChoice, RecusalRequired, building_key
from laopan.services.intake import register_case
from laopan.views.assignment import ScorePart
from tests.helpers.scenarios import LI_ADDRESS, ZHANG_ID, act, case_data, case_row, mediator, move, register, user, version

LEAD, ASSISTANT, RECORDER = CaseMediatorRole.LEAD, CaseMediatorRole.ASSISTANT, CaseMediatorRole.RECORDER
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id(first17: str) -> str:
    """GB 11643 check character, computed independently of laopan."""
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, _WEIGHTS)) % 11]


PAN_ID = make_id("33021219700101001")


def assign(desk, case_id, mediator_id, role=LEAD, **kwargs):
    return act(desk, assignment.assign_mediator, case_id, mediator_id=mediator_id, role=role, **kwargs)


def update(desk, mediator_id, *, actor=None, **values):
    with desk.session() as session:
        current = session.get(Mediator, mediator_id).version
        return pairings.update_mediator(session, actor=actor or desk.actor, mediator_id=mediator_id, expected_version=current, **values)


def matches(desk, case_id, mediator_id) -> list[tuple[str, str]]:
    with desk.reading() as session:
        return [(m.kind, m.message) for m in assignment.recusal_matches(session, actor=desk.actor, case_id=case_id, mediator_id=mediator_id)]


# ---------------------------------------------------------------- assigning


def test_one_lead_plus_assistants_and_recorders_and_lead_name_follows(desk):
    case_id = register(desk)
    a, b, c = mediator(desk, "潘明杰"), mediator(desk, "潘晓", rank=MediatorRank.JUNIOR), mediator(desk, "王芳")
    result = assign(desk, case_id, a)
    assert (result.assigned, result.case.lead_name, result.case.version) == (True, "潘明杰", 2)
    assign(desk, case_id, b, ASSISTANT)
    assign(desk, case_id, c, RECORDER)
    with pytest.raises(DomainError) as refused:
        assign(desk, case_id, c, LEAD)
    assert str(refused.value) == "王芳已是本案的记录人"
    d = mediator(desk, "赵强")
    with pytest.raises(DomainError, match="^本案已有主持人潘明杰，一个案件只能有一名主持人，请先撤下$"):
        assign(desk, case_id, d, LEAD)
    change = act(desk, assignment.unassign_mediator, case_id, mediator_id=a)
    assert change.lead_name is None and case_row(desk, case_id).lead_name is None
    assert change.changes["mediators"] == [["潘明杰（主持人）", "潘晓（辅调）", "王芳（记录人）"], ["潘晓（辅调）", "王芳（记录人）"]]
    assert assign(desk, case_id, d).case.lead_name == "赵强"
    with pytest.raises(DomainError, match="潘明杰不是本案的调解员"):
        act(desk, assignment.unassign_mediator, case_id, mediator_id=a)


def test_inactive_and_unranked_mediators_are_not_assigned(desk):
    case_id = register(desk)
    gone = mediator(desk, "潘退休")
    update(desk, gone, active=False)
    unknown = mediator(desk, "潘导入", rank=MediatorRank.UNKNOWN)
    with pytest.raises(DomainError, match="调解员潘退休已停用"):
        assign(desk, case_id, gone)
    with pytest.raises(DomainError, match="调解员潘导入的级别未定，须先由管理员设定"):
        assign(desk, case_id, unknown)
    update(desk, unknown, rank="senior")
    assert assign(desk, case_id, unknown).assigned


# ---------------------------------------------------------------- recusal


def test_a_mediator_in_the_same_building_is_shown_and_the_decision_recorded(desk, clock):
    case_id = register(desk)
    neighbour = mediator(desk, "潘邻居", address="宁波市鄞州区东柳街道华光城12栋1单元102室")
    assert matches(desk, case_id, neighbour) == [
        ("same_building", "与申请人张伟住同一栋楼（华光城12幢）"),
        ("same_building", "与被申请人李秀英住同一栋楼（华光城12幢）"),
    ]
    with pytest.raises(RecusalRequired) as required:
        assign(desk, case_id, neighbour)
    assert str(required.value) == (
        "调解员潘邻居可能需要回避：\n  - 与申请人张伟住同一栋楼（华光城12幢）\n  - 与被申请人李秀英住同一栋楼（华光城12幢）\n"
        "请决定保留（说明理由）或更换")
    with pytest.raises(DomainError, match="保留存在回避情形的调解员须说明理由"):
        assign(desk, case_id, neighbour, recusal=RecusalChoice("kept"))
    assert case_row(desk, case_id).lead_name is None, "nothing is saved without a decision"
    result = assign(desk, case_id, neighbour, recusal=RecusalChoice("kept", "双方均同意由其调解"))
    assert result.assigned and result.case.lead_name == "潘邻居"
    with desk.reading() as session:
        decision = session.execute(select(RecusalDecision)).scalar_one()
        assert (decision.case_id, decision.mediator_id, decision.decision, decision.reason, decision.by_login, decision.at) == (
            case_id, neighbour, "kept", "双方均同意由其调解", "admin", clock.instant)
        assert [m["kind"] for m in decision.matches] == ["same_building", "same_building"]
        entry = session.execute(select(AuditEntry).where(AuditEntry.action == "recusal.decide")).scalar_one()
        assert (entry.entity, entry.entity_id, entry.changes["decision"], entry.note) == (
            "recusal_decision", decision.id, "kept", "双方均同意由其调解")


def test_replacing_a_matched_mediator_records_the_decision_and_assigns_nobody(desk):
    case_id = register(desk)
    neighbour = mediator(desk, "潘邻居", address="华光城12幢")
    result = assign(desk, case_id, neighbour, recusal=RecusalChoice("replaced", "改派他人"))
    assert not result.assigned and result.case.lead_name is None
    assert [m.kind for m in result.matches] == ["same_building", "same_building"]
    with desk.reading() as session:
        assert session.execute(select(RecusalDecision.decision)).scalar_one() == "replaced"
        assert session.execute(select(CaseMediator)).first() is None
    assert version(desk, case_id) == 1


@pytest.mark.parametrize(("details", "expected"), [
    (dict(name="张伟", id_number=ZHANG_ID), [("same_person", "与申请人张伟是同一人（姓名和身份证号相同）")]),
    (dict(id_number=ZHANG_ID), [("same_id", "与申请人张伟身份证号相同")]),
    (dict(address="华光城12号楼2单元401室"), [("same_building", "与申请人张伟住同一栋楼（华光城12幢）"),
                                          ("same_address", "与被申请人李秀英住址相同")]),
    (dict(phone="137-1234-5678"), [("same_phone", "与被申请人李秀英电话相同")]),
    (dict(phone="13900001111"), [("same_phone", "与申请人张伟的代理人张强电话相同")]),
    (dict(relatives=["李秀英"]), [("relative", "申报的亲属李秀英是本案被申请人")]),
    (dict(relatives=["张强"]), [("relative", "申报的亲属张强是本案申请人张伟的代理人")]),
    (dict(work_unit="华光物业服务有限公司"), [("work_unit", "在本案第三人宁波华光物业服务有限公司工作（工作单位：华光物业服务有限公司）")]),
    (dict(work_unit="物业"), []),
    (dict(address="华光城13幢1单元101室", phone="13600000000", relatives=["王五"]), []),
])
def test_each_kind_of_recusal_match(desk, details, expected):
    data = case_data()
    data["parties"].append({"role": "third_party", "kind": "organization", "name": "宁波华光物业服务有限公司"})
    with desk.session() as session:
        case_id = register_case(session, actor=desk.actor, data=data).id
    relatives = details.pop("relatives", None)
    name = details.pop("name", "潘某")
    mediator_id = mediator(desk, name, **details)
    if relatives:
        update(desk, mediator_id, declared_relatives=relatives)
    assert matches(desk, case_id, mediator_id) == expected


def test_a_mediator_who_was_a_party_in_an_earlier_case_is_matched(desk):
    earlier = case_data(received_at="2025-03-01T10:00:00+08:00")
    earlier["parties"][1] = {"role": "respondent", "name": "潘某", "id_number": PAN_ID, "phone": "13655556666"}
    with desk.session() as session:
        register_case(session, actor=desk.actor, data=earlier)
    case_id = register(desk)
    by_id = mediator(desk, "潘某", id_number=PAN_ID)
    by_phone = mediator(desk, "潘某", phone="13655556666")
    unrelated = mediator(desk, "潘某")
    assert matches(desk, case_id, by_id) == [("former_party", "本人曾是案件DL2025-00001的被申请人")]
    assert matches(desk, case_id, by_phone) == [("former_party", "本人曾是案件DL2025-00001的被申请人")]
    assert matches(desk, case_id, unrelated) == []


@pytest.mark.parametrize(("address", "key"), [
    ("宁波市鄞州区东柳街道华光城12幢2单元301室", "华光城12幢"),
    ("浙江省宁波市鄞州区东柳街道华光城12栋301", "华光城12幢"),
    ("华光城１２号楼", "华光城12幢"),
    ("东柳街道华光城社区华光城12幢", "华光城12幢"),
    ("宁波市鄞州区东柳街道安居小区3幢201室", "安居小区3幢"),
    ("宁波市鄞州区东柳街道华光城物业中心", None),
    ("12幢301室", None),
    (None, None),
])
def test_building_keys(address, key):
    assert building_key(address) == key


# ---------------------------------------------------------------- suggestions


def suggest(desk, case_id, **kwargs):
    with desk.reading() as session:
        return assignment.suggest_mediators(session, actor=desk.actor, case_id=case_id, **kwargs)


def test_suggestions_rank_by_unit_specialty_and_workload_and_explain_themselves(desk):
    same_grid = mediator(desk, "潘同网格", unit=MediatorUnit.GRID, community="华光城", grid="华光城第3网格", specialties=("neighbour",))
    mediator(desk, "潘邻网格", unit=MediatorUnit.GRID, community="华光城", grid="华光城第1网格")
    busy = mediator(desk, "潘社区", unit=MediatorUnit.COMMUNITY, community="华光城", specialties=("neighbour",))
    mediator(desk, "潘外社区", unit=MediatorUnit.COMMUNITY, community="安居")
    update(desk, mediator(desk, "潘停用", unit=MediatorUnit.GRID, community="华光城", grid="华光城第3网格"), active=False)
    mediator(desk, "潘导入", rank=MediatorRank.UNKNOWN, unit=MediatorUnit.GRID, community="华光城", grid="华光城第3网格")
    mediator(desk, "潘律师", unit=MediatorUnit.LAWYER)
    for _ in range(3):
        assign(desk, register(desk), busy, ASSISTANT)
    case_id = register(desk)
    suggestions = suggest(desk, case_id)
    assert [(s.name, s.score, s.explanation) for s in suggestions] == [
        ("潘同网格", 65, "同网格 · 擅长邻里 · 在办0件"),
        ("潘社区", 31, "同社区 · 擅长邻里 · 在办3件"),
        ("潘邻网格", 25, "同社区网格 · 在办0件"),
        ("潘外社区", 0, "在办0件"),
    ]
    assert suggestions[0].mediator_id == same_grid and suggestions[0].kind == "mediator"
    assert suggestions[1].parts[-1] == ScorePart("在办3件", -9)
    assert not {"潘停用", "潘导入", "潘律师"} & {s.name for s in suggest(desk, case_id, limit=50)}
    assign(desk, case_id, same_grid)
    assert "潘同网格" not in [s.name for s in suggest(desk, case_id)], "mediators already on the case are not offered"


def test_street_cases_bring_in_professional_volunteers_of_the_matching_field(desk):
    mediator(desk, "潘律师", unit=MediatorUnit.LAWYER)
    mediator(desk, "潘医生", unit=MediatorUnit.DOCTOR)
    mediator(desk, "潘街道")
    contract = register(desk, level="street", dispute_type="contract")
    assert [(s.name, s.explanation) for s in suggest(desk, contract)] == [
        ("潘律师", "律师·专业对口 · 在办0件"), ("潘街道", "街道调解中心 · 在办0件")]
    medical = register(desk, level="street", dispute_type="medical")
    assert [s.name for s in suggest(desk, medical)] == ["潘医生", "潘街道"]


def test_police_referrals_favour_the_police_office(desk):
    mediator(desk, "潘街道")
    mediator(desk, "潘警调", unit=MediatorUnit.POLICE_OFFICE)
    joint = register(desk, level="street", source="police_referral")
    assert [(s.name, s.score, s.explanation) for s in suggest(desk, joint)] == [
        ("潘警调", 50, "警调中心 · 警情移交 · 在办0件"), ("潘街道", 35, "街道调解中心 · 在办0件")]


def test_active_pairings_are_suggested_and_recusal_flags_are_shown(desk):
    senior = mediator(desk, "潘老", unit=MediatorUnit.COMMUNITY, community="华光城")
    junior = mediator(desk, "潘小", rank=MediatorRank.JUNIOR, unit=MediatorUnit.GRID, community="华光城", grid="华光城第3网格",
                      address="华光城12幢5单元501室")
    with desk.session() as session:
        pairing = pairings.create_pairing(session, actor=desk.actor, senior_id=senior, junior_id=junior, started_on=dt.date(2026, 11, 1))
    case_id = register(desk)
    by_name = {s.name: s for s in suggest(desk, case_id, limit=10)}
    pair = by_name["潘老+潘小"]
    assert (pair.kind, pair.pairing_id, pair.mediator_id) == ("pairing", pairing.id, junior)
    assert pair.explanation == "老潘+小潘结对 · 同网格 · 在办0件 · 需回避审查"
    assert pair.recusal == ("与申请人张伟住同一栋楼（华光城12幢）", "与被申请人李秀英住同一栋楼（华光城12幢）")
    assert by_name["潘小"].score == 40 - 50


# ---------------------------------------------------------------- pairings and mentoring


def pair(desk, senior, junior, started_on=dt.date(2026, 11, 1), actor=None):
    with desk.session() as session:
        return pairings.create_pairing(session, actor=actor or desk.actor, senior_id=senior, junior_id=junior, started_on=started_on)


def test_pairing_rules(desk):
    old, young = mediator(desk, "潘老"), mediator(desk, "潘小", rank=MediatorRank.JUNIOR)
    other = mediator(desk, "王老")
    with pytest.raises(DomainError, match=r"^老潘: 潘小的级别是小潘（辅调），须为老潘（主调）$"):
        pair(desk, young, old)
    with pytest.raises(DomainError, match=r"^小潘: 王老的级别是老潘（主调），须为小潘（辅调）$"):
        pair(desk, old, other)
    first = pair(desk, old, young)
    assert (first.senior_name, first.junior_name, first.active, first.ended_on) == ("潘老", "潘小", True, None)
    with pytest.raises(DomainError, match="潘小已与潘老结对"):
        pair(desk, other, young, dt.date(2027, 1, 1))
    with desk.session() as session, pytest.raises(DomainError, match="结束日期: 不能早于开始日期 2026-11-01"):
        pairings.end_pairing(session, actor=desk.actor, pairing_id=first.id, expected_version=first.version, ended_on=dt.date(2026, 10, 1))
    with desk.session() as session:
        ended = pairings.end_pairing(session, actor=desk.actor, pairing_id=first.id, expected_version=first.version, ended_on=dt.date(2026, 11, 20))
    assert (ended.ended_on, ended.active, ended.version) == (dt.date(2026, 11, 20), False, 2)
    with pytest.raises(DomainError, match="潘小已与潘老结对"):
        pair(desk, other, young, dt.date(2026, 11, 15))
    second = pair(desk, other, young, dt.date(2026, 11, 21))
    with desk.reading() as session:
        assert [p.id for p in pairings.list_pairings(session, actor=desk.actor, active_only=True)] == [second.id]
    mediator(desk, "潘明杰")
    pan = user(desk, "pan", Role.MEDIATOR, "潘明杰", "潘明杰")
    with pytest.raises(PermissionDenied):
        pair(desk, old, mediator(desk, "潘新", rank=MediatorRank.JUNIOR), actor=pan)
    update(desk, other, active=False)
    with pytest.raises(DomainError, match="调解员王老已停用"):
        pair(desk, other, mediator(desk, "潘新新", rank=MediatorRank.JUNIOR))


def test_assigning_through_a_pairing_and_the_mentoring_record(desk):
    old, young = mediator(desk, "潘老"), mediator(desk, "潘小", rank=MediatorRank.JUNIOR)
    ming = mediator(desk, "潘明杰")
    stranger = mediator(desk, "王芳")
    pairing = pair(desk, old, young)
    paired_case, led_case, alone_case = register(desk), register(desk), register(desk)
    with pytest.raises(DomainError, match=f"王芳不在结对 #{pairing.id} 中"):
        assign(desk, paired_case, stranger, pairing_id=pairing.id)
    assign(desk, paired_case, young, pairing_id=pairing.id)
    assign(desk, paired_case, old, ASSISTANT, pairing_id=pairing.id)
    assign(desk, led_case, ming)
    assign(desk, led_case, young, RECORDER)
    assign(desk, alone_case, young, ASSISTANT)
    move(desk, paired_case, "accept")
    senior_user = user(desk, "laopan", Role.MEDIATOR, "潘老", "潘老")
    ming_user = user(desk, "ming", Role.MEDIATOR, "潘明杰", "潘明杰")
    with desk.session() as session:
        pairings.add_review_note(session, actor=senior_user, junior_id=young, case_id=paired_case, note="开场白清楚，情绪疏导不足")
        pairings.add_review_note(session, actor=ming_user, junior_id=young, case_id=led_case, note="记录完整")
    with desk.session() as session, pytest.raises(PermissionDenied, match="只有带教该案的老潘（主调）或主任可以写点评|调解员只能查看本人"):
        pairings.add_review_note(session, actor=ming_user, junior_id=young, case_id=paired_case, note="越权")
    with desk.session() as session, pytest.raises(DomainError, match="潘明杰没有参与该案件"):
        pairings.add_review_note(session, actor=desk.actor, junior_id=ming, case_id=alone_case, note="无关")
    with desk.reading() as session:
        record = pairings.mentoring_record(session, actor=desk.actor, junior_id=young)
    assert [(e.case_id, e.role, e.senior_name, e.via, e.status, [n.note for n in e.notes]) for e in record] == [
        (paired_case, "lead", "潘老", "pairing", "accepted", ["开场白清楚，情绪疏导不足"]),
        (led_case, "recorder", "潘明杰", "lead", "registered", ["记录完整"]),
        (alone_case, "assistant", None, None, "registered", []),
    ]
    assert record[0].pairing_id == pairing.id


def test_assigning_through_an_ended_pairing_is_refused(desk):
    old, young = mediator(desk, "潘老"), mediator(desk, "潘小", rank=MediatorRank.JUNIOR)
    pairing = pair(desk, old, young, dt.date(2026, 1, 1))
    with desk.session() as session:
        pairings.end_pairing(session, actor=desk.actor, pairing_id=pairing.id, expected_version=1, ended_on=dt.date(2026, 6, 30))
    with pytest.raises(DomainError, match=f"结对 #{pairing.id} 不在有效期内"):
        assign(desk, register(desk), young, pairing_id=pairing.id)


# ---------------------------------------------------------------- registry updates


def test_mediator_updates_are_field_level_audited_and_version_checked(desk):
    pan = mediator(desk, "潘导入", rank=MediatorRank.UNKNOWN)
    change = update(desk, pan, rank="senior", unit="community", community="华光城", grid="华光城第2网格",
                    specialties=["neighbour", "property_management"], declared_relatives=["潘大", " "], work_unit="东柳街道办")
    assert change.version == 2
    assert change.changes["rank"] == ["unknown", "senior"]
    assert change.changes["specialties"] == [[], ["neighbour", "property_management"]]
    assert change.changes["declared_relatives"] == [[], ["潘大"]]
    with desk.reading() as session:
        entry = session.execute(select(AuditEntry).where(AuditEntry.action == "mediator.update")).scalar_one()
        assert entry.changes["unit"] == ["street", "community"]
    with desk.session() as session, pytest.raises(Conflict, match=r"^已被 管理员 于 2026-11-27 09:00 修改，请刷新$"):
        pairings.update_mediator(session, actor=desk.actor, mediator_id=pan, expected_version=1, active=False)
    with pytest.raises(DomainError, match="社区: 网格、社区调解员须指定所属社区"):
        update(desk, pan, community=None)
    with pytest.raises(NotFound, match="专长: 未知的纠纷类型代码“gossip”"):
        update(desk, pan, specialties=["gossip"])
    assert update(desk, pan, specialties=["property_management", "neighbour"]).changes == {}
    mediator(desk, "潘明杰")
    with pytest.raises(PermissionDenied):
        update(desk, pan, actor=user(desk, "pan", Role.MEDIATOR, "潘明杰", "潘明杰"), active=False)
    with desk.reading() as session:
        assert pairings.find_mediator(session, actor=desk.actor, name="潘导入").id == pan
        with pytest.raises(NotFound, match="调解员名册中没有“无名”"):
            pairings.find_mediator(session, actor=desk.actor, name="无名")


def test_same_address_ignores_the_city_prefix(desk):
    case_id = register(desk)
    twin = mediator(desk, "潘楼上", address=LI_ADDRESS.replace("宁波市鄞州区东柳街道", ""))
    assert ("same_address", "与被申请人李秀英住址相同") in matches(desk, case_id, twin)


def test_suggestions_can_be_scored_for_the_receiving_level_of_an_escalation(desk):
    """Escalating to the street: street mediators lead the ranking even while the case is still at the grid."""
    from laopan.models.enums import MediatorRank, MediatorUnit
    from laopan.services.assignment import suggest_mediators
    from laopan.services.intake import register_case
    from laopan.services.mediators import add_mediator

    with desk.session() as session:
        case_id = register_case(session, actor=desk.actor, data={
            "source": "party_application", "dispute_type": "neighbour", "level": "grid", "community": "华光城",
            "grid": "华光城第3网格", "summary": "噪音。",
            "parties": [{"role": "applicant", "name": "甲"}, {"role": "respondent", "name": "乙"}]}).id
        add_mediator(session, actor=desk.actor, name="网格员", rank=MediatorRank.SENIOR, unit=MediatorUnit.GRID,
                     community="华光城", grid="华光城第3网格")
        add_mediator(session, actor=desk.actor, name="街道员", rank=MediatorRank.SENIOR, unit=MediatorUnit.STREET)
        here = suggest_mediators(session, actor=desk.actor, case_id=case_id)
        there = suggest_mediators(session, actor=desk.actor, case_id=case_id, level="street")
    assert here[0].name == "网格员" and there[0].name == "街道员"
    assert there[0].explanation.startswith("街道调解中心")
