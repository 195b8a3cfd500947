"""工作台: what the current user has to do — open cases, deadlines due soon and overdue, reviews awaiting them.

"Mine" means cases where the user's linked mediator has any role; a user without one sees the whole centre.
The overdue and due-soon lists are `due.due_items` — the same the status bar counts (a liaison's are referral
deadlines, a supervisor's the centre's).
"""

from sqlmodel import Session

from laopan.models.enums import Role
from laopan.services.actor import Actor
from laopan.services.agreements import awaiting_review
from laopan.services.cases import CaseFilter, CaseQuery
from laopan.services.due import MINE, due_items
from laopan.services.followups import due_followups
from laopan.services.judicial import closing_windows
from laopan.services.lifecycle import ACTIVE_STATUSES
from laopan.views.cases import CaseRow
from laopan.views.workflow import DeadlineRow, WorkbenchDetail

OPEN_LIMIT = 200  # rows per status in "在办案件"; the count above the list is exact


def _from_case(row: CaseRow) -> DeadlineRow:
    return DeadlineRow(case_id=row.id, intake_no=row.intake_no, parties=row.parties, level=row.level, status=row.status,
                       lead_name=row.lead_name, due_on=row.due_on, days_left=row.days_left, due_soon=row.due_soon)


def _by_urgency(row: DeadlineRow) -> tuple:
    return (row.days_left is None, row.days_left if row.days_left is not None else 0, row.intake_no)


def workbench(session: Session, *, actor: Actor) -> WorkbenchDetail:
    """Everything the 工作台 shows, read in one unit of work."""
    due = due_items(session, actor=actor)
    mine = due.scope == MINE
    open_rows: list[DeadlineRow] = []
    total = 0
    for status in ACTIVE_STATUSES:
        query = CaseQuery(session, actor=actor, filters=CaseFilter(status=status, mediator_id=actor.mediator_id if mine else None))
        total += query.count(session)
        open_rows += [_from_case(row) for row in query.page(session, offset=0, limit=OPEN_LIMIT)]
    return WorkbenchDetail(
        user_name=actor.display_name or actor.login, mine=mine, open_cases=tuple(sorted(open_rows, key=_by_urgency)),
        open_total=total, overdue=due.overdue, due_soon=due.due_soon, due_soon_days=due.due_soon_days,
        review=_awaiting_review(session, actor),
        followups_due=tuple(due_followups(session, actor=actor, mine=mine)),
        judicial_closing=tuple(closing_windows(session, actor=actor, mine=mine)),
    )


def _awaiting_review(session: Session, actor: Actor) -> tuple[DeadlineRow, ...] | None:
    """Junior-led draft agreements this user may review; None for users who review nobody."""
    if not actor.is_supervisor and (actor.mediator_id is None or actor.role is Role.POLICE_LIAISON):
        return None
    items = awaiting_review(session, actor=actor)
    if not items and not actor.is_supervisor:
        return None
    return tuple(DeadlineRow(case_id=i.case_id, intake_no=i.intake_no, parties=i.parties, level=i.level, status=i.status,
                             lead_name=i.junior, due_on=i.due_on, days_left=None) for i in items)
