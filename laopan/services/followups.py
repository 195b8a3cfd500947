"""回访: visits that check an agreement is performed (DESIGN §4 "Deadlines": due at the performance deadline).

Visits are scheduled from the agreement in force — its performance deadline, each payment clause's deadline and
each instalment — and recorded with the performance found (未到期/已履行/部分履行/未履行), who visited, how,
when and notes. A visit may be recorded after the case is closed: checking performance is what follows archiving.
"""

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from laopan.errors import DomainError, NotFound, ValidationError
from laopan.labels import label
from laopan.models import Agreement, Case, CaseMediator, FollowUp
from laopan.models.casefile import VisitMethod
from laopan.models.enums import AgreementKind, CaseStatus, PerformanceStatus
from laopan.security.records import case_clause
from laopan.security.permissions import Action
from laopan.services import audit, locking
from laopan.services.actor import Actor
from laopan.services.cases import load_case
from laopan.services.committee import committee_settings
from laopan.views.casefile import FollowUpDueRow, FollowUpList, FollowUpView
from laopan.views.workflow import ActionInfo

PERFORMANCE_DEADLINE = "履行期限"
UNPERFORMED = (PerformanceStatus.NOT_PERFORMED.value, PerformanceStatus.PARTLY.value)


def agreement_in_force(session: Session, case_id: int) -> Agreement | None:
    """The case's agreement in force: a superseded (已作废) one is never visited or confirmed."""
    return session.execute(
        select(Agreement).where(Agreement.case_id == case_id, Agreement.superseded_at.is_(None)).order_by(Agreement.id.desc())
    ).scalars().first()


def is_concluded(agreement: Agreement) -> bool:
    """An oral agreement once registered, a written one once finalised and numbered."""
    return agreement.kind == AgreementKind.ORAL.value or agreement.finalised_at is not None


def schedule_dates(agreement: Agreement) -> dict[dt.date, str]:
    """When a visit is due, with what it checks: the performance deadline, each payment clause, each instalment
    (clause specs of kind "instalments" with a list of {"deadline", "amount"})."""
    dates: dict[dt.date, list[str]] = {}
    if agreement.performance_deadline:
        dates.setdefault(agreement.performance_deadline, []).append(PERFORMANCE_DEADLINE)
    for index, spec in enumerate(agreement.clause_specs or (), start=1):
        if spec.get("kind") == "payment" and spec.get("deadline"):
            dates.setdefault(dt.date.fromisoformat(spec["deadline"]), []).append(f"第{index}条付款")
        for n, part in enumerate(spec.get("instalments") or (), start=1):
            if isinstance(part, dict) and part.get("deadline"):
                dates.setdefault(dt.date.fromisoformat(str(part["deadline"])), []).append(f"第{index}条第{n}期")
    return {day: "、".join(dict.fromkeys(what))[:60] for day, what in sorted(dates.items())}


def _view(row: FollowUp) -> FollowUpView:
    return FollowUpView(row.id, row.version, row.planned_on, row.purpose, row.done_on, row.visitor, row.method,
                        row.performance_status, row.notes)


def schedule(session: Session, *, actor: Actor, case_id: int) -> list[FollowUpView]:
    """Plan a visit for each date of the agreement in force not planned yet; returns the visits added."""
    case = locking.lock_case(session, actor=actor, case_id=case_id, expected_version=None, allow_closed=True)
    agreement = agreement_in_force(session, case.id)
    if agreement is None or not is_concluded(agreement):
        raise DomainError("回访: 本案尚无已定稿的调解协议，无从安排回访")
    planned = set(session.execute(select(FollowUp.planned_on).where(FollowUp.case_id == case.id)).scalars())
    added = []
    for day, purpose in schedule_dates(agreement).items():
        if day not in planned:
            added.append(_add(session, actor, case.id, day, purpose))
    return added


def add_followup(session: Session, *, actor: Actor, case_id: int, planned_on: dt.date, purpose: str | None = None) -> FollowUpView:
    """Plan one visit by hand (e.g. a second visit after 部分履行)."""
    case = locking.lock_case(session, actor=actor, case_id=case_id, expected_version=None, allow_closed=True)
    if planned_on is None:
        raise ValidationError("计划回访日期", "不能为空")
    if case.status not in (CaseStatus.SETTLED.value, CaseStatus.CLOSED.value) or agreement_in_force(session, case.id) is None:
        raise DomainError("回访: 只有达成协议的案件需要回访")
    return _add(session, actor, case.id, planned_on, (purpose or "").strip()[:60] or None)


def _add(session: Session, actor: Actor, case_id: int, day: dt.date, purpose: str | None) -> FollowUpView:
    row = FollowUp(case_id=case_id, planned_on=day, purpose=purpose)
    row.updated_at, row.updated_by = actor.clock.now(), actor.login
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="followup.add", entity="follow_up", entity_id=row.id,
                 changes={"planned_on": day, "purpose": purpose}, case_id=case_id)
    return _view(row)


def _code(value: str | None, enum: Any, field: str) -> str:
    text = (value or "").strip()
    for member in enum:
        if text in (member.value, label(member)):
            return member.value
    raise ValidationError(field, f"应为{'、'.join(label(m) for m in enum)}之一")


def record_followup(
    session: Session, *, actor: Actor, followup_id: int, expected_version: int | None, done_on: dt.date, visitor: str,
    method: str, performance_status: str, notes: str = "",
) -> FollowUpView:
    """Record a visit as made: who, how (电话/上门/其他), when, the performance found and notes.

    Raises:
        ValidationError: A field missing or wrong (the date after today, an unknown method or status).
        Conflict: The visit changed since `expected_version`.
    """
    row = session.get(FollowUp, followup_id)
    if row is None:
        raise NotFound(f"找不到回访记录 #{followup_id}")
    locking.lock_case(session, actor=actor, case_id=row.case_id, expected_version=None, allow_closed=True)
    row = locking.lock(session, FollowUp, followup_id, actor=actor, expected_version=expected_version, what="回访记录")
    today = actor.today(committee_settings(session, actor.committee_id).time_zone)
    if done_on is None:
        raise ValidationError("回访日期", "不能为空")
    if done_on > today:
        raise ValidationError("回访日期", "晚于今天（回访记录记的是已经进行的回访）")
    if not (visitor or "").strip():
        raise ValidationError("回访人", "不能为空")
    values = {"done_on": done_on, "visitor": visitor.strip(), "method": _code(method, VisitMethod, "回访方式"),
              "performance_status": _code(performance_status, PerformanceStatus, "履行情况"), "notes": (notes or "").strip()}
    changes = locking.apply(row, values)
    if changes:
        locking.touch(row, actor=actor)
        session.flush()
        audit.record(session, actor=actor, action="followup.record", entity="follow_up", entity_id=row.id, changes=changes,
                     case_id=row.case_id)
    return _view(row)


def list_followups(session: Session, *, actor: Actor, case_id: int) -> FollowUpList:
    load_case(session, actor=actor, case_id=case_id)
    rows = session.execute(select(FollowUp).where(FollowUp.case_id == case_id)
                           .order_by(FollowUp.planned_on, FollowUp.id)).scalars().all()
    done = sorted((r for r in rows if r.done_on is not None), key=lambda r: (r.done_on, r.id))
    latest = done[-1].performance_status if done else None
    steps = next_steps(session, actor=actor, case_id=case_id) if latest in UNPERFORMED else ()
    return FollowUpList(case_id, tuple(_view(r) for r in rows), latest, steps)


def next_steps(session: Session, *, actor: Actor, case_id: int) -> tuple[ActionInfo, ...]:
    """What an agreement not (fully) performed may lead to: mediate again (reopening a closed case), tell the
    parties they may sue, or apply for judicial confirmation while its window is open."""
    from laopan.services.judicial import judicial_state

    case = load_case(session, actor=actor, case_id=case_id)
    closed = case.status == CaseStatus.CLOSED.value
    judicial = judicial_state(session, actor=actor, case_id=case_id)
    return (
        ActionInfo("mediate_again", "再次调解", needs_reason=True, enabled=not closed or actor.may(Action.REOPEN),
                   hint=("案件已结案归档，须主任重新打开后再次调解" if closed else None)),
        ActionInfo("advise_litigation", "告知诉讼", needs_reason=False,
                   hint="告知当事人可就调解协议的履行或内容向人民法院提起诉讼（人民调解法第32条）"),
        ActionInfo("judicial", "司法确认", needs_reason=False, enabled=judicial.may_apply, hint=judicial.hint),
    )


def due_followups(session: Session, *, actor: Actor, mine: bool = False) -> list[FollowUpDueRow]:
    """Planned visits not yet made, due within `due_soon_days` or overdue, soonest first."""
    settings = committee_settings(session, actor.committee_id)
    today = actor.today(settings.time_zone)
    horizon = today + dt.timedelta(days=settings.due_soon_days)
    statement = (
        select(FollowUp.id, Case.id, Case.intake_no, Case.parties_display, Case.lead_name, FollowUp.planned_on, FollowUp.purpose)
        .join(Case, Case.id == FollowUp.case_id)
        .where(Case.committee_id == actor.committee_id, FollowUp.done_on.is_(None), FollowUp.planned_on <= horizon)
        .order_by(FollowUp.planned_on, Case.id, FollowUp.id)
    )
    statement = statement.where(case_clause(session, actor))
    if mine and actor.mediator_id is not None:
        statement = statement.where(Case.id.in_(select(CaseMediator.case_id).where(CaseMediator.mediator_id == actor.mediator_id)))
    return [FollowUpDueRow(fid, cid, no, parties, lead, day, purpose, (day - today).days)
            for fid, cid, no, parties, lead, day, purpose in session.execute(statement)]
