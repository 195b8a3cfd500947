"""Scenario builders: a registered case, a case brought into a state, mediators, users, an agreement draft.

Each builder takes the desk first and everything else by keyword (names and logins excepted), opens its own
transaction and returns ids or plain values, so a test reads as the story it sets up."""

import dataclasses
import datetime as dt

from laopan.models import Agreement, Case
from laopan.models.enums import MediatorRank, MediatorUnit, Role
from laopan.services import agreements, lifecycle
from laopan.services.actor import Actor
from laopan.inputs import AgreementDraft, ClauseSpec
from laopan.services.assignment import RecusalChoice, assign_mediator
from laopan.services.intake import register_case
from laopan.services.mediators import add_mediator
from laopan.services.pairings import create_pairing
from laopan.services.users import actor_for, add_user
from tests.helpers.accounts import TEST_PASSWORD

ZHANG_ID = "330212197803010013"
LI_ID = "330204198506120026"
ZHANG_ADDRESS = "宁波市鄞州区东柳街道华光城12幢2单元301室"
LI_ADDRESS = "宁波市鄞州区东柳街道华光城12幢2单元401室"

# --- cases -------------------------------------------------------------------------------------------------------


def case_data(**changes) -> dict:
    """A grid-level neighbour case in 华光城第3网格: 张伟 (with an agent) against 李秀英, one floor apart."""
    data = {
        "received_at": "2026-11-20T10:00:00+08:00", "source": "party_application", "dispute_type": "neighbour",
        "level": "grid", "community": "华光城", "grid": "华光城第3网格", "summary": "楼上漏水致楼下吊顶受损。",
        "parties": [
            {"role": "applicant", "name": "张伟", "id_number": ZHANG_ID, "phone": "13812345678", "address": ZHANG_ADDRESS,
             "agent": {"name": "张强", "relation": "兄弟", "phone": "13900001111"}},
            {"role": "respondent", "name": "李秀英", "id_number": LI_ID, "phone": "13712345678", "address": LI_ADDRESS},
        ],
    }
    if changes.get("source") == "police_referral":
        data["police_referral"] = {"incident_no": "JQ202611200001", "station": "东柳派出所", "referred_at": "2026-11-20T09:00:00+08:00"}
    data.update(changes)
    return data


def plain_case(**changes) -> dict:
    """The least a registration needs: a noise complaint in 安居 between 周丽 and 吴刚, no ids, no phones."""
    case = {
        "received_at": "2026-11-20T10:00:00+08:00", "source": "party_application", "dispute_type": "neighbour",
        "level": "grid", "community": "安居", "summary": "邻居装修噪音扰民。",
        "parties": [{"role": "applicant", "name": "周丽"}, {"role": "respondent", "name": "吴刚"}],
    }
    case.update(changes)
    return case


def register(desk, /, **changes) -> int:
    """Register `case_data(**changes)`; returns the case id."""
    with desk.session() as session:
        return register_case(session, actor=desk.actor, data=case_data(**changes)).id


def version(desk, case_id) -> int:
    with desk.reading() as session:
        return session.get(Case, case_id).version


def case_row(desk, case_id) -> Case:
    """The case's row as it is now, detached (its loaded values stay readable)."""
    with desk.reading() as session:
        row = session.get(Case, case_id)
        session.expunge(row)
        return row


def add_agreement(desk, case_id, *, kind="oral") -> None:
    """A bare agreement row; an oral one as the parties' confirmation leaves it (recorded, so the case may settle)."""
    recorded = desk.actor.clock.now() if kind == "oral" else None
    with desk.session() as session:
        session.add(Agreement(committee_id=desk.committee_id, case_id=case_id, kind=kind, finalised_at=recorded))


def act(desk, service, case_id, *, actor=None, **kwargs):
    """Run a case service in its own transaction with the case's current version."""
    with desk.session() as session:
        return service(session, actor=actor or desk.actor, case_id=case_id, expected_version=version(desk, case_id), **kwargs)


def move(desk, case_id, action, *, actor=None, **kwargs):
    if action == "close":  # these cases are closed by an admin past the 卷宗 check, which test_dossier tests
        kwargs = {"force": True, "reason": "卷宗材料另行补齐", **kwargs}
    return act(desk, lifecycle.move_case, case_id, actor=actor, action=action, **kwargs)


# How to bring a fresh case into each state through legal moves.
PATHS = {
    "registered": [],
    "accepted": [("accept", {})],
    "mediating": [("accept", {}), ("mediate", {})],
    "settled": [("accept", {}), ("mediate", {}), ("settle", {})],
    "terminated": [("accept", {}), ("terminate", {"reason": "party_refused"})],
    "rejected": [("reject", {"reason": "不属于民间纠纷"})],
    "closed": [("accept", {}), ("terminate", {"reason": "party_refused"}), ("close", {})],
}


def case_in(desk, state, /, **changes) -> int:
    """A case registered with `changes` and moved through legal moves into `state` (with an oral agreement)."""
    case_id = register(desk, **changes)
    add_agreement(desk, case_id)
    for action, kwargs in PATHS[state]:
        move(desk, case_id, action, **kwargs)
    assert case_row(desk, case_id).status == state
    return case_id


# --- people ------------------------------------------------------------------------------------------------------


def mediator(desk, name, *, rank=MediatorRank.SENIOR, unit=MediatorUnit.STREET, community=None, grid=None, **details) -> int:
    with desk.session() as session:
        return add_mediator(session, actor=desk.actor, name=name, rank=rank, unit=unit, community=community, grid=grid, **details).id


def user(desk, login, role: Role, name, mediator_name=None) -> Actor:
    """A user with TEST_PASSWORD who can also open the desk from the CLI (its copy of an encrypted desk's key)."""
    from laopan.security import protection

    with desk.session() as session:
        add_user(session, actor=desk.actor, login=login, display_name=name, role=role, mediator_name=mediator_name, password=TEST_PASSWORD)
        actor = actor_for(session, committee_id=desk.committee_id, login=login, clock=desk.actor.clock)
    protection.enroll_user(desk, login=login, password=TEST_PASSWORD)
    return actor


def police_liaison(desk) -> Actor:
    """李联络, a police liaison user of the desk's committee."""
    return user(desk, "li", Role.POLICE_LIAISON, "李联络")


# --- agreements --------------------------------------------------------------------------------------------------

PARTIES = [
    {"role": "applicant", "name": "张伟", "id_number": ZHANG_ID, "phone": "13812345678", "address": ZHANG_ADDRESS},
    {"role": "respondent", "name": "李秀英", "id_number": LI_ID, "address": LI_ADDRESS},
]
DRAFT = AgreementDraft(
    facts="2026年9月起楼上卫生间漏水，致楼下吊顶受损。",
    matters="维修责任与赔偿数额。",
    responsibilities="被申请人未及时修复防水层，负主要责任。",
    clauses=(
        ClauseSpec(kind="payment", payer="被申请人李秀英", payee="申请人张伟", amount="8000.00",
                   deadline=dt.date(2026, 12, 10), method="银行转账"),
        ClauseSpec(kind="text", text="被申请人于2026年12月5日前修复卫生间防水层。"),
    ),
    performance_method="银行转账", performance_place="东柳街道人民调解委员会", performance_deadline=dt.date(2026, 12, 10),
    signed_on=dt.date(2026, 11, 27),
)
# The draft as the window first saves it: the payment clause only, not yet signed.
PAYMENT_DRAFT = dataclasses.replace(DRAFT, clauses=DRAFT.clauses[:1], signed_on=None)


def mediating_case(desk, /, parties=PARTIES, *, status: str = "mediating") -> int:
    """A neighbour case imported straight into `status` (mediating unless told), with these parties."""
    with desk.session() as session:
        return register_case(session, actor=desk.actor, data={
            "source": "party_application", "dispute_type": "neighbour", "level": "grid", "community": "华光城",
            "summary": "楼上漏水致楼下吊顶受损。", "parties": parties, "status": status,
        }).id


def junior_led_draft(desk, case_id, *, draft: AgreementDraft = DRAFT, also: tuple[str, ...] = ()) -> dict[str, int]:
    """潘小 (junior, paired with senior 潘明杰) leads the case and has saved `draft`; returns mediator ids by name,
    with a senior street mediator added for each name in `also`."""
    with desk.session() as session:
        ids = {"潘明杰": add_mediator(session, actor=desk.actor, name="潘明杰", rank=MediatorRank.SENIOR, unit=MediatorUnit.STREET).id}
        for name in also:
            ids[name] = add_mediator(session, actor=desk.actor, name=name, rank=MediatorRank.SENIOR, unit=MediatorUnit.STREET).id
        ids["潘小"] = add_mediator(session, actor=desk.actor, name="潘小", rank=MediatorRank.JUNIOR, unit=MediatorUnit.GRID,
                                  community="华光城").id
        create_pairing(session, actor=desk.actor, senior_id=ids["潘明杰"], junior_id=ids["潘小"], started_on=dt.date(2026, 1, 1))
        current = session.get(Case, case_id).version
        assign_mediator(session, actor=desk.actor, case_id=case_id, expected_version=current, mediator_id=ids["潘小"],
                        recusal=RecusalChoice("kept", "无回避情形"))
        agreements.save_draft(session, actor=desk.actor, case_id=case_id, draft=draft, expected_version=None)
    return ids
