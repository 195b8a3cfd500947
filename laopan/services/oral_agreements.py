"""口头协议 (人民调解法 Art. 28): an oral settlement is recorded with its content and the parties' confirmation
(who confirmed, when). It takes no number in the written series; the 口头协议登记表 has its own register number
when the committee keeps one (setting `oral_register_no_format`)."""

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Literal

from sqlmodel import Session

from laopan.clock import format_date_cn, local_date
from laopan.labels import label
from laopan.errors import DomainError, ValidationError
from laopan.models import Committee
from laopan.models.enums import AgreementKind, PartyRole, Sex
from laopan.security.permissions import Action
from laopan.services import audit, locking
from laopan.services.actor import Actor
from laopan.services.agreements import _agreement, _numbering, agreement_state
from laopan.services.cases import agreement_view, build_detail, load_case
from laopan.services.committee import committee_settings
from laopan.views.agreements import AgreementState


def confirm_oral(session: Session, *, actor: Actor, case_id: int, confirmed_by: Sequence[str], confirmed_on: dt.date) -> AgreementState:
    """The parties confirm the oral agreement: it is registered (its register number) and takes effect that day."""
    case = locking.lock_case(session, actor=actor, case_id=case_id, expected_version=None)
    agreement = _agreement(session, case_id, lock=True)
    if agreement.kind != AgreementKind.ORAL.value:
        raise DomainError("本案协议为书面协议，请定稿后签署")
    if agreement.finalised_at is not None:
        raise DomainError(f"口头协议已登记（{agreement.oral_register_no or '无登记编号'}）")
    zone = committee_settings(session, actor.committee_id).time_zone
    if confirmed_on > actor.today(zone):
        raise ValidationError("确认日期", f"晚于今天：{confirmed_on.isoformat()}")
    if case.accepted_at is not None and confirmed_on < local_date(case.accepted_at, zone):
        raise ValidationError("确认日期", f"早于案件受理：{confirmed_on.isoformat()}")
    detail = build_detail(session, actor=actor, case=case, reveal=True)
    allowed = {p.name for p in detail.parties} | {p.agent.name for p in detail.parties if p.agent} | {
        p.representative for p in detail.parties if p.representative}
    names = [name.strip() for name in confirmed_by if name.strip()]
    if not names:
        raise ValidationError("确认人", "至少一名当事人确认")
    for name in names:
        if name not in allowed:
            raise ValidationError("确认人", f"“{name}”不是本案当事人或其代理人")
    def confirmed(party) -> bool:
        return party.name in names or bool(party.agent and party.agent.name in names) or party.representative in names

    missing = [party.name for party in detail.parties if not confirmed(party)]
    if missing:
        raise ValidationError("确认人", f"每一方当事人（或其代理人）都须确认口头协议，尚缺：{'、'.join(missing)}")
    values = {"confirmed_by": names, "confirmed_on": confirmed_on}
    changes = locking.apply(agreement, values)
    session.flush()
    changes |= locking.apply(agreement, _numbering(session, actor, agreement))
    locking.touch(agreement, actor=actor)
    audit.record(session, actor=actor, action="agreement.oral_confirm", entity="case", entity_id=case_id, changes=changes)
    return agreement_state(session, actor=actor, case_id=case_id)


def render_oral(session: Session, *, actor: Actor, case_id: int, fmt: Literal["pdf", "docx"]) -> bytes:
    """The 人民调解口头协议登记表 of an oral case (audited like every print)."""
    from laopan.documents import render_docx, render_pdf
    from laopan.documents.oral import build_oral_register

    if fmt not in ("pdf", "docx"):
        raise ValidationError("格式", "应为 pdf 或 docx")
    actor.require(Action.PRINT)
    case = load_case(session, actor=actor, case_id=case_id)
    agreement = _agreement(session, case_id)
    if agreement.kind != AgreementKind.ORAL.value:
        raise DomainError("本案为书面协议，请打印人民调解协议书（laopan doc agreement）")
    detail = dataclasses.replace(build_detail(session, actor=actor, case=case, reveal=True), agreement=agreement_view(session, agreement))
    document = build_oral_register(_register(detail, committee=session.get(Committee, actor.committee_id).name, actor=actor))
    if not agreement.finalised_at:  # not yet confirmed by the parties: a draft of the register
        document = dataclasses.replace(document, draft=True)
    data = render_pdf(document) if fmt == "pdf" else render_docx(document)
    audit.record(session, actor=actor, action="agreement.oral_print", entity="case", entity_id=case_id,
                 changes={"format": fmt, "register_no": agreement.oral_register_no})
    return data


def _register(detail, *, committee: str, actor: Actor):
    """What the 登记表 prints, from the revealed case and its oral agreement."""
    from laopan.documents.oral import OralParty, OralRegister

    agreement = detail.agreement
    on = agreement.confirmed_on or actor.today(detail.time_zone)
    parties = tuple(
        OralParty(role=label(PartyRole, p.role), name=p.name, sex=label(Sex, p.sex) if p.sex else "", ethnicity=p.ethnicity or "",
                  age=f"{_age(p.birth_date, on)}岁" if p.birth_date else "", id_number=p.id_number or p.credit_code or "",
                  occupation=p.occupation or "", address=p.address or "", phone=p.phone or "")
        for p in detail.parties
    )
    performance = "；".join(x for x in (
        agreement.performance_method or "",
        f"于{format_date_cn(agreement.performance_deadline)}前履行" if agreement.performance_deadline else "",
        f"履行地点：{agreement.performance_place}" if agreement.performance_place else "",
    ) if x)
    return OralRegister(
        committee=committee, parties=parties, facts=agreement.facts or detail.summary, clauses=tuple(agreement.clauses),
        performance=performance, mediators=tuple(m.name for m in detail.mediators), registrar=actor.display_name or actor.login,
        registered_on=on, register_number=agreement.oral_register_no, subject=detail.intake_no,
    )


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


__all__ = ["confirm_oral", "render_oral"]
