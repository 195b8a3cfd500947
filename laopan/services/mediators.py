"""The mediator registry (调解员名册).

A `MediatorView` masks the mediator's ID number and address, as the case detail masks a party's; with
`reveal` (registry maintainers only, audited) they come in full, which the edit dialog needs. Changes to an
entry go through `laopan.services.pairings.update_mediator`, which checks `MediatorView.version`.
"""


from collections.abc import Callable, Sequence

from sqlalchemy import func, select
from sqlmodel import Session

from laopan.errors import DomainError, NotFound
from laopan.models import Case, CaseMediator, Community, DisputeType, Grid, Mediator, MediatorSpecialty
from laopan.models.enums import CaseMediatorRole, MediatorRank, MediatorUnit
from laopan.security.permissions import Action
from laopan.services import audit
from laopan.services.actor import Actor
from laopan.services.cases import OPEN_STATUSES
from laopan.services.committee import committee_settings
from laopan.validation import check_phone, check_resident_id, mask_address, mask_id_number
from laopan.views.mediators import MediatorView



def add_mediator(
    session: Session,
    *,
    actor: Actor,
    name: str,
    rank: MediatorRank = MediatorRank.SENIOR,
    unit: MediatorUnit = MediatorUnit.STREET,
    community: str | None = None,
    grid: str | None = None,
    phone: str | None = None,
    id_number: str | None = None,
    address: str | None = None,
    work_unit: str | None = None,
    specialties: tuple[str, ...] = (),
    declared_relatives: Sequence[str] = (),
) -> MediatorView:
    """Add a registry entry; `specialties` are dispute-type codes, `declared_relatives` names (for 回避)."""
    actor.require(Action.MANAGE_REGISTRY)
    name = name.strip()
    if not name:
        raise DomainError("姓名: 不能为空")
    community_id = grid_id = None
    if community:
        row = session.execute(select(Community).where(Community.committee_id == actor.committee_id, Community.name == community)).scalar_one_or_none()
        if row is None:
            raise NotFound(f"社区: 没有名为“{community}”的社区")
        community_id = row.id
    if grid:
        if community_id is None:
            raise DomainError("网格: 请同时指定所属社区")
        grid_row = session.execute(select(Grid).where(Grid.community_id == community_id, Grid.name == grid)).scalar_one_or_none()
        if grid_row is None:
            raise NotFound(f"网格: {community}社区没有“{grid}”")
        grid_id = grid_row.id
    if unit in (MediatorUnit.GRID, MediatorUnit.COMMUNITY) and community_id is None:
        raise DomainError("社区: 网格、社区调解员须指定所属社区")
    today = actor.today(committee_settings(session, actor.committee_id).time_zone)
    mediator = Mediator(
        committee_id=actor.committee_id, name=name, rank=rank.value, unit=unit.value, community_id=community_id,
        grid_id=grid_id, phone=check_phone(phone) if phone else None,
        id_number=check_resident_id(id_number, today=today).number if id_number else None,
        address=address, work_unit=work_unit, created_at=actor.clock.now(),
        declared_relatives=[n.strip() for n in declared_relatives if n and n.strip()],
    )
    session.add(mediator)
    session.flush()
    for code in specialties:
        type_id = session.execute(select(DisputeType.id).where(DisputeType.committee_id == actor.committee_id, DisputeType.code == code)).scalar_one_or_none()
        if type_id is None:
            raise NotFound(f"专长: 未知的纠纷类型代码“{code}”")
        session.add(MediatorSpecialty(mediator_id=mediator.id, dispute_type_id=type_id))
    session.flush()
    changes = {"name": name, "rank": rank.value, "unit": unit.value}
    if mediator.declared_relatives:
        changes["declared_relatives"] = mediator.declared_relatives
    audit.record(session, actor=actor, action="mediator.add", entity="mediator", entity_id=mediator.id, changes=changes)
    return _views(session, actor=actor, mediator_id=mediator.id)[0]


def list_mediators(session: Session, *, actor: Actor, active_only: bool = False, reveal: bool = False) -> list[MediatorView]:
    """The committee's registry by name; ID numbers and addresses masked unless `reveal` (audited)."""
    if reveal:
        _require_reveal(actor)
    views = _views(session, actor=actor, active_only=active_only, reveal=reveal)
    if reveal:
        audit.record(session, actor=actor, action="mediator.reveal", entity="mediator", entity_id=None, note="查看调解员完整个人信息")
    return views


def mediator_view(session: Session, *, actor: Actor, mediator_id: int, reveal: bool = False) -> MediatorView:
    """One registry entry, fresh (what an edit starts from). With `reveal`, in full; audited when it unmasks anything."""
    if reveal:
        _require_reveal(actor)
    views = _views(session, actor=actor, mediator_id=mediator_id, reveal=reveal)
    if not views:
        raise NotFound(f"找不到调解员 #{mediator_id}")
    if reveal and (views[0].id_number or views[0].address):
        audit.record(session, actor=actor, action="mediator.reveal", entity="mediator", entity_id=mediator_id, note="查看调解员完整个人信息")
    return views[0]


def _require_reveal(actor: Actor) -> None:
    actor.require(Action.MANAGE_REGISTRY)  # who maintains the registry reads it in full


def _views(session: Session, *, actor: Actor, active_only: bool = False, mediator_id: int | None = None,
           reveal: bool = False) -> list[MediatorView]:
    workload: dict[int, int] = dict(
        session.execute(
            select(CaseMediator.mediator_id, func.count())
            .join(Case, Case.id == CaseMediator.case_id)
            .where(Case.committee_id == actor.committee_id, Case.status.in_(OPEN_STATUSES), CaseMediator.role == CaseMediatorRole.LEAD.value)
            .group_by(CaseMediator.mediator_id)
        ).all()
    )
    specialties: dict[int, list[tuple[str, str]]] = {}
    for owner_id, code, label in session.execute(
        select(MediatorSpecialty.mediator_id, DisputeType.code, DisputeType.label)
        .join(DisputeType, DisputeType.id == MediatorSpecialty.dispute_type_id)
        .where(DisputeType.committee_id == actor.committee_id).order_by(DisputeType.sort_order)
    ):
        specialties.setdefault(owner_id, []).append((code, label))
    statement = (
        select(Mediator, Community.name, Grid.name)
        .join(Community, Community.id == Mediator.community_id, isouter=True)
        .join(Grid, Grid.id == Mediator.grid_id, isouter=True)
        .where(Mediator.committee_id == actor.committee_id)
        .order_by(Mediator.name, Mediator.id)
    )
    if active_only:
        statement = statement.where(Mediator.active.is_(True))
    if mediator_id is not None:
        statement = statement.where(Mediator.id == mediator_id)

    def shown(value: str | None, mask: Callable[[str], str]) -> str | None:
        return value if (reveal or not value) else mask(value)

    return [
        MediatorView(
            id=m.id, name=m.name, rank=m.rank, unit=m.unit, community=community, grid=grid, phone=m.phone,
            work_unit=m.work_unit, specialties=tuple(label for _, label in specialties.get(m.id, ())), active=m.active,
            imported=m.imported, open_cases=workload.get(m.id, 0),
            version=m.version, community_id=m.community_id, grid_id=m.grid_id,
            id_number=shown(m.id_number, mask_id_number), address=shown(m.address, mask_address),
            declared_relatives=tuple(m.declared_relatives or ()),
            specialty_codes=tuple(code for code, _ in specialties.get(m.id, ())), revealed=reveal,
        )
        for m, community, grid in session.execute(statement)
    ]


