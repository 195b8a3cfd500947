"""Who acts and signs for a party (民法典 Art. 18–23, 61, 161–171; 人民调解法 Art. 23, 29).

- A minor under 18 on the signing date, or an adult without full capacity, acts through a 法定代理人 (guardian),
  who signs for them; a 16–17-year-old living on their own income counts as having full capacity (Art. 18).
- A 委托代理人 acts under a 授权委托书; signing an agreement disposes of the party's rights, so it needs 特别授权.
- An organisation acts through its 法定代表人 (company, institution) or 负责人 (branch, individual business,
  clinic, other unincorporated unit), or an agent; it seals, and the person signs.

Pure functions plus `check_agent`, the one validator of an agent's particulars (intake, import, and editing a
party after intake call it).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from laopan.errors import ValidationError
from laopan.labels import label
from laopan.models.enums import AgentKind, AgentScope, Capacity, IdType, OrgKind, PartyKind
from laopan.validation import check_phone, check_resident_id

__all__ = [
    "Signer", "check_agent", "head_title", "is_minor", "needs_guardian", "signers_for", "age_on",
]

ADULT_AGE = 18
SELF_SUPPORTING_AGE = 16
# An organisation whose kind was not recorded: these name endings are units without legal personality.
_HEAD_NAMES = re.compile(r"(分公司|分行|支行|分店|分部|门诊部|诊所|卫生室|医务室|经营部|商行|商店|超市|小店|饭店|餐馆|个体|工作室)$")


def age_on(birth_date: dt.date, day: dt.date) -> int:
    years = day.year - birth_date.year
    return years - ((day.month, day.day) < (birth_date.month, birth_date.day))


def is_minor(birth_date: dt.date | None, day: dt.date) -> bool:
    return birth_date is not None and age_on(birth_date, day) < ADULT_AGE


def needs_guardian(*, kind: str, birth_date: dt.date | None, capacity: str | None, day: dt.date) -> bool:
    """A 法定代理人 must act and sign: a minor on `day` (unless 16–17 and self-supporting), or without capacity."""
    if kind != PartyKind.PERSON.value:
        return False
    if capacity in (Capacity.LIMITED.value, Capacity.NONE.value):
        return True
    if not is_minor(birth_date, day):
        return False
    return not (capacity == Capacity.SELF_SUPPORTING.value and age_on(birth_date, day) >= SELF_SUPPORTING_AGE)


def head_title(org_kind: str | None, name: str = "") -> str:
    """法定代表人 for a company or institution, 负责人 for a branch, individual business, clinic or other unit."""
    if org_kind in (OrgKind.COMPANY.value, OrgKind.INSTITUTION.value):
        return "法定代表人"
    if org_kind:
        return "负责人"
    return "负责人" if _HEAD_NAMES.search(name or "") else "法定代表人"


@dataclass(frozen=True)
class Signer:
    """A person who may sign on a party's line: the party, its guardian or agent, or an organisation's head."""

    name: str
    capacity: str
    """self · legal · entrusted · head (an organisation's 法定代表人/负责人)."""
    title: str
    """How the signature line names them: 法定代理人, 委托代理人, 法定代表人, 负责人, or "" for the party."""


def signers_for(party: Any, day: dt.date) -> tuple[list[Signer], str | None]:
    """Who may sign for `party` (a PartyView-like object) on `day`, and why someone else is refused.

    Returns the allowed signers (the first is the one the signature line names) and, when the party has no
    one who may sign, the reason (for the statutory check).
    """
    agent = party.agent
    if party.kind == PartyKind.ORGANIZATION.value:
        signers = []
        if party.representative:
            signers.append(Signer(party.representative, "head", head_title(party.org_kind, party.name)))
        if agent is not None and agent.kind != AgentKind.LEGAL.value and agent.scope == AgentScope.SPECIAL.value:
            signers.append(Signer(agent.name, "entrusted", "委托代理人"))
        signers.append(Signer(party.name, "self", ""))
        return signers, None
    if needs_guardian(kind=party.kind, birth_date=party.birth_date, capacity=party.capacity, day=day):
        if agent is None or agent.kind != AgentKind.LEGAL.value:
            why = "未成年人" if is_minor(party.birth_date, day) else "无完全民事行为能力人"
            return [], f"{why}须由法定代理人代为签署，请登记其法定代理人"
        return [Signer(agent.name, "legal", "法定代理人")], None
    signers = [Signer(party.name, "self", "")]
    if agent is not None and agent.kind == AgentKind.ENTRUSTED.value:
        if agent.scope == AgentScope.SPECIAL.value:
            signers.append(Signer(agent.name, "entrusted", "委托代理人"))
    elif agent is not None and agent.kind == AgentKind.LEGAL.value:
        signers.append(Signer(agent.name, "legal", "法定代理人"))
    return signers, None


def check_agent(
    agent: dict[str, Any], *, path: str, today: dt.date, party_kind: str, party_birth_date: dt.date | None,
    party_capacity: str | None, signing_day: dt.date | None = None,
) -> tuple[dict[str, Any], list[ValidationError], list[str]]:
    """An agent's particulars validated like a party's; returns (normalised values, errors, warnings).

    `agent` holds the input keys (name, relation, phone, id_type, id_number, address, kind, scope), codes as
    strings or None. Without a `kind`, an agent of someone who needs a guardian on `signing_day` (default: today)
    is read as 法定代理人 with a warning (older files and forms had no kind), anyone else's as 委托代理人.
    """
    values = dict(agent)
    errors: list[ValidationError] = []
    warnings: list[str] = []
    kind = values.get("kind")
    guardian_needed = needs_guardian(kind=party_kind, birth_date=party_birth_date, capacity=party_capacity,
                                     day=signing_day or today)
    if not kind:
        kind = AgentKind.LEGAL.value if guardian_needed else AgentKind.ENTRUSTED.value
        if guardian_needed:
            warnings.append(f"{path}.kind: 当事人为未成年人或无完全民事行为能力人，代理人按法定代理人登记")
    values["kind"] = kind
    if kind == AgentKind.LEGAL.value and party_kind == PartyKind.ORGANIZATION.value:
        errors.append(ValidationError(f"{path}.kind", "单位当事人没有法定代理人（由法定代表人或负责人代表）"))
    if kind == AgentKind.LEGAL.value and values.get("scope"):
        errors.append(ValidationError(f"{path}.scope", "法定代理人不填代理权限（依法代理）"))
    if kind == AgentKind.ENTRUSTED.value and not values.get("scope"):
        values["scope"] = None  # unknown: the check asks for 特别授权 before this agent signs
    if values.get("phone"):
        try:
            values["phone"] = check_phone(values["phone"], field=f"{path}.phone")
        except ValidationError as exc:
            errors.append(exc)
    number = (values.get("id_number") or "").strip()
    id_type = values.get("id_type")
    if number:
        digits = number.replace(" ", "")
        if not id_type:
            id_type = (IdType.RESIDENT_ID.value if len(digits) == 18 else IdType.RESIDENT_ID_15.value
                       if len(digits) == 15 else IdType.OTHER.value)
        if id_type in (IdType.RESIDENT_ID.value, IdType.RESIDENT_ID_15.value):
            try:
                resident = check_resident_id(number, field=f"{path}.id_number", today=today)
            except ValidationError as exc:
                errors.append(exc)
            else:
                values["id_number"] = resident.number
                id_type = (IdType.RESIDENT_ID_15 if resident.legacy else IdType.RESIDENT_ID).value
                warnings.extend(f"{path}.id_number: {warning}" for warning in resident.warnings)
                if kind == AgentKind.LEGAL.value and is_minor(resident.birth_date, today):
                    errors.append(ValidationError(f"{path}.id_number", "法定代理人须为成年人"))
    elif id_type:
        errors.append(ValidationError(f"{path}.id_number", f"填了证件类型（{label(IdType, id_type)}）却没有号码"))
    values["id_type"] = id_type or None
    return values, errors, warnings
