"""One answer to "what is due": the status bar's count, the 工作台's lists and the 警调 page's 已逾期 all come from
here, for the current user's scope (a police liaison: referral deadlines; a mediator: own cases; a supervisor
or a user without a linked mediator: the whole centre)."""

from sqlalchemy import select
from sqlmodel import Session

from laopan.clock import local_date
from laopan.models import Case
from laopan.models.enums import ReferralState, Role
from laopan.services.actor import Actor
from laopan.services.committee import committee_settings
from laopan.services.deadlines import deadline_lists
from laopan.services.referrals import list_referrals
from laopan.views.referrals import ReferralRow
from laopan.views.workflow import DeadlineRow, DueItems

REFERRALS, MINE, CENTRE = "referrals", "mine", "centre"


def due_scope(actor: Actor) -> str:
    if actor.role is Role.POLICE_LIAISON:
        return REFERRALS
    if actor.is_supervisor or actor.mediator_id is None:
        return CENTRE
    return MINE


def due_items(session: Session, *, actor: Actor) -> DueItems:
    scope = due_scope(actor)
    settings = committee_settings(session, actor.committee_id)
    if scope != REFERRALS:
        lists = deadline_lists(session, actor=actor, mine=scope == MINE)
        return DueItems(scope, lists.overdue, lists.due_soon, lists.due_soon_days)
    rows = list_referrals(session, actor=actor, due_only=True)
    cases = {row.id: (row.level, row.lead_name) for row in session.execute(
        select(Case.id, Case.level, Case.lead_name).where(Case.id.in_([r.case_id for r in rows])))}
    today = actor.today(settings.time_zone)

    def deadline_row(row: ReferralRow) -> DeadlineRow:
        level, lead = cases[row.case_id]
        due_on = local_date(row.due_at, settings.time_zone) if row.due_at is not None else None
        return DeadlineRow(case_id=row.case_id, intake_no=row.intake_no, parties=row.parties, level=level, status=row.case_status,
                           lead_name=lead, due_on=due_on, days_left=(due_on - today).days if due_on else None, due_soon=row.due_soon)

    overdue = tuple(deadline_row(r) for r in rows if r.state == ReferralState.OVERDUE.value)
    soon = tuple(deadline_row(r) for r in rows if r.due_soon)
    return DueItems(scope, overdue, soon, settings.due_soon_days)


def overdue_count(session: Session, *, actor: Actor) -> int:
    """The status bar's "N 件逾期"."""
    return len(due_items(session, actor=actor).overdue)
