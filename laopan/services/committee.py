"""Setting up a committee (`laopan init`) and reading its settings and dictionaries."""

from dataclasses import dataclass

from sqlmodel import Session, select

from laopan.clock import Clock, system_clock
from laopan.errors import DomainError, NotFound, ValidationError
from laopan.models import CaseSource, Committee, Community, DisputeType, Grid, PoliceStation, User
from laopan.models.enums import COMMUNITIES, DEFAULT_COMMITTEE, DEFAULT_STATION, DISPUTE_TYPES, SOURCES, Role
from laopan.security.passwords import check_new_password, hash_password, normalize_login
from laopan.settings import CommitteeSettings
from laopan.views.committee import CommitteeView

# Dongliu's grids per community (the street's own grid map; a new committee fills its own).
DONGLIU_GRIDS: dict[str, int] = {
    "安居": 4, "东海花园": 3, "东柳坊": 5, "华光城": 6, "华侨城": 4, "锦苑": 3,
    "太古城": 5, "幸福苑": 4, "园丁": 3, "月季": 3, "中兴": 4,
}


def grid_name(community: str, n: int) -> str:
    return f"{community}第{n}网格"


def init_committee(
    session: Session,
    *,
    name: str = DEFAULT_COMMITTEE,
    admin_login: str = "admin",
    admin_name: str = "管理员",
    admin_password: str | None = None,
    clock: Clock | None = None,
) -> CommitteeView:
    """Create a committee with its dictionaries and an administrator.

    The default committee gets Dongliu's 11 communities, their grids and 东柳派出所; one set up under another
    name gets the national dictionaries (dispute types, sources) and empty local ones to fill.
    """
    name = name.strip()
    if not name:
        raise DomainError("调委会名称不能为空")
    if session.exec(select(Committee).where(Committee.name == name)).first():
        raise DomainError(f"调委会“{name}”已存在")
    now = (clock or system_clock()).now()
    committee = Committee(name=name, settings=CommitteeSettings().model_dump(), created_at=now)
    session.add(committee)
    session.flush()
    assert committee.id is not None
    for order, (code, label) in enumerate(DISPUTE_TYPES.items()):
        session.add(DisputeType(committee_id=committee.id, code=code, label=label, sort_order=order))
    for order, (code, label) in enumerate(SOURCES.items()):
        session.add(CaseSource(committee_id=committee.id, code=code, label=label, sort_order=order))
    if name == DEFAULT_COMMITTEE:
        for order, community_name in enumerate(COMMUNITIES):
            community = Community(committee_id=committee.id, name=community_name, sort_order=order)
            session.add(community)
            session.flush()
            for n in range(1, DONGLIU_GRIDS[community_name] + 1):
                session.add(Grid(community_id=community.id, name=grid_name(community_name, n)))
        session.add(PoliceStation(committee_id=committee.id, name=DEFAULT_STATION))
    admin_login = normalize_login(admin_login)
    if not admin_login:
        raise ValidationError("登录名", "管理员登录名不能为空")
    admin = User(committee_id=committee.id, login=admin_login, display_name=admin_name, role=Role.ADMIN.value, created_at=now)
    if admin_password is not None:  # None: no password yet, so no login until one is set
        check_new_password(admin_password)
        admin.password_hash = hash_password(admin_password)
        admin.password_changed_at = now
    session.add(admin)
    session.flush()
    return CommitteeView(id=committee.id, name=committee.name, admin_login=admin_login)


def committee_settings(session: Session, committee_id: int) -> CommitteeSettings:
    committee = session.get(Committee, committee_id)
    if committee is None:
        raise NotFound(f"找不到调委会 #{committee_id}")
    return CommitteeSettings.model_validate(committee.settings)


def committees(session: Session) -> list[CommitteeView]:
    rows = session.exec(select(Committee).order_by(Committee.id)).all()
    return [CommitteeView(id=row.id, name=row.name, admin_login="") for row in rows]


@dataclass(frozen=True)
class Dictionaries:
    """A snapshot of one committee's dictionaries, for resolving names and codes in bulk."""

    communities: dict[str, int]
    community_names: dict[int, str]
    grids: dict[tuple[int, str], int]
    grid_names: dict[int, str]
    stations: dict[str, int]
    station_names: dict[int, str]
    dispute_types: dict[str, int]
    dispute_type_codes: dict[int, str]
    dispute_type_labels: dict[int, str]
    sources: dict[str, int]
    source_codes: dict[int, str]
    source_labels: dict[int, str]


def load_dictionaries(session: Session, committee_id: int) -> Dictionaries:
    communities = session.exec(select(Community).where(Community.committee_id == committee_id).order_by(Community.sort_order, Community.id)).all()
    community_ids = [c.id for c in communities]
    grids = session.exec(select(Grid).where(Grid.community_id.in_(community_ids))).all() if community_ids else []
    stations = session.exec(select(PoliceStation).where(PoliceStation.committee_id == committee_id)).all()
    types = session.exec(select(DisputeType).where(DisputeType.committee_id == committee_id).order_by(DisputeType.sort_order)).all()
    sources = session.exec(select(CaseSource).where(CaseSource.committee_id == committee_id).order_by(CaseSource.sort_order)).all()
    return Dictionaries(
        communities={c.name: c.id for c in communities},
        community_names={c.id: c.name for c in communities},
        grids={(g.community_id, g.name): g.id for g in grids},
        grid_names={g.id: g.name for g in grids},
        stations={s.name: s.id for s in stations},
        station_names={s.id: s.name for s in stations},
        dispute_types={t.code: t.id for t in types},
        dispute_type_codes={t.id: t.code for t in types},
        dispute_type_labels={t.id: t.label for t in types},
        sources={s.code: s.id for s in sources},
        source_codes={s.id: s.code for s in sources},
        source_labels={s.id: s.label for s in sources},
    )
