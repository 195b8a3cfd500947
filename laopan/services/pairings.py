"""老潘+小潘: pairings, the mentoring record of a junior with the seniors' review notes, and updates to a
mediator's registry entry (rank, unit, place, specialties, declared relatives) under optimistic locking."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, or_, select
from sqlmodel import Session

from laopan.errors import DomainError, NotFound, PermissionDenied
from laopan.labels import label
from laopan.models import Case, CaseMediator, Mediator, MediatorSpecialty, Pairing, ReviewNote
from laopan.models.enums import CaseMediatorRole, MediatorRank, MediatorUnit
from laopan.security.records import case_clause
from laopan.security.permissions import Action
from laopan.services import audit, locking
from laopan.services.actor import Actor
from laopan.services.cases import load_case
from laopan.services.committee import committee_settings, load_dictionaries
from laopan.services.mediators import list_mediators
from laopan.services.users import list_users
from laopan.validation import check_phone, check_resident_id
from laopan.views.mediators import MentoringRow, PairingView, RegistryDetail, ReviewNoteView


_UNSET: Any = object()


def _mediator(session: Session, actor: Actor, mediator_id: int) -> Mediator:
    mediator = session.get(Mediator, mediator_id)
    if mediator is None or mediator.committee_id != actor.committee_id:
        raise NotFound(f"找不到调解员 #{mediator_id}")
    return mediator


# ---------------------------------------------------------------- pairings


def _pairing_view(session: Session, actor: Actor, pairing: Pairing, today: dt.date) -> PairingView:
    senior, junior = session.get(Mediator, pairing.senior_id), session.get(Mediator, pairing.junior_id)
    return PairingView(
        id=pairing.id, senior_id=pairing.senior_id, senior_name=senior.name, junior_id=pairing.junior_id,
        junior_name=junior.name, started_on=pairing.started_on, ended_on=pairing.ended_on,
        active=pairing.started_on <= today and (pairing.ended_on is None or pairing.ended_on >= today), version=pairing.version,
        may_end=actor.may(Action.MANAGE_REGISTRY) and pairing.ended_on is None,
    )


def create_pairing(session: Session, *, actor: Actor, senior_id: int, junior_id: int, started_on: dt.date) -> PairingView:
    """Pair a SENIOR with a JUNIOR from `started_on` (open-ended). A junior has one pairing at a time."""
    actor.require(Action.MANAGE_REGISTRY)
    senior, junior = _mediator(session, actor, senior_id), _mediator(session, actor, junior_id)
    if senior.rank != MediatorRank.SENIOR.value:
        raise DomainError(f"老潘: {senior.name}的级别是{label(MediatorRank(senior.rank))}，须为老潘（主调）")
    if junior.rank != MediatorRank.JUNIOR.value:
        raise DomainError(f"小潘: {junior.name}的级别是{label(MediatorRank(junior.rank))}，须为小潘（辅调）")
    for person in (senior, junior):
        if not person.active:
            raise DomainError(f"调解员{person.name}已停用")
    # Locking the junior's row serialises two desks pairing the same junior at once.
    locking.lock(session, Mediator, junior.id, actor=actor, expected_version=None, what="调解员")
    overlapping = session.execute(
        select(Pairing).where(Pairing.junior_id == junior.id, or_(Pairing.ended_on.is_(None), Pairing.ended_on >= started_on))
    ).scalars().first()
    if overlapping is not None:
        other = session.get(Mediator, overlapping.senior_id)
        raise DomainError(f"{junior.name}已与{other.name}结对（#{overlapping.id}，自{overlapping.started_on.isoformat()}），请先结束该结对")
    pairing = Pairing(committee_id=actor.committee_id, senior_id=senior.id, junior_id=junior.id, started_on=started_on,
                      updated_at=actor.clock.now(), updated_by=actor.login)
    session.add(pairing)
    session.flush()
    audit.record(session, actor=actor, action="pairing.add", entity="pairing", entity_id=pairing.id,
                 changes={"senior": senior.name, "junior": junior.name, "started_on": started_on})
    return _pairing_view(session, actor, pairing, actor.today(committee_settings(session, actor.committee_id).time_zone))


def end_pairing(session: Session, *, actor: Actor, pairing_id: int, expected_version: int, ended_on: dt.date) -> PairingView:
    actor.require(Action.MANAGE_REGISTRY)
    pairing = locking.lock(session, Pairing, pairing_id, actor=actor, expected_version=expected_version, what="结对")
    if pairing.ended_on is not None:
        raise DomainError(f"结对 #{pairing.id} 已于{pairing.ended_on.isoformat()}结束")
    if ended_on < pairing.started_on:
        raise DomainError(f"结束日期: 不能早于开始日期 {pairing.started_on.isoformat()}")
    changes = locking.apply(pairing, {"ended_on": ended_on})
    locking.touch(pairing, actor=actor)
    audit.record(session, actor=actor, action="pairing.end", entity="pairing", entity_id=pairing.id, changes=changes)
    return _pairing_view(session, actor, pairing, actor.today(committee_settings(session, actor.committee_id).time_zone))


def list_pairings(session: Session, *, actor: Actor, active_only: bool = False) -> list[PairingView]:
    today = actor.today(committee_settings(session, actor.committee_id).time_zone)
    rows = session.execute(select(Pairing).where(Pairing.committee_id == actor.committee_id).order_by(Pairing.started_on, Pairing.id)).scalars()
    views = [_pairing_view(session, actor, row, today) for row in rows]
    return [v for v in views if v.active] if active_only else views


def registry(session: Session, *, actor: Actor) -> RegistryDetail:
    """Everything the 调解员 page shows, with what the actor may change there."""
    settings = committee_settings(session, actor.committee_id)
    return RegistryDetail(
        mediators=tuple(list_mediators(session, actor=actor)),
        pairings=tuple(list_pairings(session, actor=actor)),
        names={user.login: user.display_name for user in list_users(session, actor=actor)},
        today=actor.today(settings.time_zone),
        time_zone=settings.time_zone,
        may_maintain=actor.may(Action.MANAGE_REGISTRY),
        may_pair=actor.may(Action.MANAGE_REGISTRY),
    )


# ---------------------------------------------------------------- mentoring record


def mentoring_record(session: Session, *, actor: Actor, junior_id: int) -> list[MentoringRow]:
    """Every case the junior held any role on, oldest first, with the senior, outcome and review notes."""
    junior = _mediator(session, actor, junior_id)
    statement = (
        select(Case, CaseMediator.role).join(CaseMediator, CaseMediator.case_id == Case.id)
        .where(CaseMediator.mediator_id == junior.id, Case.committee_id == actor.committee_id)
        .order_by(Case.received_at, Case.id, CaseMediator.id)
    )
    statement = statement.where(case_clause(session, actor))
    entries: list[MentoringRow] = []
    seen: set[int] = set()
    for case, role in session.execute(statement):
        if case.id in seen:
            continue
        seen.add(case.id)
        senior_id, via, pairing_id = _senior_of(session, case_id=case.id, junior_id=junior.id)
        notes = session.execute(
            select(ReviewNote).where(ReviewNote.junior_id == junior.id, ReviewNote.case_id == case.id).order_by(ReviewNote.at, ReviewNote.id)
        ).scalars()
        entries.append(MentoringRow(
            case_id=case.id, intake_no=case.intake_no, parties=case.parties_display, role=role, senior_id=senior_id,
            senior_name=session.get(Mediator, senior_id).name if senior_id else None, via=via, pairing_id=pairing_id,
            status=case.status, notes=tuple(ReviewNoteView(n.id, n.note, n.by_login, n.at) for n in notes),
            may_note=_may_note(actor, senior_id),
        ))
    return entries


def _senior_of(session: Session, *, case_id: int, junior_id: int) -> tuple[int | None, str | None, int | None]:
    rows = session.execute(
        select(CaseMediator, Mediator).join(Mediator, Mediator.id == CaseMediator.mediator_id)
        .where(CaseMediator.case_id == case_id).order_by(CaseMediator.id)
    ).all()
    for case_mediator, _ in rows:
        if case_mediator.pairing_id is not None:
            pairing = session.get(Pairing, case_mediator.pairing_id)
            if pairing is not None and pairing.junior_id == junior_id:
                return pairing.senior_id, "pairing", pairing.id
    for case_mediator, mediator in rows:
        if (case_mediator.role == CaseMediatorRole.LEAD.value and mediator.id != junior_id
                and mediator.rank == MediatorRank.SENIOR.value):
            return mediator.id, "lead", None
    return None, None, None


def _may_note(actor: Actor, senior_id: int | None) -> bool:
    return actor.is_supervisor or (actor.mediator_id is not None and actor.mediator_id == senior_id)


def add_review_note(session: Session, *, actor: Actor, junior_id: int, case_id: int, note: str) -> ReviewNoteView:
    """A review of the junior's work on the case, by that case's senior (see `mentoring_record`) or a supervisor.

    Notes belong to the mentoring record, not the case file, so they may be added after the case is closed.
    """
    junior = _mediator(session, actor, junior_id)
    load_case(session, actor=actor, case_id=case_id)
    if session.execute(select(CaseMediator.id).where(CaseMediator.case_id == case_id, CaseMediator.mediator_id == junior.id)).first() is None:
        raise DomainError(f"{junior.name}没有参与该案件")
    senior_id, _, pairing_id = _senior_of(session, case_id=case_id, junior_id=junior.id)
    if not _may_note(actor, senior_id):
        raise PermissionDenied("只有带教该案的老潘（主调）或主任可以写点评")
    text = (note or "").strip()
    if not text:
        raise DomainError("点评: 不能为空")
    row = ReviewNote(case_id=case_id, junior_id=junior.id, senior_id=senior_id, pairing_id=pairing_id, note=text,
                     by_login=actor.login, at=actor.clock.now())
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="review.add", entity="review_note", entity_id=row.id,
                 changes={"case_id": case_id, "junior": junior.name, "note": text})
    return ReviewNoteView(row.id, row.note, row.by_login, row.at)


# ---------------------------------------------------------------- mediator updates


@dataclass(frozen=True)
class MediatorChange:
    id: int
    name: str
    version: int
    changes: dict[str, Any]


def update_mediator(
    session: Session,
    *,
    actor: Actor,
    mediator_id: int,
    expected_version: int,
    rank: MediatorRank | str = _UNSET,
    unit: MediatorUnit | str = _UNSET,
    community: str | None = _UNSET,
    grid: str | None = _UNSET,
    active: bool = _UNSET,
    specialties: Sequence[str] = _UNSET,
    declared_relatives: Sequence[str] = _UNSET,
    phone: str | None = _UNSET,
    id_number: str | None = _UNSET,
    address: str | None = _UNSET,
    work_unit: str | None = _UNSET,
) -> MediatorChange:
    """Change the given fields of a registry entry; omitted ones stay. Specialties are dispute-type codes."""
    actor.require(Action.MANAGE_REGISTRY)
    mediator = locking.lock(session, Mediator, mediator_id, actor=actor, expected_version=expected_version, what="调解员")
    dicts = load_dictionaries(session, actor.committee_id)
    values: dict[str, Any] = {}
    if rank is not _UNSET:
        values["rank"] = MediatorRank(rank).value
    if unit is not _UNSET:
        values["unit"] = MediatorUnit(unit).value
    if community is not _UNSET:
        if community and community not in dicts.communities:
            raise NotFound(f"社区: 没有名为“{community}”的社区")
        values["community_id"] = dicts.communities[community] if community else None
        if grid is _UNSET and mediator.grid_id is not None and values["community_id"] != mediator.community_id:
            values["grid_id"] = None
    if grid is not _UNSET:
        community_id = values.get("community_id", mediator.community_id)
        if grid and (community_id, grid) not in dicts.grids:
            raise NotFound(f"网格: {dicts.community_names.get(community_id, '所属社区')}没有“{grid}”")
        values["grid_id"] = dicts.grids[(community_id, grid)] if grid else None
    if active is not _UNSET:
        values["active"] = bool(active)
    if declared_relatives is not _UNSET:
        values["declared_relatives"] = [n.strip() for n in declared_relatives if n and n.strip()]
    if phone is not _UNSET:
        values["phone"] = check_phone(phone, field="电话") if phone else None
    if id_number is not _UNSET:
        values["id_number"] = check_resident_id(id_number, field="身份证号", today=actor.today(committee_settings(session, actor.committee_id).time_zone)).number if id_number else None
    for name, value in (("address", address), ("work_unit", work_unit)):
        if value is not _UNSET:
            values[name] = (value or "").strip() or None
    unit_after = values.get("unit", mediator.unit)
    if unit_after in (MediatorUnit.GRID.value, MediatorUnit.COMMUNITY.value) and values.get("community_id", mediator.community_id) is None:
        raise DomainError("社区: 网格、社区调解员须指定所属社区")
    changes = locking.apply(mediator, values)
    if specialties is not _UNSET:
        changes.update(_set_specialties(session, actor=actor, mediator=mediator, codes=list(specialties), dicts=dicts))
    if changes:
        locking.touch(mediator, actor=actor)
        session.flush()
        audit.record(session, actor=actor, action="mediator.update", entity="mediator", entity_id=mediator.id, changes=changes)
    return MediatorChange(id=mediator.id, name=mediator.name, version=mediator.version, changes=changes)


def _set_specialties(session: Session, *, actor: Actor, mediator: Mediator, codes: list[str], dicts) -> dict[str, Any]:
    unknown = [code for code in codes if code not in dicts.dispute_types]
    if unknown:
        raise NotFound(f"专长: 未知的纠纷类型代码“{'、'.join(unknown)}”")
    old_ids = set(session.execute(select(MediatorSpecialty.dispute_type_id).where(MediatorSpecialty.mediator_id == mediator.id)).scalars())
    new_ids = {dicts.dispute_types[code] for code in codes}
    if old_ids == new_ids:
        return {}
    session.execute(delete(MediatorSpecialty).where(MediatorSpecialty.mediator_id == mediator.id))
    for type_id in sorted(new_ids):
        session.add(MediatorSpecialty(mediator_id=mediator.id, dispute_type_id=type_id))

    def codes_of(ids: set[int]) -> list[str]:
        return sorted(dicts.dispute_type_codes[i] for i in ids)

    return {"specialties": [codes_of(old_ids), codes_of(new_ids)]}


def find_mediator(session: Session, *, actor: Actor, name: str) -> Mediator:
    """The mediator of that name (or "#ID"); refuses an unknown or ambiguous name."""
    text = name.strip()
    if text.startswith("#") and text[1:].isdigit():
        return _mediator(session, actor, int(text[1:]))
    rows = session.execute(select(Mediator).where(Mediator.committee_id == actor.committee_id, Mediator.name == text).order_by(Mediator.id)).scalars().all()
    if not rows:
        raise NotFound(f"调解员名册中没有“{text}”")
    if len(rows) > 1:
        ids = "、".join(f"#{m.id}" for m in rows)
        raise DomainError(f"名册中有 {len(rows)} 位“{text}”（{ids}），请用 #编号 指定")
    return rows[0]
