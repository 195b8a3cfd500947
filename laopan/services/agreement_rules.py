"""The parts of the agreement check that grew with issue 12: who signs for each party, payments (dates, payer
and payee, instalments) and amounts written in one form only. Pure functions over the case detail and the
agreement row; `agreements.check_agreement` gathers them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from laopan.documents.money import _PAIR_RE, _WORDS
from laopan.errors import ValidationError
from laopan.labels import label
from laopan.models.enums import AgentKind, AgentScope, PartyKind, PartyRole
from laopan.services.representatives import is_minor, needs_guardian

# Who may pay or receive besides the parties: a deposit is held by the committee.
COMMITTEE_WORDS = ("人民调解委员会", "调委会")
_LONE_FIGURES = re.compile(r"[￥¥]\s*\d[\d,]*(?:\.\d+)?|\d[\d,]*(?:\.\d+)?\s*元")
_LONE_WORDS = re.compile(_WORDS)


def representation_errors(parties: Sequence, day: dt.date) -> list[ValidationError]:
    """A minor (or a person without full capacity) needs a 法定代理人; a 委托代理人 signs only with 特别授权."""
    errors = []
    for index, party in enumerate(parties, 1):
        where = f"当事人[{index}] {party.name}"
        agent = party.agent
        if needs_guardian(kind=party.kind, birth_date=party.birth_date, capacity=party.capacity, day=day):
            if agent is None or agent.kind != AgentKind.LEGAL.value:
                who = "未成年人" if is_minor(party.birth_date, day) else "无完全民事行为能力人"
                found = f"（现登记的“{agent.name}”是委托代理人）" if agent is not None else ""
                errors.append(ValidationError(f"{where}.法定代理人", f"{who}须有法定代理人代为签署{found}"))
            elif not (agent.id_number and (agent.address or agent.phone)):
                errors.append(ValidationError(f"{where}.法定代理人", "缺少法定代理人的身份证件号码和住址或电话"))
        if agent is not None and agent.kind == AgentKind.ENTRUSTED.value and agent.scope != AgentScope.SPECIAL.value \
                and party.kind == PartyKind.PERSON.value and not _party_signs(party, day):
            errors.append(ValidationError(f"{where}.委托代理人", "委托代理人代为签署协议须有特别授权"))
        if party.kind == PartyKind.ORGANIZATION.value and not party.representative and not (
                agent is not None and agent.scope == AgentScope.SPECIAL.value):
            errors.append(ValidationError(f"{where}.法定代表人", "单位当事人须写明法定代表人或负责人"))
    return errors


def _party_signs(party, day: dt.date) -> bool:
    """An adult with full capacity signs in person even when a 委托代理人 (general authority) took part."""
    return not needs_guardian(kind=party.kind, birth_date=party.birth_date, capacity=party.capacity, day=day)


def entrusted_signing_error(party, agent) -> ValidationError | None:
    if agent.kind == AgentKind.ENTRUSTED.value and agent.scope != AgentScope.SPECIAL.value:
        scope = label(AgentScope, agent.scope) or "未登记代理权限"
        return ValidationError("签署人", f"{agent.name}是{party.name}的委托代理人（{scope}），代为签署协议须有特别授权")
    return None


def party_titles(parties: Sequence) -> set[str]:
    """Every way a clause may name a party: 张三, 申请人张三."""
    names = set()
    for party in parties:
        names.add(party.name)
        names.add(f"{label(PartyRole, party.role)}{party.name}")
    return names


def payment_errors(specs: Sequence[dict], parties: Sequence, signed_on: dt.date | None) -> list[ValidationError]:
    """Structured payments: payer and payee are parties (or the committee for a deposit); no due date before the
    agreement is signed; instalments add up to the total."""
    errors = []
    names = party_titles(parties)
    for index, spec in enumerate(specs, 1):
        if spec.get("kind") not in ("payment", "instalments"):
            continue
        where = f"协议条款[{index}]"
        for key, what in (("payer", "付款人"), ("payee", "收款人")):
            who = (spec.get(key) or "").strip()
            if who and who not in names and not any(word in who for word in COMMITTEE_WORDS):
                errors.append(ValidationError(f"{where}.{what}", f"“{who}”不是本案当事人（押金可由人民调解委员会收付）"))
        dates = [spec.get("deadline")] + [item.get("deadline") for item in spec.get("instalments", [])]
        for day in (dt.date.fromisoformat(d) for d in dates if d):
            if signed_on is not None and day < signed_on:
                errors.append(ValidationError(f"{where}.期限", f"履行期限 {day.isoformat()} 早于协议签署日期 {signed_on.isoformat()}"))
        if spec.get("kind") == "instalments":
            errors.extend(instalment_errors(spec, where))
    return errors


def instalment_errors(spec: dict, where: str) -> list[ValidationError]:
    """The plan's own rules (two payments or more, positive amounts, deadlines in order, adding up to the total),
    the same the editor's save applies (`ClauseSpec.instalment_problems`)."""
    from laopan.inputs import ClauseSpec

    try:
        parsed = ClauseSpec.from_json(spec)
    except (KeyError, TypeError, ValueError):
        return [ValidationError(f"{where}.分期", "分期支付的记录无法读取，请重新填写")]
    return parsed.instalment_problems(where)


def lone_amount_errors(text: str, field: str) -> list[ValidationError]:
    """An amount written only in words, or only in figures: both forms are required (人民币捌仟元整（￥8000.00）)."""
    rest = _PAIR_RE.sub("", text)
    errors = [ValidationError(field, f"大写金额“{m.group(0)}”缺少小写金额（如“（￥8000.00）”）")
              for m in _LONE_WORDS.finditer(rest)]
    errors += [ValidationError(field, f"小写金额“{m.group(0).strip()}”缺少大写金额（如“人民币捌仟元整”）")
               for m in _LONE_FIGURES.finditer(rest)]
    return errors


def performance_sentence(method: str | None) -> str:
    """"银行转账" → "以银行转账方式履行"; a method that already reads as a sentence is kept as typed."""
    text = (method or "").strip().rstrip("。")
    if not text:
        return ""
    if text.startswith(("以", "由", "通过", "按", "采取", "采用")) or text.endswith("履行"):
        return text
    return f"以{text.removesuffix('方式')}方式履行"
