"""Mediators on a case (人民调解法 Art. 19): assigning and removing, the recusal check (回避) and suggestions.

A case has at most one LEAD (主持人) plus any assistants (辅调) and recorders (记录人); `Case.lead_name` follows
the lead. Assigning a mediator whom the recusal check matches needs a decision (kept or replaced, with a
reason), recorded in `RecusalDecision` and the audit.
"""

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlmodel import Session

from laopan.errors import DomainError, NotFound
from laopan.labels import label
from laopan.models import Agent, Case, CaseMediator, Mediator, MediatorSpecialty, Pairing, Party, RecusalDecision
from laopan.models.enums import CaseMediatorRole, MediatorRank, MediatorUnit, PartyKind, PartyRole
from laopan.models.decisions import RecusalOutcome
from laopan.security.permissions import Action
from laopan.services import audit, locking
from laopan.services.actor import Actor
from laopan.services.cases import load_case
from laopan.services.committee import committee_settings, load_dictionaries
from laopan.views.assignment import RecusalMatch, ScorePart, Suggestion


@dataclass(frozen=True)
class RecusalChoice:
    """The user's decision when the recusal check matched: keep the mediator (reason required) or replace."""

    decision: RecusalOutcome
    reason: str = ""


class RecusalRequired(DomainError):
    """Assigning needs a recusal decision; `matches` lists what matched."""

    def __init__(self, mediator_name: str, matches: list[RecusalMatch]):
        self.matches = matches
        lines = "\n".join(f"  - {m.message}" for m in matches)
        super().__init__(f"调解员{mediator_name}可能需要回避：\n{lines}\n请决定保留（说明理由）或更换")


@dataclass(frozen=True)
class Assignment:
    """The case after assigning; `assigned` is False when the recusal decision replaced the mediator."""

    case: locking.CaseChange
    assigned: bool
    matches: tuple[RecusalMatch, ...] = ()


# ---------------------------------------------------------------- recusal


_ADMIN_PREFIX = re.compile(
    r"^(?:[^省]{1,7}省)?(?:[^市]{1,7}市)?(?:[^区县]{1,7}?(?<!小)[区县])?(?:[^街镇乡]{1,8}?(?:街道|镇|乡))?(?:[^社]{1,8}?社区)?"
)
_BUILDING = re.compile(r"^(.*?\d+)幢")


def normalise_address(address: str | None) -> str:
    """An address without the province/city/district/street prefix; 栋 and 号楼 become 幢."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", address or ""))
    text = text.replace("号楼", "幢").replace("栋", "幢")
    return _ADMIN_PREFIX.sub("", text, count=1)


def building_key(address: str | None) -> str | None:
    """"宁波市鄞州区东柳街道华光城12幢2单元301室" → "华光城12幢" (None when no building is named)."""
    found = _BUILDING.match(normalise_address(address))
    return f"{found.group(1)}幢" if found and not found.group(1).isdigit() else None


def _same(a: str | None, b: str | None) -> bool:
    return bool(a and b and re.sub(r"[\s\-]", "", a).upper() == re.sub(r"[\s\-]", "", b).upper())


def recusal_matches(session: Session, *, actor: Actor, case_id: int, mediator_id: int) -> list[RecusalMatch]:
    """Everything that ties the mediator to the case's parties and agents, each said in Chinese."""
    load_case(session, actor=actor, case_id=case_id)
    return _matches(session, actor=actor, case_id=case_id, mediator=_mediator(session, actor, mediator_id))


_Person = tuple[str, Party | Agent, str]  # (how the message names them, the row, their role in the case)


def _people(session: Session, case_id: int) -> list[_Person]:
    """The case's parties and agents, each with the words the recusal messages use for them."""
    parties = session.execute(select(Party).where(Party.case_id == case_id).order_by(Party.seq)).scalars().all()
    agents = {a.party_id: a for a in session.execute(select(Agent).where(Agent.party_id.in_([p.id for p in parties]))).scalars()} if parties else {}
    people: list[_Person] = []
    for party in parties:
        side = label(PartyRole(party.role))
        people.append((f"{side}{party.name}", party, side))
        if party.id in agents:
            people.append((f"{side}{party.name}的代理人{agents[party.id].name}", agents[party.id], f"{side}{party.name}的代理人"))
    return people


def _matches(
    session: Session, *, actor: Actor, case_id: int, mediator: Mediator, people: list[_Person] | None = None
) -> list[RecusalMatch]:
    found: list[RecusalMatch] = []
    relatives = {name.strip() for name in mediator.declared_relatives if name.strip()}
    own_building = building_key(mediator.address)
    people = _people(session, case_id) if people is None else people
    for who, person, role_text in people:
        id_number = getattr(person, "id_number", None)
        if _same(mediator.id_number, id_number):
            if person.name == mediator.name:
                found.append(RecusalMatch("same_person", f"与{who}是同一人（姓名和身份证号相同）"))
            else:
                found.append(RecusalMatch("same_id", f"与{who}身份证号相同"))
        if mediator.address and person.address:
            if normalise_address(mediator.address) == normalise_address(person.address):
                found.append(RecusalMatch("same_address", f"与{who}住址相同"))
            elif own_building and own_building == building_key(person.address):
                found.append(RecusalMatch("same_building", f"与{who}住同一栋楼（{own_building}）"))
        if _same(mediator.phone, person.phone):
            found.append(RecusalMatch("same_phone", f"与{who}电话相同"))
        if person.name in relatives:
            found.append(RecusalMatch("relative", f"申报的亲属{person.name}是本案{role_text}"))
        if isinstance(person, Party) and person.kind == PartyKind.ORGANIZATION.value and _works_at(mediator.work_unit, person.name):
            found.append(RecusalMatch("work_unit", f"在本案{who}工作（工作单位：{mediator.work_unit}）"))
    found += _former_party(session, actor=actor, case_id=case_id, mediator=mediator)
    return found


def _works_at(work_unit: str | None, organisation: str) -> bool:
    if not work_unit or not work_unit.strip():
        return False
    unit = work_unit.strip()
    return unit == organisation or (len(unit) >= 4 and unit in organisation) or (len(organisation) >= 4 and organisation in unit)


def _former_party(session: Session, *, actor: Actor, case_id: int, mediator: Mediator) -> list[RecusalMatch]:
    same_person = []
    if mediator.id_number:
        same_person.append(Party.id_number == mediator.id_number)
    if mediator.phone:
        same_person.append((Party.name == mediator.name) & (Party.phone == mediator.phone))
    if not same_person:
        return []
    rows = session.execute(
        select(Case.intake_no, Party.role).join(Case, Case.id == Party.case_id)
        .where(Case.committee_id == actor.committee_id, Party.committee_id == actor.committee_id, Case.id != case_id,
               or_(*same_person))
        .order_by(Case.received_at, Case.id).limit(5)
    ).all()
    return [RecusalMatch("former_party", f"本人曾是案件{no}的{label(PartyRole(role))}") for no, role in rows]


# ---------------------------------------------------------------- assigning


def _mediator(session: Session, actor: Actor, mediator_id: int) -> Mediator:
    mediator = session.get(Mediator, mediator_id)
    if mediator is None or mediator.committee_id != actor.committee_id:
        raise NotFound(f"找不到调解员 #{mediator_id}")
    return mediator


def mediator_lines(session: Session, case_id: int) -> list[str]:
    """"潘明杰（主持人）" for each mediator of the case, in assignment order (what the audit compares)."""
    rows = session.execute(
        select(Mediator.name, CaseMediator.role).join(Mediator, Mediator.id == CaseMediator.mediator_id)
        .where(CaseMediator.case_id == case_id).order_by(CaseMediator.id)
    ).all()
    return [f"{name}（{label(CaseMediatorRole(role))}）" for name, role in rows]


def sync_lead_name(session: Session, case: Case) -> None:
    session.flush()
    case.lead_name = session.execute(
        select(Mediator.name).join(CaseMediator, CaseMediator.mediator_id == Mediator.id)
        .where(CaseMediator.case_id == case.id, CaseMediator.role == CaseMediatorRole.LEAD.value).order_by(CaseMediator.id)
    ).scalars().first()


def assign_mediator(
    session: Session,
    *,
    actor: Actor,
    case_id: int,
    expected_version: int,
    mediator_id: int,
    role: CaseMediatorRole = CaseMediatorRole.LEAD,
    pairing_id: int | None = None,
    recusal: RecusalChoice | None = None,
) -> Assignment:
    """Put a mediator on the case in `role`, optionally as a member of a pairing.

    Raises:
        RecusalRequired: The recusal check matched and no decision was given (nothing saved).
        DomainError: A second lead, an inactive or unranked mediator, a pairing the mediator is not in.
    """
    actor.require(Action.ASSIGN)
    case = locking.lock_case(session, actor=actor, case_id=case_id, expected_version=expected_version)
    before = mediator_lines(session, case.id)
    old_lead = case.lead_name
    result = add_to_case(session, actor=actor, case=case, mediator_id=mediator_id, role=role, pairing_id=pairing_id, recusal=recusal)
    changes: dict = {}
    if result.assigned:
        sync_lead_name(session, case)
        changes = {"mediators": [before, mediator_lines(session, case.id)]}
        if case.lead_name != old_lead:
            changes["lead_name"] = [old_lead, case.lead_name]
        locking.touch(case, actor=actor)
        audit.record(session, actor=actor, action="case.assign", entity="case", entity_id=case.id, changes=changes)
    return Assignment(case=locking.case_change(case, changes), assigned=result.assigned, matches=result.matches)


@dataclass(frozen=True)
class _Added:
    assigned: bool
    matches: tuple[RecusalMatch, ...]


def add_to_case(
    session: Session,
    *,
    actor: Actor,
    case: Case,
    mediator_id: int,
    role: CaseMediatorRole,
    pairing_id: int | None,
    recusal: RecusalChoice | None,
) -> _Added:
    """The checks and rows of an assignment on a case already locked (used by escalation too)."""
    role = CaseMediatorRole(role)
    mediator = _mediator(session, actor, mediator_id)
    if not mediator.active:
        raise DomainError(f"调解员{mediator.name}已停用")
    if mediator.rank == MediatorRank.UNKNOWN.value:
        raise DomainError(f"调解员{mediator.name}的级别未定，须先由管理员设定（laopan mediator update）")
    current = session.execute(select(CaseMediator).where(CaseMediator.case_id == case.id)).scalars().all()
    for row in current:
        if row.mediator_id == mediator.id:
            raise DomainError(f"{mediator.name}已是本案的{label(CaseMediatorRole(row.role))}")
    if role is CaseMediatorRole.LEAD and any(row.role == CaseMediatorRole.LEAD.value for row in current):
        raise DomainError(f"本案已有主持人{case.lead_name or ''}，一个案件只能有一名主持人，请先撤下")
    if pairing_id is not None:
        _check_pairing(session, actor=actor, pairing_id=pairing_id, mediator=mediator)
    matches = tuple(_matches(session, actor=actor, case_id=case.id, mediator=mediator))
    if matches:
        if recusal is None:
            raise RecusalRequired(mediator.name, list(matches))
        decision = RecusalOutcome(recusal.decision)
        reason = (recusal.reason or "").strip()
        if decision is RecusalOutcome.KEPT and not reason:
            raise DomainError("回避理由: 保留存在回避情形的调解员须说明理由")
        row = RecusalDecision(
            case_id=case.id, mediator_id=mediator.id, matches=[{"kind": m.kind, "message": m.message} for m in matches],
            decision=decision.value, reason=reason or None, by_login=actor.login, at=actor.clock.now(),
        )
        session.add(row)
        session.flush()
        audit.record(
            session, actor=actor, action="recusal.decide", entity="recusal_decision", entity_id=row.id,
            changes={"case_id": case.id, "mediator": mediator.name, "decision": decision.value, "matches": [m.message for m in matches]},
            note=reason or None, case_id=case.id,
        )
        if decision is RecusalOutcome.REPLACED:
            return _Added(assigned=False, matches=matches)
    session.add(
        CaseMediator(case_id=case.id, mediator_id=mediator.id, role=role.value, pairing_id=pairing_id,
                     assigned_at=actor.clock.now(), assigned_by=actor.login)
    )
    session.flush()
    return _Added(assigned=True, matches=matches)


def _check_pairing(session: Session, *, actor: Actor, pairing_id: int, mediator: Mediator) -> None:
    pairing = session.get(Pairing, pairing_id)
    if pairing is None or pairing.committee_id != actor.committee_id:
        raise NotFound(f"找不到结对 #{pairing_id}")
    if mediator.id not in (pairing.senior_id, pairing.junior_id):
        raise DomainError(f"{mediator.name}不在结对 #{pairing_id} 中")
    today = actor.today(committee_settings(session, actor.committee_id).time_zone)
    if pairing.started_on > today or (pairing.ended_on is not None and pairing.ended_on < today):
        raise DomainError(f"结对 #{pairing_id} 不在有效期内")


def unassign_mediator(
    session: Session, *, actor: Actor, case_id: int, expected_version: int, mediator_id: int, role: CaseMediatorRole | None = None
) -> locking.CaseChange:
    """Take a mediator off the case (every role, or only `role`). The audit keeps who was there."""
    actor.require(Action.ASSIGN)
    case = locking.lock_case(session, actor=actor, case_id=case_id, expected_version=expected_version)
    mediator = _mediator(session, actor, mediator_id)
    statement = select(CaseMediator).where(CaseMediator.case_id == case.id, CaseMediator.mediator_id == mediator.id)
    if role is not None:
        statement = statement.where(CaseMediator.role == CaseMediatorRole(role).value)
    rows = session.execute(statement).scalars().all()
    if not rows:
        raise DomainError(f"{mediator.name}不是本案的调解员")
    before, old_lead = mediator_lines(session, case.id), case.lead_name
    for row in rows:
        session.delete(row)
    sync_lead_name(session, case)
    changes: dict = {"mediators": [before, mediator_lines(session, case.id)]}
    if case.lead_name != old_lead:
        changes["lead_name"] = [old_lead, case.lead_name]
    locking.touch(case, actor=actor)
    audit.record(session, actor=actor, action="case.unassign", entity="case", entity_id=case.id, changes=changes)
    return locking.case_change(case, changes)


# ---------------------------------------------------------------- suggestions


# Which professional volunteers fit which dispute types at street level.
PROFESSIONAL_FIELDS: dict[str, frozenset[str]] = {
    "lawyer": frozenset({"contract", "labour", "business", "damages", "intellectual_property", "internet", "consumer",
                         "traffic", "land_requisition", "housing_homestead"}),
    "doctor": frozenset({"medical"}),
    "teacher": frozenset({"marriage_family"}),
    "accountant": frozenset({"business", "contract"}),
}
WORKLOAD_PENALTY = 3


def _unit_part(case: Case, mediator: Mediator, dispute_code: str, police_referral: bool, level: str) -> ScorePart | None:
    unit = mediator.unit
    same_community = mediator.community_id == case.community_id
    part = None
    if level == "grid":
        if unit == "grid" and case.grid_id is not None and mediator.grid_id == case.grid_id:
            part = ScorePart("同网格", 40)
        elif unit == "grid" and same_community:
            part = ScorePart("同社区网格", 25)
        elif unit == "community" and same_community:
            part = ScorePart("同社区", 15)
    elif level == "community":
        if unit == "community" and same_community:
            part = ScorePart("同社区", 40)
        elif unit == "grid" and same_community:
            part = ScorePart("同社区网格", 10)
    elif unit == "street":
        part = ScorePart("街道调解中心", 35)
    elif unit == "police_office":
        part = ScorePart("警调中心", 30)
    elif dispute_code in PROFESSIONAL_FIELDS.get(unit, ()):
        part = ScorePart(f"{label_unit(unit)}·专业对口", 40)
    if unit == "police_office" and police_referral:
        bonus = ScorePart("警情移交", 20)
        return bonus if part is None else ScorePart(f"{part.label} · {bonus.label}", part.points + bonus.points)
    return part


def label_unit(unit: str) -> str:
    return label(MediatorUnit(unit))


def suggest_mediators(
    session: Session, *, actor: Actor, case_id: int, limit: int = 5, level: str | None = None
) -> list[Suggestion]:
    """Active, ranked mediators and active pairings for the case's lead, best first, with the score's parts.

    `level` scores for another level than the case's own (the receiving level of an escalation).
    """
    case = load_case(session, actor=actor, case_id=case_id)
    level = level or case.level
    dicts = load_dictionaries(session, actor.committee_id)
    dispute_code = dicts.dispute_type_codes[case.dispute_type_id]
    dispute_label = dicts.dispute_type_labels[case.dispute_type_id]
    police_referral = dicts.source_codes[case.source_id] == "police_referral"
    on_case = set(session.execute(select(CaseMediator.mediator_id).where(CaseMediator.case_id == case.id)).scalars())
    mediators = {
        m.id: m for m in session.execute(
            select(Mediator).where(Mediator.committee_id == actor.committee_id, Mediator.active.is_(True),
                                   Mediator.rank != MediatorRank.UNKNOWN.value)
        ).scalars()
    }
    specialists = set(session.execute(
        select(MediatorSpecialty.mediator_id).where(MediatorSpecialty.dispute_type_id == case.dispute_type_id)
    ).scalars())
    workload = _workload(session, actor)
    people = _people(session, case.id)

    def parts_of(member_ids: list[int]) -> tuple[list[ScorePart], int, list[str]]:
        unit_parts = [p for p in (_unit_part(case, mediators[i], dispute_code, police_referral, level) for i in member_ids) if p]
        parts = [max(unit_parts, key=lambda p: p.points)] if unit_parts else []
        if any(i in specialists for i in member_ids):
            parts.append(ScorePart(f"擅长{dispute_label}", 25))
        load = sum(workload.get(i, 0) for i in member_ids)
        parts.append(ScorePart(f"在办{load}件", -WORKLOAD_PENALTY * load))
        recusal = [m.message for i in member_ids
                   for m in _matches(session, actor=actor, case_id=case.id, mediator=mediators[i], people=people)]
        if recusal:
            parts.append(ScorePart("需回避审查", -50))
        return parts, load, recusal

    suggestions: list[Suggestion] = []
    for mediator in mediators.values():
        if mediator.id in on_case:
            continue
        if mediator.unit in PROFESSIONAL_FIELDS and (level != "street" or dispute_code not in PROFESSIONAL_FIELDS[mediator.unit]):
            continue  # professional volunteers serve street-level cases in their own field
        parts, load, recusal = parts_of([mediator.id])
        suggestions.append(Suggestion("mediator", mediator.name, mediator.id, None, sum(p.points for p in parts),
                                      tuple(parts), load, tuple(recusal)))
    today = actor.today(committee_settings(session, actor.committee_id).time_zone)
    for pairing in session.execute(
        select(Pairing).where(Pairing.committee_id == actor.committee_id, Pairing.started_on <= today,
                              or_(Pairing.ended_on.is_(None), Pairing.ended_on >= today))
    ).scalars():
        members = [pairing.junior_id, pairing.senior_id]
        if any(i not in mediators or i in on_case for i in members):
            continue
        parts, load, recusal = parts_of(members)
        parts.insert(0, ScorePart("老潘+小潘结对", 5))
        name = f"{mediators[pairing.senior_id].name}+{mediators[pairing.junior_id].name}"
        suggestions.append(Suggestion("pairing", name, pairing.junior_id, pairing.id, sum(p.points for p in parts),
                                      tuple(parts), load, tuple(recusal)))
    suggestions.sort(key=lambda s: (-s.score, s.open_cases, s.name))
    return suggestions[:limit]


def _workload(session: Session, actor: Actor) -> dict[int, int]:
    """Open cases (registered, accepted, mediating) per mediator, any role."""
    open_statuses = ("registered", "accepted", "mediating")
    return dict(
        session.execute(
            select(CaseMediator.mediator_id, func.count(func.distinct(CaseMediator.case_id)))
            .join(Case, Case.id == CaseMediator.case_id)
            .where(Case.committee_id == actor.committee_id, Case.status.in_(open_statuses))
            .group_by(CaseMediator.mediator_id)
        ).all()
    )
