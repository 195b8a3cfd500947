"""A case's status and level (DESIGN §4 "Lifecycle", "Escalation").

Status moves only along the legal table; anything else is refused with a message naming the moves allowed
from the current status. A closed case is read-only until a supervisor reopens it. Levels move one step up
(grid → community → street) with a reason; a supervisor may return a case one step down.
"""

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlmodel import Session

from laopan.errors import DomainError, InvalidTransition, NotFound
from laopan.labels import label
from laopan.models import Case, CaseMediator, Community, Escalation, Mediator
from laopan.models.enums import CaseMediatorRole, CaseStatus, Level, MediatorUnit
from laopan.models.decisions import Destination, TerminationReason
from laopan.security.permissions import Action
from laopan.services import agreements, assignment, audit, derived, locking
from laopan.services.actor import Actor
from laopan.services.cases import OPEN_STATUSES, load_case
from laopan.services.committee import committee_settings
from laopan.views.workflow import ActionInfo

S = CaseStatus
LEVELS = (Level.GRID.value, Level.COMMUNITY.value, Level.STREET.value)
# Cases that still move between levels and take mediators.
ACTIVE_STATUSES = (S.REGISTERED.value, S.ACCEPTED.value, S.MEDIATING.value)
SESSION_STATUSES = (S.ACCEPTED.value, S.MEDIATING.value, S.SETTLED.value, S.TERMINATED.value)


@dataclass(frozen=True)
class Move:
    code: str
    label: str
    sources: tuple[CaseStatus, ...]
    target: CaseStatus | None  # None: reopen returns to the status the case was closed from
    needs_reason: bool


MOVES: dict[str, Move] = {
    move.code: move
    for move in (
        Move("accept", "受理", (S.REGISTERED,), S.ACCEPTED, False),
        Move("reject", "不予受理", (S.REGISTERED,), S.REJECTED, True),
        Move("mediate", "开始调解", (S.ACCEPTED,), S.MEDIATING, False),
        Move("settle", "调解成功", (S.MEDIATING,), S.SETTLED, False),
        Move("terminate", "调解终止", (S.ACCEPTED, S.MEDIATING), S.TERMINATED, True),
        Move("close", "结案归档", (S.SETTLED, S.TERMINATED, S.REJECTED), S.CLOSED, False),
        Move("reopen", "重新打开", (S.CLOSED,), None, True),
    )
}
TERMINATION_REASONS: dict[str, str] = {r.value: label(r) for r in TerminationReason}
DESTINATIONS: dict[str, str] = {d.value: label(d) for d in Destination}


def legal_moves(status: str) -> list[Move]:
    return [move for move in MOVES.values() if CaseStatus(status) in move.sources]


def illegal_move_message(status: str, move: Move) -> str:
    """"“登记”状态的案件不能直接“结案归档”；当前可以：受理、不予受理"."""
    allowed = "、".join(m.label for m in legal_moves(status)) or "无"
    return f"“{label(CaseStatus(status))}”状态的案件不能直接“{move.label}”；当前可以：{allowed}"


def _code(value: str | None, codes: dict[str, str], what: str) -> str | None:
    """A code given as its code or its Chinese label."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    for code, text in codes.items():
        if value in (code, text):
            return code
    raise DomainError(f"{what}: 应为{'、'.join(codes.values())}之一")


def _required(reason: str | None, what: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise DomainError(f"{what}: 不能为空")
    return text


def move_case(
    session: Session,
    *,
    actor: Actor,
    case_id: int,
    action: str,
    expected_version: int,
    reason: str | None = None,
    destination: str | None = None,
    force: bool = False,
) -> locking.CaseChange:
    """Apply one lifecycle move (`MOVES` codes). The named functions below call this.

    `force` (close only): a supervisor closes an incomplete 卷宗 anyway, `reason` saying why.

    Raises:
        InvalidTransition: The move is not legal from the case's status (or the case is closed).
        PermissionDenied: Reopening by a role other than supervisor/admin.
        Conflict: The case changed since `expected_version`.
    """
    if action not in MOVES:
        raise DomainError(f"未知的操作“{action}”")
    move = MOVES[action]
    if action == "reopen":
        actor.require(Action.REOPEN)
    case = locking.lock_case(session, actor=actor, case_id=case_id, expected_version=expected_version, allow_closed=action == "reopen")
    if CaseStatus(case.status) not in move.sources:
        raise InvalidTransition(illegal_move_message(case.status, move))
    now = actor.clock.now()
    values: dict = {}
    note = None
    if action == "accept":
        settings = committee_settings(session, actor.committee_id)
        values = {"accepted_at": now, "due_on": derived.mediation_due_on(now, settings)}
    elif action == "reject":
        note = _required(reason, "不予受理理由")
        values = {"rejection_reason": note}
    elif action == "settle":
        ready, why = _settlement_ready(session, actor, case.id)
        if not ready:
            raise DomainError(why)
    elif action == "terminate":
        code = _code(reason, TERMINATION_REASONS, "终止原因")
        if code is None:
            raise DomainError(f"终止原因: 请选择{'、'.join(TERMINATION_REASONS.values())}之一")
        where = _code(destination, DESTINATIONS, "去向")
        if code == TerminationReason.OTHER_CHANNEL.value and where is None:
            raise DomainError(f"去向: 转其他途径须选择去向（{'、'.join(DESTINATIONS.values())}）")
        if code != TerminationReason.OTHER_CHANNEL.value and where is not None:
            raise DomainError("去向: 只有“转其他途径”需要选择去向")
        values = {"termination_reason": code, "termination_destination": where}
        note = TERMINATION_REASONS[code] + (f"（{DESTINATIONS[where]}）" if where else "")
    elif action == "close":
        from laopan.services.dossier import closing_guard  # the 卷宗 check (imports the case services)

        note = closing_guard(session, actor=actor, case=case, force=force, reason=reason)
        values = {"closed_at": now, "status_before_close": case.status}
    elif action == "reopen":
        note = _required(reason, "重新打开理由")
        values = {"status": case.status_before_close or S.SETTLED.value, "status_before_close": None, "closed_at": None}
    if move.target is not None:
        values = {"status": move.target.value, **values}
    changes = locking.apply(case, values)
    locking.touch(case, actor=actor)
    audit.record(session, actor=actor, action=f"case.{action}", entity="case", entity_id=case.id, changes=changes, note=note)
    return locking.case_change(case, changes)


def accept(session: Session, *, actor: Actor, case_id: int, expected_version: int) -> locking.CaseChange:
    """受理: starts the mediation deadline (CommitteeSettings.mediation_days)."""
    return move_case(session, actor=actor, case_id=case_id, action="accept", expected_version=expected_version)


def reject(session: Session, *, actor: Actor, case_id: int, expected_version: int, reason: str) -> locking.CaseChange:
    """不予受理, with the reason (required)."""
    return move_case(session, actor=actor, case_id=case_id, action="reject", expected_version=expected_version, reason=reason)


def start_mediating(session: Session, *, actor: Actor, case_id: int, expected_version: int) -> locking.CaseChange:
    return move_case(session, actor=actor, case_id=case_id, action="mediate", expected_version=expected_version)


def settle(session: Session, *, actor: Actor, case_id: int, expected_version: int) -> locking.CaseChange:
    """调解成功: only once a written agreement draft or an oral agreement exists."""
    return move_case(session, actor=actor, case_id=case_id, action="settle", expected_version=expected_version)


def terminate(
    session: Session, *, actor: Actor, case_id: int, expected_version: int, reason: str, destination: str | None = None
) -> locking.CaseChange:
    """调解终止 with a `TerminationReason` (code or label); 转其他途径 needs a `Destination`."""
    return move_case(session, actor=actor, case_id=case_id, action="terminate", expected_version=expected_version,
                     reason=reason, destination=destination)


def close(
    session: Session, *, actor: Actor, case_id: int, expected_version: int, force: bool = False, reason: str | None = None
) -> locking.CaseChange:
    """结案归档: the case becomes read-only, once its 卷宗 is complete (or a supervisor forces it with a reason)."""
    return move_case(session, actor=actor, case_id=case_id, action="close", expected_version=expected_version,
                     force=force, reason=reason)


def reopen(session: Session, *, actor: Actor, case_id: int, expected_version: int, reason: str) -> locking.CaseChange:
    """Supervisor/admin only: back to the status the case was closed from, with the reason audited."""
    return move_case(session, actor=actor, case_id=case_id, action="reopen", expected_version=expected_version, reason=reason)


def _settlement_ready(session: Session, actor: Actor, case_id: int) -> tuple[bool, str]:
    """Whether 调解成功 may be recorded: the agreements service decides (one rule for the move and the offer)."""
    return agreements.settlement_ready(session, actor, case_id)


# ---------------------------------------------------------------- levels


def escalate(
    session: Session,
    *,
    actor: Actor,
    case_id: int,
    expected_version: int,
    reason: str,
    to_mediator_id: int | None = None,
    recusal: assignment.RecusalChoice | None = None,
) -> locking.CaseChange:
    """上报 one level up. The lead leaves the case; `to_mediator_id` (of the receiving level) takes over,
    else the case arrives awaiting assignment (lead_name None)."""
    actor.require(Action.ESCALATE)
    case = _level_case(session, actor=actor, case_id=case_id, expected_version=expected_version)
    if case.level == Level.STREET.value:
        raise DomainError(
            "街道已是最高层级：案件离开街道（转法院、仲裁、公安、信访、行政机关）须“调解终止”，"
            "终止原因选“转其他途径”并选择去向"
        )
    target = LEVELS[LEVELS.index(case.level) + 1]
    return _change_level(session, actor=actor, case=case, target=target, reason=reason, to_mediator_id=to_mediator_id,
                         recusal=recusal, action="case.escalate")


def return_down(
    session: Session,
    *,
    actor: Actor,
    case_id: int,
    expected_version: int,
    reason: str,
    to_mediator_id: int | None = None,
    recusal: assignment.RecusalChoice | None = None,
) -> locking.CaseChange:
    """Supervisor/admin: return the case one level down, with a reason (the lead changes as in `escalate`)."""
    actor.require(Action.RETURN_DOWN)
    case = _level_case(session, actor=actor, case_id=case_id, expected_version=expected_version)
    if case.level == Level.GRID.value:
        raise DomainError("网格已是最低层级，不能再退回")
    target = LEVELS[LEVELS.index(case.level) - 1]
    if target == Level.GRID.value and case.grid_id is None:
        raise DomainError("案件未指定网格，不能退回网格")
    return _change_level(session, actor=actor, case=case, target=target, reason=reason, to_mediator_id=to_mediator_id,
                         recusal=recusal, action="case.return")


def _level_case(session: Session, *, actor: Actor, case_id: int, expected_version: int) -> Case:
    case = locking.lock_case(session, actor=actor, case_id=case_id, expected_version=expected_version)
    if case.status not in ACTIVE_STATUSES:
        raise InvalidTransition(f"只有登记、受理、调解中的案件可以变更层级（当前：{label(CaseStatus(case.status))}）")
    return case


def _change_level(
    session: Session,
    *,
    actor: Actor,
    case: Case,
    target: str,
    reason: str,
    to_mediator_id: int | None,
    recusal: assignment.RecusalChoice | None,
    action: str,
) -> locking.CaseChange:
    reason = _required(reason, "理由")
    if to_mediator_id is not None:
        _check_receiving_level(session, actor=actor, case=case, level=target, mediator_id=to_mediator_id)
    before, old_lead, old_level = assignment.mediator_lines(session, case.id), case.lead_name, case.level
    session.execute(delete(CaseMediator).where(CaseMediator.case_id == case.id, CaseMediator.role == CaseMediatorRole.LEAD.value))
    case.level = target
    if to_mediator_id is not None:
        added = assignment.add_to_case(session, actor=actor, case=case, mediator_id=to_mediator_id, role=CaseMediatorRole.LEAD,
                                       pairing_id=None, recusal=recusal)
        if not added.assigned:
            raise DomainError("所选调解员已按回避决定更换，请选择其他调解员后再提交")
    assignment.sync_lead_name(session, case)
    session.add(Escalation(case_id=case.id, from_level=old_level, to_level=target, reason=reason, by_login=actor.login,
                           at=actor.clock.now()))
    changes: dict = {"level": [old_level, target]}
    if case.lead_name != old_lead:
        changes["lead_name"] = [old_lead, case.lead_name]
    after = assignment.mediator_lines(session, case.id)
    if after != before:
        changes["mediators"] = [before, after]
    locking.touch(case, actor=actor)
    audit.record(session, actor=actor, action=action, entity="case", entity_id=case.id, changes=changes, note=reason)
    return locking.case_change(case, changes)


def may_lead_at(*, unit: str, community_id: int | None, level: str, case_community_id: int) -> bool:
    """Who may lead a case at a level: a grid or community mediator of the case's community at those levels;
    anyone but grid and community mediators at the street."""
    if level == Level.STREET.value:
        return unit not in (MediatorUnit.GRID.value, MediatorUnit.COMMUNITY.value)
    return unit == level and community_id == case_community_id


def receiving_mediators(session: Session, *, actor: Actor, case_id: int, level: str) -> list[int]:
    """Ids of the active, ranked mediators who may lead the case at `level` (the escalation dialog's choices)."""
    case = load_case(session, actor=actor, case_id=case_id)
    rows = session.execute(
        select(Mediator.id, Mediator.unit, Mediator.community_id).where(
            Mediator.committee_id == actor.committee_id, Mediator.active.is_(True), Mediator.rank != "unknown")
    ).all()
    return [mid for mid, unit, community_id in rows
            if may_lead_at(unit=unit, community_id=community_id, level=level, case_community_id=case.community_id)]


def _check_receiving_level(session: Session, *, actor: Actor, case: Case, level: str, mediator_id: int) -> None:
    mediator = session.get(Mediator, mediator_id)
    if mediator is None or mediator.committee_id != actor.committee_id:
        raise NotFound(f"找不到调解员 #{mediator_id}")
    unit = MediatorUnit(mediator.unit)
    if not may_lead_at(unit=mediator.unit, community_id=mediator.community_id, level=level, case_community_id=case.community_id):
        if level == Level.STREET.value:
            raise DomainError(f"{mediator.name}（{label(unit)}）不是街道层级的调解员")
        community = session.get(Community, case.community_id)
        raise DomainError(f"{mediator.name}（{label(unit)}）不是{community.name}社区的{label(Level(level))}调解员")


# ---------------------------------------------------------------- what the window offers


def available_actions(session: Session, *, actor: Actor, case_id: int) -> list[ActionInfo]:
    """The legal moves for this case and this actor's role, in the order the window shows them.

    Codes: the lifecycle `MOVES`, plus escalate, return, assign, extend, add_session.
    """
    case = load_case(session, actor=actor, case_id=case_id)
    if case.status == S.CLOSED.value:
        return [ActionInfo("reopen", MOVES["reopen"].label, True)] if actor.may(Action.REOPEN) else []
    actions = []
    for move in legal_moves(case.status):
        ready, why = _settlement_ready(session, actor, case.id) if move.code == "settle" else (True, "")
        if not ready:
            actions.append(ActionInfo(move.code, move.label, move.needs_reason, enabled=False, hint=why))
        else:
            actions.append(ActionInfo(move.code, move.label, move.needs_reason))
    if case.status in ACTIVE_STATUSES:
        if case.level != Level.STREET.value and actor.may(Action.ESCALATE):
            actions.append(ActionInfo("escalate", "上报", True))
        if actor.may(Action.RETURN_DOWN) and case.level != Level.GRID.value and not (case.level == "community" and case.grid_id is None):
            actions.append(ActionInfo("return", "退回下一级", True))
        if actor.may(Action.ASSIGN):
            actions.append(ActionInfo("assign", "指派调解员", False))
    if case.status in OPEN_STATUSES and case.due_on is not None:
        actions.append(ActionInfo("extend", "延长调解期限", False))
    if case.status in SESSION_STATUSES:
        actions.append(ActionInfo("add_session", "新增调解记录", False))
    return actions
