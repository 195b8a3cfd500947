"""Mediation deadlines (DESIGN §4 "Deadlines"): extensions with both parties' consent, and the lists of cases
due soon and overdue, per lead mediator and for the whole centre."""

import datetime as dt

from sqlalchemy import select
from sqlmodel import Session

from laopan.errors import DomainError, InvalidTransition
from laopan.labels import label
from laopan.models import Case, CaseMediator, DeadlineExtension
from laopan.models.enums import CaseStatus
from laopan.security.records import case_clause
from laopan.services import audit, locking
from laopan.services.actor import Actor
from laopan.services.cases import OPEN_STATUSES, is_due_soon, load_case
from laopan.services.committee import committee_settings
from laopan.views.workflow import DeadlineLists, DeadlineRow, ExtensionView

AWAITING_ASSIGNMENT = "待分配"


def extend_deadline(
    session: Session,
    *,
    actor: Actor,
    case_id: int,
    expected_version: int,
    new_due_on: dt.date,
    applicant_consent_on: dt.date,
    respondent_consent_on: dt.date,
    reason: str | None = None,
) -> locking.CaseChange:
    """延长调解期限: both parties consented (on the given dates); the new date is later than the current one.

    Raises:
        DomainError: A consent date missing or in the future, or the new date not later than the current one.
        InvalidTransition: The case is not accepted or mediating.
    """
    case = locking.lock_case(session, actor=actor, case_id=case_id, expected_version=expected_version)
    if case.status not in OPEN_STATUSES or case.due_on is None:
        raise InvalidTransition(f"只有已受理或调解中的案件可以延长调解期限（当前：{label(CaseStatus(case.status))}）")
    today = actor.today(committee_settings(session, actor.committee_id).time_zone)
    for day, who in ((applicant_consent_on, "申请人"), (respondent_consent_on, "被申请人")):
        if day is None:
            raise DomainError(f"{who}同意日期: 延长期限须双方当事人同意，请填写同意日期")
        if day > today:
            raise DomainError(f"{who}同意日期: 不能晚于今天")
    if new_due_on is None or new_due_on <= case.due_on:
        raise DomainError(f"新期限: 须晚于当前期限 {case.due_on.isoformat()}")
    extension = DeadlineExtension(
        case_id=case.id, previous_due_on=case.due_on, new_due_on=new_due_on, applicant_consent_on=applicant_consent_on,
        respondent_consent_on=respondent_consent_on, reason=(reason or "").strip() or None, by_login=actor.login,
        at=actor.clock.now(),
    )
    session.add(extension)
    changes = locking.apply(case, {"due_on": new_due_on})
    locking.touch(case, actor=actor)
    session.flush()
    audit.record(
        session, actor=actor, action="case.extend", entity="case", entity_id=case.id,
        changes={**changes, "applicant_consent_on": applicant_consent_on, "respondent_consent_on": respondent_consent_on},
        note=extension.reason,
    )
    return locking.case_change(case, changes)


def list_extensions(session: Session, *, actor: Actor, case_id: int) -> list[ExtensionView]:
    load_case(session, actor=actor, case_id=case_id)
    rows = session.execute(
        select(DeadlineExtension).where(DeadlineExtension.case_id == case_id).order_by(DeadlineExtension.at, DeadlineExtension.id)
    ).scalars()
    return [
        ExtensionView(r.previous_due_on, r.new_due_on, r.applicant_consent_on, r.respondent_consent_on, r.reason, r.by_login, r.at)
        for r in rows
    ]


def deadline_lists(session: Session, *, actor: Actor, mine: bool = False) -> DeadlineLists:
    """Open (accepted, mediating) cases past or near their deadline, soonest first.

    Args:
        mine: Only cases where the actor's linked mediator has any role.

    Raises:
        DomainError: `mine` for a user with no linked mediator.
    """
    settings = committee_settings(session, actor.committee_id)
    today = actor.today(settings.time_zone)
    horizon = today + dt.timedelta(days=settings.due_soon_days)
    statement = (
        select(Case.id, Case.intake_no, Case.parties_display, Case.level, Case.status, Case.lead_name, Case.due_on)
        .where(Case.committee_id == actor.committee_id, Case.status.in_(OPEN_STATUSES), Case.due_on.is_not(None),
               Case.due_on <= horizon)
        .order_by(Case.due_on, Case.id)
    )
    statement = statement.where(case_clause(session, actor))
    if mine:
        if actor.mediator_id is None:
            raise DomainError("当前用户未关联调解员，无法列出“我的”案件")
        statement = statement.where(Case.id.in_(select(CaseMediator.case_id).where(CaseMediator.mediator_id == actor.mediator_id)))
    items = [
        DeadlineRow(row.id, row.intake_no, row.parties_display, row.level, row.status, row.lead_name, row.due_on,
                    (row.due_on - today).days, is_due_soon((row.due_on - today).days, settings.due_soon_days))
        for row in session.execute(statement)
    ]
    by_lead: dict[str, list[DeadlineRow]] = {}
    for item in items:
        by_lead.setdefault(item.lead_name or AWAITING_ASSIGNMENT, []).append(item)
    return DeadlineLists(
        today=today,
        due_soon_days=settings.due_soon_days,
        overdue=tuple(i for i in items if i.days_left < 0),
        due_soon=tuple(i for i in items if i.due_soon),
        by_lead={name: tuple(group) for name, group in sorted(by_lead.items())},
    )
