"""Correcting a case after intake: its facts, its parties (add, correct, remove) and its police referral.

Every correction is checked by the same functions intake uses (`laopan.services.intake.check_*`), so a wrong
ID checksum is refused with the same sentence in both places; it locks the case and checks the version the
user's screen showed (a stale save gets the Conflict sentence); it bumps the case's version, keeps the derived
columns (parties_display, the name index, id_number_rev, phone_rev) right, and writes one audit entry holding
the raw {field: [old, new]} changes. The timeline words and masks them per viewer (`describe`), so the audit
keeps the truth and a screen shows only what its reader may see. A closed case stays read-only.
"""

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError as PydanticError
from sqlalchemy import func, select
from sqlmodel import Session

from laopan.errors import NotFound, Refused, ValidationError
from laopan.inputs import AgentIn, CaseIn, PartyIn, PoliceReferralIn, field_errors
from laopan.labels import label
from laopan.models import Agent, Case, Grid, Party, PoliceReferral
from laopan.models.agreement_records import AgreementSignature
from laopan.models.enums import IdType, PartyKind, PartyRole, ReferralNature, Sex
from laopan.security.permissions import Action
from laopan.services import audit, derived
from laopan.services.actor import Actor
from laopan.services.committee import Dictionaries, committee_settings, load_dictionaries
from laopan.services.name_index import reindex_case_names
from laopan.services.intake import MAX_PARTIES, _Checked, check_case_facts, check_party, check_referral, incident_taken
from laopan.services.locking import CaseChange, apply, case_change, lock_case, touch
from laopan.validation import mask_address, mask_id_number, mask_phone

CASE_FIELDS = {
    "summary": "案情摘要", "claims": "请求事项", "amount_yuan": "标的额", "dispute_type": "纠纷类型", "source": "案件来源",
    "community": "社区", "grid": "网格", "received_at": "受理时间", "prevented_criminal": "防止民转刑",
    "prevented_group_petition": "防止群体性上访",
}
PARTY_FIELDS = {
    "role": "角色", "kind": "类别", "name": "姓名", "sex": "性别", "ethnicity": "民族", "birth_date": "出生日期",
    "id_type": "证件类型", "id_number": "身份证号", "occupation": "职业", "phone": "电话", "address": "住址",
    "credit_code": "统一社会信用代码", "representative": "法定代表人",
}
AGENT_FIELDS = {"name": "姓名", "relation": "关系", "phone": "电话", "id_number": "身份证号", "address": "住址"}
REFERRAL_FIELDS = {
    "incident_no": "警情编号", "call_time": "报警时间", "incident_time": "案发时间", "incident_place": "案发地点",
    "station": "派出所", "officer": "移交民警", "badge_no": "警号", "officer_phone": "民警电话", "approver": "审批人",
    "nature": "警情性质", "risk_flags": "风险标识", "consent": "当事人同意调解", "referred_at": "移交时间",
}
# What a screen that may not reveal shows of a personal value (the detail masks the same fields).
_MASKS: dict[str, Callable[[str | None], str]] = {
    "id_number": mask_id_number, "agent.id_number": mask_id_number, "phone": mask_phone, "agent.phone": mask_phone,
    "address": mask_address, "agent.address": mask_address, "birth_date": lambda v: f"{str(v)[:4]}年",
}
_ENUMS = {"role": PartyRole, "kind": PartyKind, "sex": Sex, "id_type": IdType, "nature": ReferralNature}
_DERIVED = frozenset({"id_number_rev", "phone_rev"})
ACTIONS = frozenset({"case.update", "party.add", "party.update", "party.remove", "referral.update"})


def _reindex_names(session: Session, case_id: int) -> None:
    """Rebuild the case's name index from its parties (the search index's own door, Traditional folded)."""
    reindex_case_names(session, case_id)


def _refresh_parties(session: Session, case: Case) -> None:
    """parties_display and the name index after a party's name or role changed, or a party came or went."""
    session.flush()
    parties = _parties(session, case.id)
    case.parties_display = derived.parties_display(
        [p.name for p in parties if p.role == PartyRole.APPLICANT], [p.name for p in parties if p.role == PartyRole.RESPONDENT]
    )
    _reindex_names(session, case.id)


def _parties(session: Session, case_id: int) -> list[Party]:
    return list(session.execute(select(Party).where(Party.case_id == case_id).order_by(Party.seq)).scalars())


def _refuse_if(errors: list[ValidationError], warnings: list[str] | None = None) -> None:
    if errors:
        raise Refused(errors, warnings)


def _parse(model: type, data: dict[str, Any], prefix: str):
    try:
        return model.model_validate(data)
    except PydanticError as exc:
        raise Refused(field_errors(exc, prefix)) from None


def _unknown(values: Mapping[str, Any], known: Mapping[str, str], what: str) -> None:
    _refuse_if([ValidationError(name, f"不是可修改的{what}字段") for name in values if name not in known])


def _finish(session: Session, *, actor: Actor, case: Case, action: str, changes: dict[str, Any], note: str | None = None) -> CaseChange:
    """Audit and bump the case's version, unless nothing changed (then the save is a no-op)."""
    if any(key not in ("party", "party_id") for key in changes) or action in ("party.add", "party.remove"):
        touch(case, actor=actor)
        audit.record(session, actor=actor, action=action, entity="case", entity_id=case.id, changes=changes, note=note)
        session.flush()
    return case_change(case, {k: v for k, v in changes.items() if k not in ("party", "party_id")})


# ---------------------------------------------------------------- the case's facts


def _case_input(case: Case, dicts: Dictionaries) -> dict[str, Any]:
    return {
        "source": dicts.source_codes[case.source_id], "dispute_type": dicts.dispute_type_codes[case.dispute_type_id],
        "level": case.level, "community": dicts.community_names.get(case.community_id, ""),
        "grid": dicts.grid_names.get(case.grid_id) if case.grid_id else None, "summary": case.summary,
        "claims": list(case.claims), "amount_yuan": derived.fen_to_yuan(case.amount_fen), "received_at": case.received_at,
        "prevented_criminal": bool(case.prevented_criminal), "prevented_group_petition": bool(case.prevented_group_petition),
        "parties": [],
    }


def update_case(session: Session, *, actor: Actor, case_id: int, expected_version: int | None, values: Mapping[str, Any]) -> CaseChange:
    """Correct the case's own facts (keys of CASE_FIELDS). Raises Refused, Conflict, CaseClosed."""
    actor.require(Action.EDIT)
    _unknown(values, CASE_FIELDS, "案件")
    case = lock_case(session, actor=actor, case_id=case_id, expected_version=expected_version)
    dicts = load_dictionaries(session, actor.committee_id)
    before = _case_input(case, dicts)
    merged = {**before, **{k: v for k, v in values.items()}}
    if merged.get("grid") == "" or ("community" in values and "grid" not in values):
        merged["grid"] = None  # a grid belongs to its community: moving the case clears it unless a new one is given
    data: CaseIn = _parse(CaseIn, {k: v for k, v in merged.items() if v is not None}, "")
    errors: list[ValidationError] = []
    warnings: list[str] = []
    checked = _Checked(data=data)
    check_case_facts(data, actor=actor, dicts=dicts, at=lambda name: name, errors=errors, warnings=warnings, checked=checked)
    touched = set(values) | ({"grid"} if "community" in values else set())
    errors = [e for e in errors if e.field.split(".")[0] in touched]  # an old value that fails a newer rule stays
    if "source" in values and data.source != "police_referral" and _referral(session, case.id) is not None:
        errors.append(ValidationError("source", "本案有警情移交记录，来源须为公安机关移交（police_referral）"))
    _refuse_if(errors, warnings)

    community_id = dicts.communities[data.community]
    grid_id = checked.grid_id
    if checked.new_grid:
        grid = Grid(community_id=community_id, name=checked.new_grid)
        session.add(grid)
        session.flush()
        grid_id = grid.id
    row = {
        "summary": data.summary, "claims": list(data.claims), "amount_fen": checked.amount_fen,
        "dispute_type_id": dicts.dispute_types[data.dispute_type], "source_id": dicts.sources[data.source],
        "community_id": community_id, "grid_id": grid_id, "prevented_criminal": data.prevented_criminal,
        "prevented_group_petition": data.prevented_group_petition,
        "received_at": data.received_at if data.received_at is not None else case.received_at,
    }
    apply(case, row)
    after = {**_case_input(case, dicts), "grid": checked.new_grid or dicts.grid_names.get(grid_id) if grid_id else None}
    changes = {name: [before[name], after[name]] for name in CASE_FIELDS if before[name] != after[name]}
    return _finish(session, actor=actor, case=case, action="case.update", changes=changes)


# ---------------------------------------------------------------- parties


def find_party(session: Session, *, actor: Actor, case_id: int, ref: str) -> int:
    """A party of the case by its number as listed (1, 2, …) or its name."""
    parties = _parties(session, case_id)
    text = ref.strip()
    if text.isdigit():
        index = int(text)
        if 1 <= index <= len(parties):
            return parties[index - 1].id
        raise ValidationError("当事人", f"本案只有 {len(parties)} 名当事人，序号应为 1–{len(parties)}")
    named = [p for p in parties if p.name == text]
    if len(named) == 1:
        return named[0].id
    if named:
        raise ValidationError("当事人", f"本案有 {len(named)} 名当事人叫 {text}，请用序号")
    raise ValidationError("当事人", f"本案没有叫 {text} 的当事人，已有：{'、'.join(p.name for p in parties)}")


def _party_input(party: Party, agent: Agent | None) -> dict[str, Any]:
    data = {name: getattr(party, name) for name in PARTY_FIELDS}
    if agent is not None:
        data["agent"] = {name: getattr(agent, name) for name in AgentIn.model_fields if hasattr(agent, name)}
    return data


def _flat(data: Mapping[str, Any]) -> dict[str, Any]:
    """{"agent": {"phone": …}} → {"agent.phone": …}, for field-level changes."""
    flat = {k: v for k, v in data.items() if k != "agent"}
    for key, value in (data.get("agent") or {}).items():
        flat[f"agent.{key}"] = value
    return flat


def _clean(data: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if v is not None and v != ""}
    if isinstance(out.get("agent"), Mapping):
        out["agent"] = _clean(out["agent"])
    return out


def _check_roles(parties: list[tuple[str, int | None]]) -> None:
    roles = {role for role, _ in parties}
    if PartyRole.APPLICANT.value not in roles or PartyRole.RESPONDENT.value not in roles:
        raise ValidationError("parties", "至少需要一名申请人和一名被申请人")


def _write_agent(session: Session, party: Party, agent: Agent | None, values: dict[str, Any] | None) -> None:
    if values is None:
        if agent is not None:
            session.delete(agent)
        return
    if agent is None:
        session.flush()
        session.add(Agent(party_id=party.id, committee_id=party.committee_id, **values))
    else:
        apply(agent, {name: values.get(name) for name in AgentIn.model_fields if hasattr(agent, name)})


def add_party(session: Session, *, actor: Actor, case_id: int, expected_version: int | None, party: PartyIn | Mapping[str, Any]) -> CaseChange:
    """Add a party (checked as intake checks one). Raises Refused, Conflict, CaseClosed."""
    actor.require(Action.EDIT)
    case = lock_case(session, actor=actor, case_id=case_id, expected_version=expected_version)
    parties = _parties(session, case.id)
    path = f"parties[{len(parties)}]"
    party_in = party if isinstance(party, PartyIn) else _parse(PartyIn, _clean(party), path)
    if len(parties) >= MAX_PARTIES:
        raise ValidationError("parties", f"一个案件最多 {MAX_PARTIES} 名当事人，请拆分为多个案件")
    errors: list[ValidationError] = []
    warnings: list[str] = []
    today = actor.today(committee_settings(session, actor.committee_id).time_zone)
    values, agent = check_party(party_in, path, today, errors, warnings)
    _refuse_if(errors, warnings)
    seq = (session.execute(select(func.max(Party.seq)).where(Party.case_id == case.id)).scalar() or 0) + (1 if parties else 0)
    row = Party(case_id=case.id, committee_id=case.committee_id, seq=seq, id_number_rev=derived.reversed_or_none(values.get("id_number")),
                phone_rev=derived.phone_key(values.get("phone")), **values)
    session.add(row)
    session.flush()
    if agent is not None:
        session.add(Agent(party_id=row.id, committee_id=row.committee_id, **agent))
    _refresh_parties(session, case)
    added = {k: [None, v] for k, v in _flat({**values, "agent": agent}).items() if v not in (None, "", [])}
    return _finish(session, actor=actor, case=case, action="party.add", changes={"party": row.name, "party_id": row.id, **added})


def _load_party(session: Session, case: Case, party_id: int) -> tuple[Party, Agent | None, int]:
    parties = _parties(session, case.id)
    for index, party in enumerate(parties):
        if party.id == party_id:
            agent = session.execute(select(Agent).where(Agent.party_id == party.id)).scalar_one_or_none()
            return party, agent, index
    raise NotFound(f"案件 {case.intake_no} 没有当事人 #{party_id}")


def update_party(
    session: Session, *, actor: Actor, case_id: int, party_id: int, expected_version: int | None, values: Mapping[str, Any]
) -> CaseChange:
    """Correct a party's fields (keys of PARTY_FIELDS, and "agent": a dict of its fields, or None to remove it).

    A changed ID number re-derives the birth date from it unless one is given with it.
    """
    actor.require(Action.EDIT)
    _unknown(values, {**PARTY_FIELDS, "agent": "代理人"}, "当事人")
    case = lock_case(session, actor=actor, case_id=case_id, expected_version=expected_version)
    party, agent, index = _load_party(session, case, party_id)
    path = f"parties[{index}]"
    before = _party_input(party, agent)
    merged = {**before, **{k: v for k, v in values.items() if k != "agent"}}
    if "id_number" in values and "birth_date" not in values:
        merged["birth_date"] = None
        if "id_type" not in values and party.id_type in (IdType.RESIDENT_ID.value, IdType.RESIDENT_ID_15.value, None):
            merged["id_type"] = None  # worked out again from the new number, as at intake
    if "agent" in values:
        merged["agent"] = None if values["agent"] is None else {**(before.get("agent") or {}), **values["agent"]}
    party_in: PartyIn = _parse(PartyIn, _clean(merged), path)
    errors: list[ValidationError] = []
    warnings: list[str] = []
    today = actor.today(committee_settings(session, actor.committee_id).time_zone)
    checked, agent_values = check_party(party_in, path, today, errors, warnings)
    if "role" in values:
        others = [(p.role, p.id) for p in _parties(session, case.id) if p.id != party.id]
        try:
            _check_roles([*others, (checked["role"], party.id)])
        except ValidationError as exc:
            errors.append(exc)
    _refuse_if(errors, warnings)

    apply(party, {**{name: checked.get(name) for name in PARTY_FIELDS},
                  "id_number_rev": derived.reversed_or_none(checked.get("id_number")), "phone_rev": derived.phone_key(checked.get("phone"))})
    _write_agent(session, party, agent, agent_values)
    after = _flat({**{name: checked.get(name) for name in PARTY_FIELDS}, "agent": agent_values})
    old = _flat(before)
    asked = [key for key in _flat({k: v for k, v in values.items() if k != "agent"} | {"agent": values.get("agent") or {}})]
    order = [*asked, *(key for key in {**old, **after} if key not in asked)]  # what the user changed, then what followed
    changes = {key: [old.get(key), after.get(key)] for key in order if old.get(key) != after.get(key)}
    if changes:
        touch(party, actor=actor)
    if "name" in changes or "role" in changes:
        _refresh_parties(session, case)
    return _finish(session, actor=actor, case=case, action="party.update", changes={"party": before["name"], "party_id": party.id, **changes})


def remove_party(session: Session, *, actor: Actor, case_id: int, party_id: int, expected_version: int | None, reason: str) -> CaseChange:
    """Remove a party recorded by mistake. Refused if the case would lose its last applicant or respondent, or if
    the party signed the agreement."""
    actor.require(Action.EDIT)
    if not (reason or "").strip():
        raise ValidationError("原因", "删除当事人须写明原因")
    case = lock_case(session, actor=actor, case_id=case_id, expected_version=expected_version)
    party, agent, _index = _load_party(session, case, party_id)
    try:
        _check_roles([(p.role, p.id) for p in _parties(session, case.id) if p.id != party.id])
    except ValidationError:
        raise ValidationError("当事人", f"不能删除 {party.name}：案件须至少保留一名申请人和一名被申请人") from None
    signed = session.execute(select(AgreementSignature.id).where(AgreementSignature.party_id == party.id)).first()
    if signed is not None:
        raise ValidationError("当事人", f"不能删除 {party.name}：其已在调解协议上签署")
    removed = {k: [v, None] for k, v in _flat(_party_input(party, agent)).items() if v not in (None, "", [])}
    if agent is not None:
        session.delete(agent)
    session.delete(party)
    _refresh_parties(session, case)
    return _finish(session, actor=actor, case=case, action="party.remove",
                   changes={"party": party.name, "party_id": party_id, **removed}, note=reason.strip())


# ---------------------------------------------------------------- the police referral


def _referral(session: Session, case_id: int) -> PoliceReferral | None:
    return session.execute(select(PoliceReferral).where(PoliceReferral.case_id == case_id)).scalar_one_or_none()


def _referral_input(referral: PoliceReferral, dicts: Dictionaries) -> dict[str, Any]:
    data = {name: getattr(referral, name) for name in REFERRAL_FIELDS if name != "station"}
    data["station"] = dicts.station_names.get(referral.station_id, "")
    data["risk_flags"] = list(referral.risk_flags or [])
    return data


def update_referral(
    session: Session, *, actor: Actor, case_id: int, expected_version: int | None, values: Mapping[str, Any]
) -> CaseChange:
    """Correct the police referral's intake data (keys of REFERRAL_FIELDS). Refused, Conflict, CaseClosed."""
    actor.require(Action.EDIT)
    _unknown(values, REFERRAL_FIELDS, "警情移交")
    case = lock_case(session, actor=actor, case_id=case_id, expected_version=expected_version)
    referral = _referral(session, case.id)
    if referral is None:
        raise NotFound(f"案件 {case.intake_no} 没有警情移交记录")
    dicts = load_dictionaries(session, actor.committee_id)
    before = _referral_input(referral, dicts)
    referral_in: PoliceReferralIn = _parse(PoliceReferralIn, _clean({**before, **values}), "police_referral")
    errors: list[ValidationError] = []
    phone = check_referral(referral_in, source=dicts.source_codes[case.source_id], actor=actor, dicts=dicts,
                           at=lambda name: name, errors=errors)
    errors = [e for e in errors if e.field.split(".")[-1] in values or e.field == "police_referral"]
    if "incident_no" in values:
        taken = incident_taken(session, actor.committee_id, referral_in.incident_no, except_case_id=case.id)
        if taken:
            errors.append(ValidationError("police_referral.incident_no", taken))
    _refuse_if(errors)
    row = {name: getattr(referral_in, name) for name in REFERRAL_FIELDS if name not in ("station", "officer_phone", "nature", "risk_flags")}
    row.update(station_id=dicts.stations[referral_in.station], officer_phone=phone,
               nature=referral_in.nature.value if referral_in.nature else None, risk_flags=[f.value for f in referral_in.risk_flags])
    if "referred_at" in values:
        first_due, feedback_due = derived.referral_due_times(referral_in.referred_at, committee_settings(session, actor.committee_id))
        row.update(first_contact_due_at=first_due, feedback_due_at=feedback_due)
    apply(referral, row)
    after = _referral_input(referral, dicts)
    changes = {name: [before[name], after[name]] for name in REFERRAL_FIELDS if before[name] != after[name]}
    if changes:
        touch(referral, actor=actor)
    return _finish(session, actor=actor, case=case, action="referral.update", changes=changes)


# ---------------------------------------------------------------- the timeline's words


def _shown(key: str, value: Any, reveal: bool) -> str:
    if value is None or value == "" or value == []:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if key in _MASKS and not reveal:
        return _MASKS[key](str(value))
    if key in _ENUMS:
        return label(_ENUMS[key], str(value)) or str(value)
    if key.endswith(("_at", "_time")):
        return str(value).replace("T", " ")[:16]
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def masked_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    """The audit's changes with personal values masked (what a screen that does not reveal may hold)."""
    return {
        key: [_MASKS[key](v) if v else v for v in value] if key in _MASKS and isinstance(value, list) else value
        for key, value in changes.items()
    }


def _field_name(action: str, key: str) -> str:
    if key.startswith("agent."):
        return "代理人" + AGENT_FIELDS.get(key[6:], key[6:])
    table = CASE_FIELDS if action == "case.update" else REFERRAL_FIELDS if action == "referral.update" else PARTY_FIELDS
    return table.get(key, key)


def describe(action: str, changes: Mapping[str, Any], note: str | None, *, reveal: bool = False) -> str:
    """"张三 的身份证号 由 3302**********123X 改为 3302**********456Y" (masked unless `reveal`)."""
    fields = {k: v for k, v in changes.items() if k not in ("party", "party_id") and isinstance(v, list) and len(v) == 2}
    who = changes.get("party", "")
    if action == "party.add":
        role = _shown("role", fields.get("role", [None, None])[1], reveal)
        return f"添加当事人 {who}（{role}）"
    if action == "party.remove":
        role = _shown("role", fields.get("role", [None, None])[0], reveal)
        return f"删除当事人 {who}（{role}）" + (f"：{note}" if note else "")
    parts = [f"{_field_name(action, k)} 由 {_shown(k, v[0], reveal)} 改为 {_shown(k, v[1], reveal)}" for k, v in fields.items()]
    subject = {"case.update": "案件", "referral.update": "警情移交"}.get(action, who)
    return f"{subject} 的" + "；".join(parts) if parts else f"{subject}：无变化"
