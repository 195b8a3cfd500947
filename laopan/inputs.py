"""What the services accept: a case to register (typed into the window or read from a file), a police
referral, an agreement draft and its clauses.

These are the services' input models, not the file format: `laopan.interchange.schema` holds `laopan.case/1`
and hands its cases over as these models, so the file format and the services can change apart (a later file
version converts its own records into these). Messages are Chinese and name the field by its JSON path.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator

from laopan.models.enums import (
    AgentKind,
    AgentScope,
    AgreementKind,
    Capacity,
    OrgKind,
    CaseMediatorRole,
    CaseStatus,
    FeedbackResult,
    IdType,
    Level,
    PartyKind,
    PartyRole,
    PerformanceStatus,
    ReferralNature,
    RiskFlag,
    Sex,
)
from laopan.models.decisions import Destination, TerminationReason
from laopan.errors import ValidationError as FieldError
from laopan.validation import MAX_YUAN


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, use_enum_values=False, frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _empty_is_omitted(cls, data: Any) -> Any:
        """An empty string counts as an omitted optional value (DESIGN §7)."""
        if isinstance(data, dict):
            if not any(isinstance(value, str) and not value.strip() for value in data.values()):
                return data  # the usual record: nothing to leave out (and no look at the fields, slow per call)
            fields = cls.model_fields
            return {
                key: value
                for key, value in data.items()
                if not (isinstance(value, str) and not value.strip() and key in fields and not fields[key].is_required())
            }
        return data


class AgentIn(Record):
    name: str = Field(min_length=1)
    relation: str | None = None
    phone: str | None = None
    id_number: str | None = None
    address: str | None = None
    # Optional keys added in version 1 (DESIGN §7): 法定代理人/委托代理人, the 授权委托书's scope, the ID's kind.
    kind: AgentKind | None = None
    scope: AgentScope | None = None
    id_type: IdType | None = None


class PartyIn(Record):
    role: PartyRole
    kind: PartyKind = PartyKind.PERSON
    name: str = Field(min_length=1, max_length=100)
    sex: Sex | None = None
    ethnicity: str | None = None
    birth_date: dt.date | None = None
    id_type: IdType | None = None
    id_number: str | None = None
    occupation: str | None = None
    phone: str | None = None
    address: str | None = None
    credit_code: str | None = None
    representative: str | None = None
    agent: AgentIn | None = None
    # Optional keys: an organisation's kind (法定代表人 or 负责人) and a person's capacity when not by age.
    org_kind: OrgKind | None = None
    capacity: Capacity | None = None


class PoliceReferralIn(Record):
    incident_no: str = Field(min_length=1, max_length=40)
    call_time: AwareDatetime | None = None
    incident_time: AwareDatetime | None = None
    incident_place: str | None = None
    station: str = Field(min_length=1)
    officer: str | None = None
    badge_no: str | None = None
    officer_phone: str | None = None
    approver: str | None = None
    nature: ReferralNature | None = None
    risk_flags: tuple[RiskFlag, ...] = ()
    consent: bool | None = None
    referred_at: AwareDatetime
    received_by: str | None = None
    received_at: AwareDatetime | None = None
    first_contact_at: AwareDatetime | None = None
    feedback_at: AwareDatetime | None = None
    feedback_content: str | None = None
    returned_to_police_at: AwareDatetime | None = None
    # Optional keys added with the liaison's feedback loop (version 1 grows only by optional keys).
    first_contact_note: str | None = None
    feedback_result: FeedbackResult | None = None
    feedback_agreement_no: str | None = None
    feedback_performance: PerformanceStatus | None = None
    returned_reason: str | None = None
    second_mediation: bool = False


class MediatorIn(Record):
    name: str = Field(min_length=1, max_length=64)
    role: CaseMediatorRole = CaseMediatorRole.LEAD


class PerformanceIn(Record):
    method: str | None = None
    place: str | None = None
    deadline: dt.date | None = None


class AgreementIn(Record):
    kind: AgreementKind = AgreementKind.WRITTEN
    facts: str | None = None
    matters: str | None = None
    responsibilities: str | None = None
    clauses: tuple[str, ...] = ()
    performance: PerformanceIn | None = None
    signed_on: dt.date | None = None
    number: str | None = None


class SessionIn(Record):
    """调解记录 (optional key `sessions`)."""

    held_at: AwareDatetime
    place: str = Field(min_length=1)
    mediators: tuple[str, ...] = ()
    parties_present: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    statements: str | None = None
    result: str | None = None


class EscalationIn(Record):
    """One step of the level history (optional key `escalations`); imported as recorded, never invented."""

    from_level: Level
    to_level: Level
    reason: str = Field(min_length=1)
    by: str | None = None
    at: AwareDatetime


class PoliceReportIn(Record):
    """A report to the police under Art. 25 (optional key `police_reports`)."""

    reported_at: AwareDatetime
    reported_to: str = Field(min_length=1)
    note: str | None = None
    by: str | None = None


class CaseIn(Record):
    received_at: AwareDatetime | None = None
    source: str = Field(min_length=1)
    dispute_type: str = Field(min_length=1)
    level: Level
    community: str = Field(min_length=1)
    grid: str | None = None
    summary: str = Field(min_length=1)
    claims: tuple[str, ...] = ()
    amount_yuan: str | None = None
    parties: tuple[PartyIn, ...]
    police_referral: PoliceReferralIn | None = None
    mediators: tuple[MediatorIn, ...] = ()
    status: CaseStatus = CaseStatus.REGISTERED
    agreement: AgreementIn | None = None
    rejection_reason: str | None = None
    termination_reason: TerminationReason | None = None
    termination_destination: Destination | None = None
    sessions: tuple[SessionIn, ...] = ()
    escalations: tuple[EscalationIn, ...] = ()
    police_reports: tuple[PoliceReportIn, ...] = ()
    # Optional keys added in version 1 (DESIGN §7): outcomes the monthly report counts.
    prevented_criminal: bool = False
    prevented_group_petition: bool = False


_MESSAGES = {
    "missing": "缺少必填项",
    "extra_forbidden": "未知字段",
    "string_too_short": "不能为空",
    "too_short": "不能为空",
    "string_too_long": "太长",
    "string_type": "应为文字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "date_from_datetime_parsing": "日期格式应为 2026-10-08",
    "date_parsing": "日期格式应为 2026-10-08",
    "date_type": "日期格式应为 2026-10-08",
    "datetime_from_date_parsing": "时间格式应为 2026-10-08T09:30:00+08:00",
    "datetime_parsing": "时间格式应为 2026-10-08T09:30:00+08:00",
    "datetime_type": "时间格式应为 2026-10-08T09:30:00+08:00",
    "timezone_aware": "时间须带时区，如 2026-10-08T09:30:00+08:00",
    "tuple_type": "应为列表",
    "list_type": "应为列表",
    "model_type": "应为对象",
    "dict_type": "应为对象",
    "model_attributes_type": "应为对象",
    "literal_error": "格式标识应为 laopan.case/1",
}


def json_path(loc: tuple[int | str, ...], prefix: str = "") -> str:
    """('cases', 2, 'parties', 0, 'id_number') → "cases[2].parties[0].id_number"."""
    path = prefix
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _message(error: dict) -> str:
    kind = error["type"]
    if kind == "enum":
        expected = error.get("ctx", {}).get("expected", "")
        return f"不是有效的代码，可选：{expected.replace(' or ', ', ')}"
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    return f"格式不对（{error['msg']}）"


def field_errors(exc: ValidationError, prefix: str = "") -> list[FieldError]:
    """Pydantic's errors as our field errors, paths in JSON notation, messages in Chinese."""
    raw = exc.errors()
    errors = []
    for error in raw:
        loc = tuple(part for part in error["loc"] if not (isinstance(part, str) and part.startswith("function-")))
        if error["type"] == "too_short" and any(len(other["loc"]) > len(loc) and other["loc"][: len(loc)] == loc for other in raw):
            continue  # the list lost its items to their own errors; those are the ones to report
        errors.append(FieldError(json_path(loc, prefix) or "(文件)", _message(error)))
    return errors


def parse_case(data: dict, prefix: str = "") -> CaseIn:
    """One case (e.g. from the intake dialog); raises Refused."""
    from laopan.errors import Refused

    try:
        return CaseIn.model_validate(data)
    except ValidationError as exc:
        raise Refused(field_errors(exc, prefix)) from None


# ---------------------------------------------------------------- agreements


@dataclass(frozen=True)
class Instalment:
    """One payment of an instalment plan: due by `deadline`, `amount` yuan as typed ("3000.00")."""

    deadline: dt.date | None
    amount: str


def _amount(value: str, where: str) -> Decimal:
    """A positive amount of yuan with at most two decimals, or a FieldError naming `where`."""
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise FieldError(where, "应为数字，如 8000.00") from None
    if amount.is_finite() and amount > MAX_YUAN:  # before quantize, which cannot hold 1e400
        raise FieldError(where, "金额过大：最多 999999999.99 元")
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise FieldError(where, "应为大于零、最多两位小数的金额")
    return amount


@dataclass(frozen=True)
class ClauseSpec:
    """One clause in the editor: free text, or a structured payment (one sum, or instalments) whose text is
    generated, not typed. For instalments `amount` is the optional total the payments must add up to."""

    kind: Literal["text", "payment", "instalments"]
    text: str = ""
    payer: str = ""
    payee: str = ""
    amount: str = ""
    deadline: dt.date | None = None
    method: str = ""
    instalments: tuple[Instalment, ...] = ()

    def render(self, index: int) -> str:
        if self.kind == "text":
            return self.text.strip()
        from laopan.documents.money import instalment_clause, payment_clause

        where = f"协议条款[{index}]"
        for name, value in (("付款人", self.payer), ("收款人", self.payee), ("支付方式", self.method)):
            if not value.strip():
                raise FieldError(f"{where}.{name}", "不能为空")
        if self.kind == "instalments":
            problems = self.instalment_problems(where)
            if problems:
                raise problems[0]
            return instalment_clause(self.payer.strip(), self.payee.strip(),
                                     [(item.deadline, Decimal(item.amount)) for item in self.instalments], self.method)
        amount = _amount(self.amount, f"{where}.金额")
        if self.deadline is None:
            raise FieldError(f"{where}.期限", "不能为空")
        return payment_clause(self.payer.strip(), self.payee.strip(), amount, self.deadline, self.method)

    def instalment_problems(self, where: str, signed_on: dt.date | None = None) -> list[FieldError]:
        """Two payments or more, each with a positive amount and a deadline later than the one before (and not
        before `signed_on` when known), adding up to the total when one is given."""
        if len(self.instalments) < 2:
            return [FieldError(f"{where}.分期", "分期支付至少两期")]
        errors: list[FieldError] = []
        amounts: list[Decimal] = []
        previous: dt.date | None = None
        for number, item in enumerate(self.instalments, 1):
            at = f"{where}.分期[{number}]"
            try:
                amounts.append(_amount(item.amount, f"{at}.金额"))
            except FieldError as exc:
                errors.append(exc)
            if item.deadline is None:
                errors.append(FieldError(f"{at}.期限", "不能为空"))
                continue
            if signed_on is not None and item.deadline < signed_on:
                errors.append(FieldError(f"{at}.期限", f"{item.deadline.isoformat()} 早于协议签署日期 {signed_on.isoformat()}"))
            if previous is not None and item.deadline <= previous:
                errors.append(FieldError(f"{at}.期限", f"{item.deadline.isoformat()} 应晚于上一期的 {previous.isoformat()}"))
            previous = item.deadline
        if self.amount.strip() and not errors:
            total = _amount(self.amount, f"{where}.金额")
            if sum(amounts) != total:
                errors.append(FieldError(f"{where}.分期", f"各期金额合计 {sum(amounts):f} 元，与总额 {total:f} 元不符"))
        return errors

    def due_dates(self) -> list[dt.date]:
        """When money falls due under this clause: the payment's deadline, or each instalment's."""
        if self.kind == "instalments":
            return [item.deadline for item in self.instalments if item.deadline is not None]
        return [self.deadline] if self.kind == "payment" and self.deadline else []

    def as_json(self) -> dict[str, Any]:
        data = {"kind": self.kind, "text": self.text, "payer": self.payer, "payee": self.payee, "amount": self.amount,
                "deadline": self.deadline.isoformat() if self.deadline else None, "method": self.method}
        data = {key: value for key, value in data.items() if value not in ("", None)}
        if self.instalments:
            data["instalments"] = [{"deadline": item.deadline.isoformat() if item.deadline else None, "amount": item.amount}
                                   for item in self.instalments]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ClauseSpec":
        deadline = dt.date.fromisoformat(data["deadline"]) if data.get("deadline") else None
        instalments = tuple(
            Instalment(dt.date.fromisoformat(item["deadline"]) if item.get("deadline") else None, str(item.get("amount", "")))
            for item in data.get("instalments") or ())
        return cls(kind=data["kind"], text=data.get("text", ""), payer=data.get("payer", ""), payee=data.get("payee", ""),
                   amount=data.get("amount", ""), deadline=deadline, method=data.get("method", ""), instalments=instalments)


@dataclass(frozen=True)
class AgreementDraft:
    kind: AgreementKind = AgreementKind.WRITTEN
    facts: str = ""
    matters: str = ""
    responsibilities: str = ""
    clauses: tuple[ClauseSpec, ...] = ()
    performance_method: str = ""
    performance_place: str = ""
    performance_deadline: dt.date | None = None
    signed_on: dt.date | None = None
