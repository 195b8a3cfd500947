"""Registering cases: from the intake dialog, the CLI or an interchange file. All-or-nothing.

`check_case` validates one case exactly as the window does and returns field errors (JSON paths) and warnings;
`register_case` writes a checked case with its parties, agents, referral, mediators and agreement in the
caller's transaction; `import_cases` checks every case of a file first and writes none unless all pass.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, select

from laopan.errors import Refused, ValidationError
from laopan.inputs import CaseIn, PartyIn, PoliceReferralIn, parse_case
from laopan.interchange.schema import parse_file
from laopan.models import (
    Case,
    PoliceReferral,
)
from laopan.models.decisions import TerminationReason
from laopan.models.enums import AgreementKind, CaseMediatorRole, CaseStatus, IdType, PartyKind, PartyRole
from laopan.security.permissions import Action
from laopan.services import numbering
from laopan.services.actor import Actor
from laopan.services.agreement_numbers import TakenNumbers, check_number, taken_numbers
from laopan.services.representatives import check_agent
from laopan.services.duplicates import OnDuplicate, find_duplicates
from laopan.services.case_rows import CaseRows, Registered, implied_status
from laopan.services.committee import Dictionaries, committee_settings, load_dictionaries
from laopan.settings import CommitteeSettings
from laopan.validation import (
    check_credit_code,
    check_day_not_after_today,
    check_not_after,
    check_not_future,
    check_phone,
    check_resident_id,
    yuan_to_fen,
)

_RESIDENT_ID_TYPES = (IdType.RESIDENT_ID, IdType.RESIDENT_ID_15)


IMPORT_CHUNK = 2000  # cases whose rows are written at once (memory stays flat on a ten-year import)
MAX_PARTIES = 50  # issue 10: 5,000 parties once passed; no dispute the desk mediates has more than a few dozen
RECEIVED_YEARS = 30  # intake numbers like DL1-00001 came from a received_at in year 1

@dataclass(frozen=True)
class ImportReport:
    registered: list[Registered]
    warnings: list[str]
    skipped: list[str] = field(default_factory=list)  # "cases[3]: 与案件 DL2026-00012 是同一案件（…），已跳过"


@dataclass
class _Checked:
    """What checking a case resolved, so registering does not look anything up twice."""

    data: CaseIn
    parties: list[dict[str, Any]] = field(default_factory=list)
    agents: dict[int, dict[str, Any]] = field(default_factory=dict)
    grid_id: int | None = None
    new_grid: str | None = None
    amount_fen: int | None = None
    referral_phone: str | None = None
    agreement_seq: tuple[int, int] | None = None
    agreement_number: str | None = None  # the file's number in the committee's spelling, or given by `_number_in_signing_order`


def check_case(
    session: Session,
    *,
    actor: Actor,
    data: CaseIn,
    dicts: Dictionaries,
    settings: CommitteeSettings,
    prefix: str = "",
    numbers_in_file: TakenNumbers | None = None,
    incidents_in_file: dict[str, str] | None = None,
) -> tuple[list[ValidationError], list[str], _Checked]:
    """Every rule of DESIGN §4/§7 for one case. Paths in errors are JSON paths under `prefix`."""
    errors: list[ValidationError] = []
    warnings: list[str] = []
    checked = _Checked(data=data)
    today = actor.today(settings.time_zone)

    def at(name: str) -> str:
        return f"{prefix}.{name}" if prefix else name

    def refuse(name: str, message: str) -> None:
        errors.append(ValidationError(at(name), message))

    def collect(check, *args, **kwargs):  # a shared rule (laopan.validation): its refusal joins the others
        try:
            return check(*args, **kwargs)
        except ValidationError as exc:
            errors.append(exc)
            return None

    check_case_facts(data, actor=actor, dicts=dicts, at=at, errors=errors, warnings=warnings, checked=checked)

    roles = {party.role for party in data.parties}
    if PartyRole.APPLICANT not in roles or PartyRole.RESPONDENT not in roles:
        refuse("parties", "至少需要一名申请人和一名被申请人")
    for index, party in enumerate(data.parties):
        signing_day = data.agreement.signed_on if data.agreement is not None else None
        values, agent = check_party(party, at(f"parties[{index}]"), today, errors, warnings, signing_day)
        checked.parties.append(values)
        if agent is not None:
            checked.agents[index] = agent

    referral = data.police_referral
    if referral is not None:
        checked.referral_phone = check_referral(referral, source=data.source, actor=actor, dicts=dicts, at=at, errors=errors)
        taken = incident_taken(session, actor.committee_id, referral.incident_no, in_file=incidents_in_file)
        if taken:
            errors.append(ValidationError(at("police_referral.incident_no"), taken))
        if incidents_in_file is not None:
            incidents_in_file.setdefault(referral.incident_no.strip(), at("police_referral.incident_no"))
    elif data.source == "police_referral":
        warnings.append(f"{at('police_referral')}: 公安机关移交的案件尚未填写警情移交记录")

    for index, mediator in enumerate(data.mediators):
        if mediator.role is CaseMediatorRole.LEAD and any(
            other.role is CaseMediatorRole.LEAD for other in data.mediators[:index]
        ):
            refuse(f"mediators[{index}].role", "一个案件只能有一名主持人（lead）")

    outcome, _before = implied_status(data)
    ended = _before or outcome
    if data.rejection_reason and ended is not CaseStatus.REJECTED:
        refuse("rejection_reason", "只有不予受理的案件才有不予受理原因")
    if data.termination_reason and ended is not CaseStatus.TERMINATED:
        refuse("termination_reason", "只有调解终止的案件才有终止原因")
    if data.termination_destination and data.termination_reason is not TerminationReason.OTHER_CHANNEL:
        refuse("termination_destination", "只有“转其他途径”（other_channel）才有去向")
    if data.termination_reason is TerminationReason.OTHER_CHANNEL and not data.termination_destination:
        refuse("termination_destination", "转其他途径须写明去向")
    for index, step in enumerate(data.escalations):
        if step.from_level == step.to_level:
            refuse(f"escalations[{index}].to_level", "层级没有变化")
        if step.at > actor.clock.now():
            refuse(f"escalations[{index}].at", "晚于现在")
    for index, sitting in enumerate(data.sessions):
        if sitting.held_at > actor.clock.now():
            refuse(f"sessions[{index}].held_at", "晚于现在")

    agreement = data.agreement
    if data.status in (CaseStatus.SETTLED,) and agreement is None:
        refuse("agreement", "调解成功的案件须附协议（书面协议草稿或口头协议）")
    if agreement is not None and agreement.number:
        if numbers_in_file is None:
            numbers_in_file = taken_numbers(session, committee_id=actor.committee_id, template=settings.agreement_no_format)
        checked.agreement_seq, why_not = check_number(
            agreement.number, template=settings.agreement_no_format, this_year=today.year, taken=numbers_in_file,
            path=at("agreement.number"),
        )
        if why_not:
            refuse("agreement.number", why_not)
        else:
            year, seq = checked.agreement_seq
            checked.agreement_number = numbering.format_number(settings.agreement_no_format, year=year, seq=seq)
    return errors, warnings, checked


def check_case_facts(
    data: CaseIn, *, actor: Actor, dicts: Dictionaries, at, errors: list[ValidationError], warnings: list[str], checked: _Checked
) -> None:
    """The case's own facts (source, type, community and grid, received time, amount): intake and corrections.

    Resolved ids (grid, new grid, amount in fen) go into `checked`; `at(name)` makes a field's path.
    """

    def refuse(name: str, message: str) -> None:
        errors.append(ValidationError(at(name), message))

    def collect(check, *args, **kwargs):  # a shared rule (laopan.validation): its refusal joins the others
        try:
            return check(*args, **kwargs)
        except ValidationError as exc:
            errors.append(exc)
            return None

    if data.source not in dicts.sources:
        refuse("source", f"未知的案件来源代码，可选：{', '.join(dicts.sources)}")
    if data.dispute_type not in dicts.dispute_types:
        refuse("dispute_type", f"未知的纠纷类型代码，可选：{', '.join(dicts.dispute_types)}")
    if actor.joint_cases_only and data.source != "police_referral":
        refuse("source", "警调联络员只能登记公安机关移交的案件")
    community_id = dicts.communities.get(data.community)
    if community_id is None:
        known = "、".join(dicts.communities) or "（字典为空，请先添加社区）"
        refuse("community", f"不是本调委会的社区，已知社区：{known}")
    elif data.grid:
        grid_id = dicts.grids.get((community_id, data.grid))
        if grid_id is not None:
            checked.grid_id = grid_id
        elif re.fullmatch(rf"{re.escape(data.community)}第\d+网格", data.grid):
            checked.new_grid = data.grid
            warnings.append(f"{at('grid')}: 新网格“{data.grid}”已加入{data.community}社区")
        else:
            refuse("grid", f"网格名称应为“{data.community}第N网格”")
    if data.received_at is not None:
        collect(check_not_future, data.received_at, now=actor.clock.now(), field=at("received_at"), what="受理时间")
    if data.received_at is not None and data.received_at < actor.clock.now() - dt.timedelta(days=round(365.25 * RECEIVED_YEARS)):
        refuse("received_at", f"受理时间早于 {RECEIVED_YEARS} 年前，请检查年份")
    if len(data.parties) > MAX_PARTIES:
        refuse("parties", f"一个案件最多 {MAX_PARTIES} 名当事人（现有 {len(data.parties)} 名），请拆分为多个案件")
    if data.amount_yuan is not None:
        checked.amount_fen = collect(yuan_to_fen, data.amount_yuan, field=at("amount_yuan"))


def incident_taken(
    session: Session, committee_id: int, incident_no: str, *, except_case_id: int | None = None, in_file: dict[str, str] | None = None
) -> str | None:
    """Why this 警情编号 cannot be used again, or None: it is unique within the committee (issue 13), so the station
    ledger never counts one call twice. `in_file` maps numbers seen earlier in the same import to their path."""
    number = incident_no.strip()
    if in_file is not None and number in in_file:
        return f"警情编号 {number} 与本文件 {in_file[number]} 重复"
    statement = (
        select(Case.intake_no)
        .join(PoliceReferral, PoliceReferral.case_id == Case.id)
        .where(Case.committee_id == committee_id, PoliceReferral.incident_no == number)
    )
    if except_case_id is not None:
        statement = statement.where(Case.id != except_case_id)
    existing = session.execute(statement.limit(1)).scalar_one_or_none()
    return f"警情编号 {number} 已用于案件 {existing}" if existing else None


def check_referral(
    referral: PoliceReferralIn, *, source: str, actor: Actor, dicts: Dictionaries, at, errors: list[ValidationError]
) -> str | None:
    """A police referral's fields (intake and corrections alike); returns the officer's phone as stored."""
    phone = None

    def refuse(name: str, message: str) -> None:
        errors.append(ValidationError(at(name), message))

    def collect(check, *args, **kwargs):
        try:
            return check(*args, **kwargs)
        except ValidationError as exc:
            errors.append(exc)
            return None

    if source != "police_referral":
        refuse("police_referral", "只有来源为公安机关移交（police_referral）的案件才有警情移交记录")
    if referral.station not in dicts.stations:
        known = "、".join(dicts.stations) or "（字典为空，请先添加派出所）"
        refuse("police_referral.station", f"不是本调委会字典中的派出所，已知：{known}")
    if referral.officer_phone:
        try:
            phone = check_phone(referral.officer_phone, field=at("police_referral.officer_phone"))
        except ValidationError as exc:
            errors.append(exc)
    collect(check_not_future, referral.referred_at, now=actor.clock.now(), field=at("police_referral.referred_at"),
            what="移交时间")
    for name in ("call_time", "incident_time"):  # the call and the incident come before the referral
        value = getattr(referral, name)
        if value is not None:
            collect(check_not_future, value, now=actor.clock.now(), field=at(f"police_referral.{name}"))
            collect(check_not_after, value, referral.referred_at, field=at(f"police_referral.{name}"), latest_name="移交时间")
    return phone


def check_party(
    party: PartyIn, path: str, today: dt.date, errors: list[ValidationError], warnings: list[str],
    signing_day: dt.date | None = None,
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    values: dict[str, Any] = party.model_dump(exclude={"agent"})
    values["role"] = party.role.value
    values["kind"] = party.kind.value
    values["sex"] = party.sex.value if party.sex else None
    values["id_type"] = party.id_type.value if party.id_type else None
    if party.kind is PartyKind.PERSON:
        for name in ("credit_code", "representative"):
            if getattr(party, name):
                errors.append(ValidationError(f"{path}.{name}", "自然人不填此项（单位当事人才有）"))
        if party.id_number:
            id_type = party.id_type
            digits = party.id_number.replace(" ", "")
            if id_type is None:
                id_type = IdType.RESIDENT_ID if len(digits) == 18 else IdType.RESIDENT_ID_15 if len(digits) == 15 else IdType.OTHER
                values["id_type"] = id_type.value
            if id_type in _RESIDENT_ID_TYPES:
                try:
                    resident = check_resident_id(
                        party.id_number,
                        field=f"{path}.id_number",
                        today=today,
                        sex=party.sex.value if party.sex else None,
                        birth_date=party.birth_date,
                    )
                except ValidationError as exc:
                    errors.append(exc)
                else:
                    values["id_number"] = resident.number
                    values["id_type"] = (IdType.RESIDENT_ID_15 if resident.legacy else IdType.RESIDENT_ID).value
                    values["sex"] = values["sex"] or resident.sex
                    values["birth_date"] = values["birth_date"] or resident.birth_date
                    warnings.extend(f"{path}.id_number: {warning}" for warning in resident.warnings)
        if party.birth_date:
            try:
                check_day_not_after_today(party.birth_date, today=today, field=f"{path}.birth_date", what="出生日期")
            except ValidationError as exc:
                errors.append(exc)
    else:
        for name in ("sex", "birth_date", "ethnicity", "occupation", "id_number", "id_type"):
            if getattr(party, name):
                errors.append(ValidationError(f"{path}.{name}", "单位当事人不填此项（自然人才有）"))
        if party.credit_code:
            try:
                values["credit_code"] = check_credit_code(party.credit_code, field=f"{path}.credit_code")
            except ValidationError as exc:
                errors.append(exc)
    if party.phone:
        try:
            values["phone"] = check_phone(party.phone, field=f"{path}.phone")
        except ValidationError as exc:
            errors.append(exc)
    values["org_kind"] = party.org_kind.value if party.org_kind else None
    values["capacity"] = party.capacity.value if party.capacity else None
    if party.kind is PartyKind.PERSON and party.org_kind:
        errors.append(ValidationError(f"{path}.org_kind", "自然人不填此项（单位当事人才有）"))
    if party.kind is not PartyKind.PERSON and party.capacity:
        errors.append(ValidationError(f"{path}.capacity", "单位当事人不填此项（自然人才有）"))
    agent = None
    if party.agent is not None:
        raw = party.agent.model_dump(mode="json")
        agent, agent_errors, agent_warnings = check_agent(
            raw, path=f"{path}.agent", today=today, party_kind=party.kind.value, party_birth_date=values.get("birth_date"),
            party_capacity=values["capacity"], signing_day=signing_day,
        )
        errors.extend(agent_errors)
        warnings.extend(agent_warnings)
    return values, agent


def register_case(session: Session, *, actor: Actor, data: CaseIn | dict) -> Registered:
    """Register one case (the intake dialog, `laopan case import` of one case). Raises Refused, saving nothing."""
    actor.require(Action.REGISTER)
    case_in = data if isinstance(data, CaseIn) else parse_case(data)
    settings = committee_settings(session, actor.committee_id)
    dicts = load_dictionaries(session, actor.committee_id)
    errors, warnings, checked = check_case(session, actor=actor, data=case_in, dicts=dicts, settings=settings)
    if errors:
        raise Refused(errors, warnings)
    rows = CaseRows(session, actor=actor, dicts=dicts, settings=settings)
    registered = rows.add(checked, warnings=warnings)
    rows.insert()
    return registered


def import_cases(session: Session, *, actor: Actor, document: Any, on_duplicate: OnDuplicate = OnDuplicate.REFUSE) -> "ImportReport":
    """Every case of a `laopan.case/1` document, or none: all are checked before the first is written.

    A case already on the desk (laopan.services.duplicates) refuses the import, or with `OnDuplicate.SKIP` is
    left out and listed in the report's `skipped`, so importing the same file twice counts each case once."""
    case_file = parse_file(document)
    settings = committee_settings(session, actor.committee_id)
    dicts = load_dictionaries(session, actor.committee_id)
    all_errors: list[ValidationError] = []
    all_warnings: list[str] = []
    checked_cases = []
    duplicates = {d.index: d for d in find_duplicates(session, committee_id=actor.committee_id, cases=case_file.cases)}
    if on_duplicate is OnDuplicate.REFUSE:
        all_errors.extend(ValidationError(d.path, d.message() + "；如需跳过已有案件，请选择“跳过重复”") for d in duplicates.values())
    numbers = taken_numbers(session, committee_id=actor.committee_id, template=settings.agreement_no_format)
    incidents: dict[str, str] = {}
    paths: list[str] = []
    for index, case_in in enumerate(case_file.cases):
        if index in duplicates:
            continue
        errors, warnings, checked = check_case(
            session, actor=actor, data=case_in, dicts=dicts, settings=settings, prefix=f"cases[{index}]", numbers_in_file=numbers,
            incidents_in_file=incidents,
        )
        all_errors.extend(errors)
        all_warnings.extend(warnings)
        checked_cases.append(checked)
        paths.append(f"cases[{index}]")
    if all_errors:
        all_errors.sort(key=_case_index)  # stable: case by case, each case's errors in the order found
        raise Refused(all_errors, all_warnings)
    _number_in_signing_order(session, actor, settings, checked_cases)
    rows = CaseRows(session, actor=actor, dicts=dicts, settings=settings)
    rows.reserve_intake_numbers(checked_cases)
    registered = []
    for path, checked in zip(paths, checked_cases, strict=True):
        registered.append(rows.add(checked, warnings=[], prefix=path, move_numbers=False))
        if len(rows.rows[Case]) >= IMPORT_CHUNK:
            rows.insert()
    rows.insert()
    skipped = [f"{d.path}: {d.message()}，已跳过" for d in duplicates.values()]
    return ImportReport(registered=registered, warnings=all_warnings + [w for r in registered for w in r.warnings], skipped=skipped)


def _case_index(error: ValidationError) -> int:
    found = re.match(r"cases\[(\d+)\]", error.field)
    return int(found[1]) if found else -1


def _number_in_signing_order(session: Session, actor: Actor, settings: CommitteeSettings, checked_cases: list[_Checked]) -> None:
    """A file's finalised written agreements without a number are numbered in the order they were signed (issue 12
    item 9), after every number the file brings (kept as is); unsigned ones last, in file order."""
    highest: dict[int, int] = {}  # per year, the highest number the file brings: one move per year
    for checked in checked_cases:
        if checked.agreement_seq is not None:
            year, seq = checked.agreement_seq
            highest[year] = max(seq, highest.get(year, 0))
    for year, seq in sorted(highest.items()):
        numbering.move_past(session, committee_id=actor.committee_id, kind=numbering.AGREEMENT, year=year, seq=seq)
    this_year = actor.today(settings.time_zone).year
    unnumbered = [
        checked for checked in checked_cases
        if checked.data.agreement is not None and checked.data.agreement.number is None
        and checked.data.agreement.kind is not AgreementKind.ORAL and checked.data.status in (CaseStatus.SETTLED, CaseStatus.CLOSED)
    ]
    signed = lambda c: (c.data.agreement.signed_on is None, c.data.agreement.signed_on or dt.date.min)  # noqa: E731
    for checked in sorted(unnumbered, key=signed):  # stable: same day or unsigned keep file order
        year = checked.data.agreement.signed_on.year if checked.data.agreement.signed_on else this_year
        seq = numbering.next_seq(session, committee_id=actor.committee_id, kind=numbering.AGREEMENT, year=year)
        checked.agreement_number = numbering.format_number(settings.agreement_no_format, year=year, seq=seq)
