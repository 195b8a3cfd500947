"""The committee's dictionaries: communities, grids, police stations, dispute types, case sources."""

import re

from sqlmodel import Session, select

from laopan.errors import DomainError, NotFound
from laopan.models import CaseSource, Community, DisputeType, Grid, PoliceStation
from laopan.security.permissions import Action
from laopan.services import audit
from laopan.services.actor import Actor
from laopan.views.committee import DictEntry

KINDS = {"community": "社区", "grid": "网格", "station": "派出所", "dispute_type": "纠纷类型", "source": "案件来源"}


def list_entries(session: Session, *, actor: Actor, kind: str) -> list[DictEntry]:
    cid = actor.committee_id
    if kind == "community":
        rows = session.exec(select(Community).where(Community.committee_id == cid).order_by(Community.sort_order, Community.id))
        return [DictEntry(kind, None, c.name) for c in rows]
    if kind == "grid":
        rows = session.exec(
            select(Grid, Community.name).join(Community, Community.id == Grid.community_id)
            .where(Community.committee_id == cid).order_by(Community.sort_order, Grid.id)
        )
        return [DictEntry(kind, None, g.name, parent) for g, parent in rows]
    if kind == "station":
        rows = session.exec(select(PoliceStation).where(PoliceStation.committee_id == cid).order_by(PoliceStation.id))
        return [DictEntry(kind, None, s.name) for s in rows]
    if kind == "dispute_type":
        rows = session.exec(select(DisputeType).where(DisputeType.committee_id == cid).order_by(DisputeType.sort_order))
        return [DictEntry(kind, t.code, t.label) for t in rows]
    if kind == "source":
        rows = session.exec(select(CaseSource).where(CaseSource.committee_id == cid).order_by(CaseSource.sort_order))
        return [DictEntry(kind, s.code, s.label) for s in rows]
    raise DomainError(f"未知的字典种类“{kind}”，可选：{', '.join(KINDS)}")


def add_entry(
    session: Session, *, actor: Actor, kind: str, name: str, community: str | None = None, code: str | None = None
) -> DictEntry:
    """Add a community, grid (under `community`), station, or dispute type/source (with a `code`)."""
    actor.require(Action.MANAGE_DICTIONARIES)
    name = name.strip()
    if not name:
        raise DomainError(f"{KINDS.get(kind, '名称')}名称不能为空")
    cid = actor.committee_id
    existing = {entry.name for entry in list_entries(session, actor=actor, kind=kind)}
    if name in existing:
        raise DomainError(f"{KINDS[kind]}“{name}”已存在")
    parent = None
    if kind == "community":
        order = len(existing)
        row = Community(committee_id=cid, name=name, sort_order=order)
    elif kind == "grid":
        if not community:
            raise DomainError("添加网格须指定所属社区（--community）")
        parent_row = session.exec(select(Community).where(Community.committee_id == cid, Community.name == community)).first()
        if parent_row is None:
            raise NotFound(f"没有名为“{community}”的社区")
        if not re.fullmatch(rf"{re.escape(community)}第\d+网格", name):
            raise DomainError(f"网格名称应为“{community}第N网格”")
        row, parent = Grid(community_id=parent_row.id, name=name), community
    elif kind == "station":
        row = PoliceStation(committee_id=cid, name=name)
    elif kind in ("dispute_type", "source"):
        if not code or not re.fullmatch(r"[a-z][a-z0-9_]*", code):
            raise DomainError("代码须为英文小写加下划线，如 school_safety（--code）")
        model = DisputeType if kind == "dispute_type" else CaseSource
        row = model(committee_id=cid, code=code, label=name, sort_order=len(existing))
    else:
        raise DomainError(f"未知的字典种类“{kind}”，可选：{', '.join(KINDS)}")
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="dict.add", entity=kind, entity_id=row.id, changes={"name": name, "code": code, "parent": parent})
    return DictEntry(kind, code, name, parent)
