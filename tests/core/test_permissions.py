"""Every cell of the permission table, through the services: for each role × action the service call succeeds
when the table says ✓ and raises PermissionDenied (a Chinese sentence naming the role) when it says —; the
record rules (liaison: joint cases only; mediator: own, paired and home-community cases) hold for the list,
search, counts and opening one case; and the README's table is the code's."""

import datetime as dt
import itertools
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from laopan.errors import PermissionDenied
from laopan.inputs import AgreementDraft, ClauseSpec
from laopan.interchange.export import export_cases
from laopan.ledger.importing import import_ledger, plan_import
from laopan.ledger.mapping import guess_mapping
from laopan.ledger.reading import read_table
from laopan.models.enums import CaseMediatorRole, MediatorRank, MediatorUnit, Role
from laopan.security.permissions import PERMISSIONS, ROLE_LABELS, Action
from laopan.security.records import case_clause
from laopan.services import (
    agreements, audit_log, backups, corrections, dictionaries, lifecycle, station_ledger, statistics, users,
)
from laopan.services.actor import Actor
from laopan.services.assignment import RecusalChoice, assign_mediator
from laopan.services.case_documents import render_case_document
from laopan.services.cases import CaseFilter, CaseQuery, case_detail
from laopan.services.intake import register_case
from laopan.services.mediators import add_mediator
from laopan.services.pairings import create_pairing
from tests.helpers.ledgers import ledger_row, write_xlsx
from tests.helpers.scenarios import case_data, move, version
from tools.permissions_table import README, updated

DRAFT = AgreementDraft(
    facts="2026年9月起楼上卫生间漏水，致楼下吊顶受损。", matters="维修责任与赔偿数额。",
    responsibilities="被申请人未及时修复防水层，负主要责任。",
    clauses=(ClauseSpec(kind="text", text="被申请人于2026年12月5日前修复卫生间防水层。"),),
    performance_method="自行修复", performance_place="华光城12幢", performance_deadline=dt.date(2026, 12, 5),
    signed_on=dt.date(2026, 11, 27),
)
SIGNED_ON = dt.date(2026, 11, 27)
KEPT = RecusalChoice("kept", "无回避情形")


@dataclass
class World:
    desk: object
    case_id: int  # a joint (police-referred) case led by the junior, in 华光城, mediating
    senior_id: int  # the mediator actor: the junior's mentor (老潘)
    junior_id: int
    other_id: int
    tmp_path: object

    def actor(self, role: Role) -> Actor:
        mediator_id = self.senior_id if role is Role.MEDIATOR else None
        return Actor(login=f"u_{role.value}", role=role, committee_id=self.desk.committee_id, mediator_id=mediator_id,
                     clock=self.desk.actor.clock)

    def admin(self, service: Callable, **kwargs):
        with self.desk.session() as session:
            return service(session, actor=self.desk.actor, case_id=self.case_id, **kwargs)

    def version(self) -> int:
        return version(self.desk, self.case_id)


@pytest.fixture
def world(desk, tmp_path) -> World:
    with desk.session() as session:
        senior = add_mediator(session, actor=desk.actor, name="潘明杰", rank=MediatorRank.SENIOR, unit=MediatorUnit.STREET)
        junior = add_mediator(session, actor=desk.actor, name="潘小", rank=MediatorRank.JUNIOR, unit=MediatorUnit.GRID, community="华光城")
        other = add_mediator(session, actor=desk.actor, name="王老师", rank=MediatorRank.SENIOR, unit=MediatorUnit.STREET)
        create_pairing(session, actor=desk.actor, senior_id=senior.id, junior_id=junior.id, started_on=dt.date(2026, 1, 1))
        case_id = register_case(session, actor=desk.actor, data=case_data(source="police_referral", status="mediating")).id
    w = World(desk, case_id, senior.id, junior.id, other.id, tmp_path)
    w.admin(assign_mediator, expected_version=w.version(), mediator_id=junior.id, recusal=KEPT)
    return w


def _drafted(w: World) -> None:
    w.admin(agreements.save_draft, draft=DRAFT, expected_version=None)


def _reviewed(w: World) -> None:
    _drafted(w)
    w.admin(agreements.review, expected_version=None)


def _finalised(w: World) -> None:
    _reviewed(w)
    w.admin(agreements.finalise, expected_version=None)


def _signed(w: World) -> None:
    _finalised(w)
    w.admin(agreements.record_signature, signer_kind="mediator", signed_on=SIGNED_ON)


def _escalated(w: World) -> None:
    w.admin(lifecycle.escalate, expected_version=w.version(), reason="需社区协调")


def _terminated(w: World) -> None:
    move(w.desk, w.case_id, "terminate", reason="party_refused")


def _closed(w: World) -> None:
    _terminated(w)
    move(w.desk, w.case_id, "close")


def _ledger(w: World):
    path = write_xlsx(w.tmp_path / "台账.xlsx", [ledger_row(n) for n in range(1, 4)])
    table = read_table(path)
    with w.desk.reading() as session:
        return plan_import(session, actor=w.desk.actor, table=table, mapping=guess_mapping(table))


def _register(s, a: Actor, w: World):
    data = case_data(source="police_referral")
    data["police_referral"] = {**data["police_referral"], "incident_no": f"JQ20261120{a.role.value[:4].upper()}"}
    return register_case(s, actor=a, data=data)


# action → (preparation done by the administrator, the call made as the role under test)
CALLS: dict[Action, tuple[Callable | None, Callable]] = {
    Action.REGISTER: (None, _register),
    Action.EDIT: (None, lambda s, a, w: corrections.update_case(
        s, actor=a, case_id=w.case_id, expected_version=w.version(), values={"summary": "楼上漏水，吊顶受损，已现场查看。"})),
    Action.ESCALATE: (None, lambda s, a, w: lifecycle.escalate(
        s, actor=a, case_id=w.case_id, expected_version=w.version(), reason="需社区协调")),
    Action.RETURN_DOWN: (_escalated, lambda s, a, w: lifecycle.return_down(
        s, actor=a, case_id=w.case_id, expected_version=w.version(), reason="网格可以处理")),
    Action.ASSIGN: (None, lambda s, a, w: assign_mediator(
        s, actor=a, case_id=w.case_id, expected_version=w.version(), mediator_id=w.other_id,
        role=CaseMediatorRole.ASSISTANT, recusal=KEPT)),
    Action.DRAFT: (None, lambda s, a, w: agreements.save_draft(s, actor=a, case_id=w.case_id, draft=DRAFT, expected_version=None)),
    Action.REVIEW: (_drafted, lambda s, a, w: agreements.review(s, actor=a, case_id=w.case_id, expected_version=None)),
    Action.FINALISE: (_reviewed, lambda s, a, w: agreements.finalise(s, actor=a, case_id=w.case_id, expected_version=None)),
    Action.CORRECT_SIGNATURE: (_signed, lambda s, a, w: agreements.record_signature(
        s, actor=a, case_id=w.case_id, signer_kind="mediator", signed_on=SIGNED_ON,
        correct=True, reason="登记日期笔误")),
    Action.SIGN: (_finalised, lambda s, a, w: agreements.record_signature(
        s, actor=a, case_id=w.case_id, signer_kind="mediator", signed_on=SIGNED_ON)),
    Action.PRINT: (None, lambda s, a, w: render_case_document(
        s, actor=a, case_id=w.case_id, name="application", fmt="docx", purpose="print")),
    Action.EXPORT: (None, lambda s, a, w: export_cases(s, actor=a, case_ids=[w.case_id])),
    Action.REVEAL: (None, lambda s, a, w: case_detail(s, actor=a, case_id=w.case_id, reveal=True)),
    Action.REOPEN: (_closed, lambda s, a, w: lifecycle.move_case(
        s, actor=a, case_id=w.case_id, action="reopen", expected_version=w.version(), reason="当事人反悔，重新调解")),
    Action.FORCE_CLOSE: (_terminated, lambda s, a, w: lifecycle.move_case(
        s, actor=a, case_id=w.case_id, action="close", expected_version=w.version(), force=True, reason="材料另行补齐")),
    Action.IMPORT_LEDGER: (None, lambda s, a, w: import_ledger(s, actor=a, plan=_ledger(w))),
    Action.VIEW_STATION_LEDGER: (None, lambda s, a, w: station_ledger.monthly_ledger(s, actor=a, year=2026, month=11)),
    Action.VIEW_STATISTICS: (None, lambda s, a, w: statistics.statistics(s, actor=a, when=statistics.month(2026, 11))),
    Action.MANAGE_USERS: (None, lambda s, a, w: users.add_user(s, actor=a, login="newcomer", display_name="新同事", role=Role.MEDIATOR)),
    Action.MANAGE_DICTIONARIES: (None, lambda s, a, w: dictionaries.add_entry(s, actor=a, kind="community", name="新建社区")),
    Action.MANAGE_REGISTRY: (None, lambda s, a, w: add_mediator(s, actor=a, name="赵新", rank=MediatorRank.SENIOR, unit=MediatorUnit.STREET)),
    Action.MANAGE_BACKUPS: (None, lambda s, a, w: backups.list_backups(actor=a, folder=Path(tempfile.mkdtemp()))),
    Action.VIEW_AUDIT: (None, lambda s, a, w: audit_log.audit_page(s, actor=a)),
}


def test_every_action_has_a_service_call_here():
    assert set(CALLS) == set(Action)


@pytest.mark.parametrize(("role", "action"), list(itertools.product(Role, [a for a in Action if a in CALLS])),
                         ids=lambda v: v.value)
def test_each_cell_of_the_table_is_what_the_service_does(world, role, action):
    prepare, call = CALLS[action]
    if prepare is not None:
        prepare(world)
    actor = world.actor(role)
    if role in PERMISSIONS[action]:
        with world.desk.session() as session:
            call(session, actor, world)
    else:
        with world.desk.session() as session, pytest.raises(PermissionDenied) as refused:
            call(session, actor, world)
        assert str(refused.value).startswith(ROLE_LABELS[role] + "无权"), str(refused.value)


def test_a_refusal_says_who_may_in_chinese():
    with pytest.raises(PermissionDenied) as refused:
        Actor(login="pan", role=Role.MEDIATOR, committee_id=1).require(Action.FINALISE)
    assert str(refused.value) == "调解员无权编号定稿协议书（仅限：主任、管理员）"


def test_the_readme_table_is_the_code_table():
    text_now = README.read_text(encoding="utf-8")
    assert updated(text_now) == text_now, "README 的权限表已过期：运行 python -m tools.permissions_table"


# ---------------------------------------------------------------- record rules


def _visible(desk, actor: Actor, **filters) -> tuple[set[int], int]:
    with desk.reading() as session:
        query = CaseQuery(session, actor=actor, filters=CaseFilter(**filters))
        return {row.id for row in query.page(session, limit=200)}, query.count(session)


@pytest.fixture
def two_cases(world):
    """The joint case of `world` (led by the senior's mentee) and a plain case in 安居 nobody of theirs worked on."""
    with world.desk.session() as session:
        plain = register_case(session, actor=world.desk.actor, data=case_data(community="安居", grid=None)).id
    return world.case_id, plain


@pytest.mark.both_engines  # the record rules are SQL: PostgreSQL runs the same clause
def test_a_liaison_cannot_list_search_count_or_open_a_non_joint_case(world, two_cases):
    joint, plain = two_cases
    liaison = world.actor(Role.POLICE_LIAISON)
    seen, counted = _visible(world.desk, liaison)
    assert seen == {joint} and counted == 1
    searched, _ = _visible(world.desk, liaison, text="张伟")
    assert searched == {joint}, "both cases have 张伟 as applicant; the liaison finds only the joint one"
    with world.desk.reading() as session, pytest.raises(PermissionDenied, match="联合调解案件"):
        case_detail(session, actor=liaison, case_id=plain)
    with world.desk.session() as session, pytest.raises(PermissionDenied):
        corrections.update_case(session, actor=liaison, case_id=plain, expected_version=None, values={"summary": "改"})


@pytest.mark.both_engines  # the record rules are SQL: PostgreSQL runs the same clause
def test_a_mediator_sees_own_paired_and_home_community_cases_only(world, two_cases):
    joint, plain = two_cases
    mentor = world.actor(Role.MEDIATOR)  # no home community; sees the joint case through the mentee
    seen, counted = _visible(world.desk, mentor)
    assert seen == {joint} and counted == 1
    with world.desk.reading() as session, pytest.raises(PermissionDenied, match="调解员只能查看"):
        case_detail(session, actor=mentor, case_id=plain)
    with world.desk.session() as session:
        anju = add_mediator(session, actor=world.desk.actor, name="周安", rank=MediatorRank.SENIOR, unit=MediatorUnit.COMMUNITY,
                            community="安居")
    neighbour = Actor(login="zhou", role=Role.MEDIATOR, committee_id=world.desk.committee_id, mediator_id=anju.id,
                      clock=world.desk.actor.clock)
    assert _visible(world.desk, neighbour)[0] == {plain}, "the 安居 mediator sees 安居's case, not 华光城's"
    with world.desk.reading() as session:
        assert case_detail(session, actor=neighbour, case_id=plain).id == plain
    unlinked = Actor(login="li", role=Role.MEDIATOR, committee_id=world.desk.committee_id, clock=world.desk.actor.clock)
    assert _visible(world.desk, unlinked) == (set(), 0)


def test_supervisors_see_every_case(world, two_cases):
    for role in (Role.SUPERVISOR, Role.ADMIN):
        assert _visible(world.desk, world.actor(role))[0] == set(two_cases)


def test_the_mediator_clause_keeps_the_first_page_on_the_index(desk):
    """The record rule must not turn the indexed newest-first page into a scan plus a sort of every case."""
    from sqlalchemy import select

    from laopan.models import Case

    actor = Actor(login="pan", role=Role.MEDIATOR, committee_id=desk.committee_id, mediator_id=1)
    with desk.reading() as session:
        statement = select(Case.id).where(case_clause(session, actor)).order_by(Case.received_at.desc(), Case.id.desc()).limit(50)
        compiled = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        if session.get_bind().dialect.name != "sqlite":
            pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
        plan = " | ".join(row[-1] for row in session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "ix_case_committee_received" in plan and "TEMP B-TREE FOR ORDER BY" not in plan, plan
