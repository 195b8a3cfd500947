"""Which cases a role may see at all (the record rules), in one place:

- supervisors and admins: every case of their committee;
- police liaisons: joint cases only (source 公安机关移交);
- mediators: cases they are on (any role), cases their pairing partner (mentor or mentee) is on, and the cases of
  their own community or grid.

`case_clause` is the SQL form used by every list, search and count; `require_case` the check for one case,
used by every service that opens or changes a case. Both say the same thing.
"""

from sqlalchemy import ColumnElement, and_, false, or_, select, true
from sqlmodel import Session

from laopan.errors import NotFound, PermissionDenied
from laopan.models import Case, CaseMediator, Mediator, Pairing
from laopan.models.enums import Role
from laopan.services.actor import Actor

JOINT_ONLY = "警调联络员只能查看公安机关移交的联合调解案件"
NOT_YOURS = "调解员只能查看本人承办、参与或结对带教的案件，以及本社区/网格的案件"


def _police_source_id(session: Session, committee_id: int) -> int:
    from laopan.services.committee import load_dictionaries

    return load_dictionaries(session, committee_id).sources.get("police_referral", -1)


def _home(session: Session, actor: Actor) -> tuple[int | None, int | None]:
    if actor.mediator_id is None:
        return None, None
    row = session.execute(select(Mediator.community_id, Mediator.grid_id).where(Mediator.id == actor.mediator_id)).first()
    return (row[0], row[1]) if row else (None, None)


def case_clause(session: Session, actor: Actor) -> ColumnElement[bool]:
    """The condition on `Case` this actor's list, search and counts add (committee included)."""
    committee = Case.committee_id == actor.committee_id
    if actor.role in (Role.SUPERVISOR, Role.ADMIN):
        return committee
    if actor.role is Role.POLICE_LIAISON:
        return and_(committee, Case.source_id == _police_source_id(session, actor.committee_id))
    if actor.mediator_id is None:
        return and_(committee, false())
    me = actor.mediator_id
    partners = select(Pairing.junior_id).where(Pairing.senior_id == me).union(select(Pairing.senior_id).where(Pairing.junior_id == me))
    mine = select(CaseMediator.case_id).where(CaseMediator.mediator_id == me)
    paired = select(CaseMediator.case_id).where(CaseMediator.mediator_id.in_(partners))
    community_id, grid_id = _home(session, actor)
    home = [Case.community_id == community_id] if community_id is not None else []
    home += [Case.grid_id == grid_id] if grid_id is not None else []
    return and_(committee, or_(*home, Case.id.in_(mine), Case.id.in_(paired)))


def may_see(session: Session, actor: Actor, case: Case) -> bool:
    if case.committee_id != actor.committee_id:
        return False
    if actor.role in (Role.SUPERVISOR, Role.ADMIN):
        return True
    if actor.role is Role.POLICE_LIAISON:
        return case.source_id == _police_source_id(session, actor.committee_id)
    if actor.mediator_id is None:
        return False
    community_id, grid_id = _home(session, actor)
    if (community_id is not None and case.community_id == community_id) or (grid_id is not None and case.grid_id == grid_id):
        return True
    return session.execute(select(true()).where(Case.id == case.id, case_clause(session, actor))).first() is not None


def require_case(session: Session, actor: Actor, case_id: int) -> Case:
    """The case row, if this actor may see it: NotFound outside the committee, PermissionDenied outside the rules."""
    case = session.get(Case, case_id)
    if case is None or case.committee_id != actor.committee_id:
        raise NotFound(f"找不到案件 #{case_id}")
    if not may_see(session, actor, case):
        raise PermissionDenied(JOINT_ONLY if actor.role is Role.POLICE_LIAISON else NOT_YOURS)
    return case
