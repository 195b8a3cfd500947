"""The case file's standard forms (issue 14 item 1; DESIGN §5): each filled from the revealed case and rendered.

    data = render_case_document(session, actor=actor, case_id=id, name="notice", fmt="pdf")

`name` is one of `DOCUMENTS` (application, registration, notice, record, power, police-feedback, cover, followup,
judicial). The
forms carry full ID numbers, phones and addresses: printing needs `actor.may_reveal`, and every print or export
is audited (`document.print` / `document.export`, naming the document and the format) like an agreement's.
The builders in `laopan.documents.forms` are pure; this module only reads the case and maps it onto them.
"""

import dataclasses
import datetime as dt
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlmodel import Session

from laopan.clock import format_date_cn, local_date
from laopan.documents.agreement import agent_title, role_label
from laopan.documents.forms.common import FormParty
from laopan.documents.model import Document
from laopan.errors import DomainError, ValidationError
from laopan.labels import label
from laopan.models import AuditEntry, Committee
from laopan.models.committee import User
from laopan.models.decisions import TerminationReason
from laopan.models.enums import (
    AgentKind, AgreementKind, CaseMediatorRole, CaseStatus, FeedbackResult, IdType, Level, PartyKind, PartyRole,
    PerformanceStatus, ReferralNature, Sex,
)
from laopan.security.permissions import Action
from laopan.services import audit
from laopan.services.actor import Actor
from laopan.services.cases import build_detail, load_case
from laopan.services.representatives import head_title
from laopan.views.cases import CaseDetail, PartyView, SessionView

__all__ = ["DOCUMENTS", "build_case_document", "render_case_document"]

DOCUMENTS = {
    "application": "人民调解申请书", "registration": "人民调解受理登记表", "notice": "人民调解当事人权利义务告知书",
    "record": "人民调解记录", "power": "授权委托书", "police-feedback": "警调移交反馈单", "cover": "卷宗封面及卷内目录",
    "followup": "人民调解回访记录", "judicial": "司法确认申请书",
}
_ID_LABELS = {IdType.RESIDENT_ID.value: "身份证号", IdType.RESIDENT_ID_15.value: "身份证号", IdType.PASSPORT.value: "护照号码"}


def render_case_document(
    session: Session, *, actor: Actor, case_id: int, name: str, fmt: Literal["pdf", "docx"], purpose: str = "export",
    session_no: int | None = None, party: str | None = None, visit: int | None = None,
) -> bytes:
    """One of `DOCUMENTS` as PDF or DOCX (audited). `session_no` picks the 调解记录 (1 = the first session; the
    latest by default); `party` picks whose 授权委托书 (a party's or its agent's name; needed when several have one);
    `visit` picks the 回访记录 (numbered as `followup list`; the latest visit made by default)."""
    from laopan.documents import render_docx, render_pdf

    if fmt not in ("pdf", "docx"):
        raise ValidationError("格式", "应为 pdf 或 docx")
    if purpose not in ("print", "export", "preview"):
        raise ValueError(f"unknown purpose {purpose!r}")
    document = build_case_document(session, actor=actor, case_id=case_id, name=name, session_no=session_no, party=party,
                                   visit=visit)
    data = render_pdf(document) if fmt == "pdf" else render_docx(document)
    audit.record(session, actor=actor, action=f"document.{purpose}", entity="case", entity_id=case_id,
                 changes={"document": name, "format": fmt, **({"session": session_no} if session_no else {}),
                          **({"party": party} if party else {}), **({"visit": visit} if visit else {})})
    return data


def build_case_document(
    session: Session, *, actor: Actor, case_id: int, name: str, session_no: int | None = None, party: str | None = None,
    visit: int | None = None,
) -> Document:
    """The content model of one document of the case (not audited: `render_case_document` is the print)."""
    if name not in DOCUMENTS:
        raise ValidationError("文书", f"没有“{name}”，可选：{'、'.join(DOCUMENTS)}")
    actor.require(Action.PRINT)
    case = load_case(session, actor=actor, case_id=case_id)
    detail = build_detail(session, actor=actor, case=case, reveal=True)
    committee = session.get(Committee, actor.committee_id).name
    match name:
        case "application":
            return _application(detail, committee)
        case "registration":
            return _registration(session, actor, detail, committee)
        case "notice":
            return _notice(detail, committee)
        case "record":
            return _record(detail, committee, session_no)
        case "power":
            return _power(detail, committee, party)
        case "police-feedback":
            return _police_feedback(session, actor, detail, committee)
        case "followup":
            from laopan.services.case_documents_after import followup_record

            return followup_record(session, actor, detail, committee, visit)
        case "judicial":
            from laopan.services.case_documents_after import judicial_application

            return judicial_application(session, actor, detail, committee)
        case _:
            return _cover(session, actor, detail, committee)


# --- the case, as the forms print it -------------------------------------------------------------------------

def _details(party: PartyView) -> str:
    """性别，民族，出生日期，身份证号：…，职业：…，住址：…，电话：… (an organisation: its code, seat and head)."""
    if party.kind == PartyKind.ORGANIZATION.value:
        title = head_title(party.org_kind, party.name)
        parts = [_labelled("统一社会信用代码", party.credit_code), _labelled("住所", party.address),
                 _labelled(title, party.representative), _labelled("电话", party.phone)]
    else:
        id_label = _ID_LABELS.get(party.id_type or "", f"{label(IdType, party.id_type) or '证件'}号码")
        parts = [label(Sex, party.sex), party.ethnicity or "",
                 f"{format_date_cn(party.birth_date)}出生" if party.birth_date else "",
                 _labelled(id_label, party.id_number), _labelled("职业", party.occupation), _labelled("住址", party.address),
                 _labelled("电话", party.phone)]
    return "，".join(part for part in parts if part)


def _labelled(name: str, value: str | None) -> str:
    return f"{name}：{value.strip()}" if value and value.strip() else ""


def _agent_text(party: PartyView) -> str:
    agent = party.agent
    if agent is None:
        return ""
    id_label = _ID_LABELS.get(agent.id_type or "", f"{label(IdType, agent.id_type) or '证件'}号码")
    name = f"{agent.name}（{agent.relation}）" if agent.relation else agent.name
    parts = [name, _labelled(id_label, agent.id_number), _labelled("住址", agent.address), _labelled("电话", agent.phone)]
    return "，".join(part for part in parts if part)


def _form_party(party: PartyView) -> FormParty:
    return FormParty(role=role_label(party), name=party.name, details=_details(party),
                     agent_title=agent_title(party.agent) if party.agent else "", agent=_agent_text(party),
                     agent_name=party.agent.name if party.agent else "")


def _dispute(detail: CaseDetail) -> str:
    text = detail.dispute_type_label
    return text if text.endswith("纠纷") else f"{text}纠纷"


def _between(detail: CaseDetail) -> str:
    """张三与李四邻里纠纷 (the applicants, 与, the others)."""
    applicants = [p.name for p in detail.parties if p.role == PartyRole.APPLICANT.value]
    others = [p.name for p in detail.parties if p.role != PartyRole.APPLICANT.value]
    return f"{'、'.join(applicants)}与{'、'.join(others)}{_dispute(detail)}" if applicants and others else _dispute(detail)


def _mediators(detail: CaseDetail) -> tuple[str, ...]:
    ordered = sorted((m for m in detail.mediators if m.role != CaseMediatorRole.RECORDER.value),
                     key=lambda m: m.role != CaseMediatorRole.LEAD.value)
    return tuple(m.name for m in ordered)


def _recorder(detail: CaseDetail) -> str:
    return next((m.name for m in detail.mediators if m.role == CaseMediatorRole.RECORDER.value), "")


def _local(at: dt.datetime | None, zone: str) -> dt.datetime | None:
    return at.astimezone(ZoneInfo(zone)) if at else None


def _who(session: Session, committee_id: int, *actions: str, case_id: int) -> str:
    """The display name of whoever did `action` on the case first (受理人, 立卷人), from the audit trail."""
    login = session.execute(
        select(AuditEntry.login).where(AuditEntry.entity == "case", AuditEntry.entity_id == case_id,
                                       AuditEntry.action.in_(actions)).order_by(AuditEntry.at, AuditEntry.id)
    ).scalars().first()
    if login is None:
        return ""
    shown = session.execute(select(User.display_name).where(User.committee_id == committee_id, User.login == login)).scalar()
    return shown or login


# --- one function per document -----------------------------------------------------------------------------

def _application(detail: CaseDetail, committee: str) -> Document:
    from laopan.documents.forms.application import Application, build_application

    return build_application(Application(
        committee=committee, parties=tuple(_form_party(p) for p in detail.parties), matters=detail.claims,
        facts=detail.summary, applied_on=local_date(detail.received_at, detail.time_zone), subject=detail.intake_no,
    ))


def _registration(session: Session, actor: Actor, detail: CaseDetail, committee: str) -> Document:
    from laopan.documents.forms.registration import Registration, build_registration

    return build_registration(Registration(
        committee=committee, intake_no=detail.intake_no, received_on=local_date(detail.received_at, detail.time_zone),
        source=detail.source_label, parties=tuple(_form_party(p) for p in detail.parties), dispute_type=_dispute(detail),
        summary=detail.summary, claims=detail.claims,
        accepted_by=_who(session, actor.committee_id, "case.accept", case_id=detail.id)
        if detail.accepted_at else "",
        mediators=_mediators(detail),
        accepted_on=local_date(detail.accepted_at, detail.time_zone) if detail.accepted_at else None,
        level=label(Level, detail.level),
    ))


def _notice(detail: CaseDetail, committee: str) -> Document:
    from laopan.documents.forms.notice import Notice, NoticeParty, build_notice

    parties = tuple(
        NoticeParty(role_label(p), p.name,
                    signer=f"{agent_title(p.agent)}：{p.agent.name}" if p.agent and p.agent.kind == AgentKind.LEGAL.value else "")
        for p in detail.parties
    )
    on = local_date(detail.accepted_at, detail.time_zone) if detail.accepted_at else None
    return build_notice(Notice(committee=committee, intake_no=detail.intake_no, parties=parties,
                               dispute=_dispute(detail), notified_on=on))


def _record(detail: CaseDetail, committee: str, session_no: int | None) -> Document:
    from laopan.documents.forms.record import SessionRecord, build_session_record

    if not detail.sessions:
        raise DomainError("本案尚未登记调解记录，不能打印调解笔录（请先登记一次调解）")
    count = len(detail.sessions)
    number = session_no or count
    if not 1 <= number <= count:
        raise ValidationError("--session", f"本案共有{count}次调解记录，没有第{number}次")
    held: SessionView = detail.sessions[number - 1]
    return build_session_record(SessionRecord(
        committee=committee, intake_no=detail.intake_no, sequence=number, held_at=_local(held.held_at, detail.time_zone),
        place=held.place, mediators=held.mediators or _mediators(detail), recorder=_recorder(detail),
        parties_present=held.parties_present, participants=held.participants, statements=held.statements,
        result=held.result, dispute=_between(detail),
    ))


def _power(detail: CaseDetail, committee: str, who: str | None) -> Document:
    from laopan.documents.forms.power import PowerOfAttorney, build_power_of_attorney

    entrusted = [p for p in detail.parties if p.agent is not None and p.agent.kind == AgentKind.ENTRUSTED.value]
    if who:
        named = [p for p in detail.parties if who in (p.name, p.agent.name if p.agent else None)]
        if not named:
            raise ValidationError("--party", f"本案没有当事人或代理人“{who}”")
        if named[0] not in entrusted:
            raise DomainError(f"当事人“{named[0].name}”没有委托代理人，无需授权委托书")
        party = named[0]
    elif not entrusted:
        raise DomainError("本案当事人均未委托代理人，无需授权委托书")
    elif len(entrusted) > 1:
        raise ValidationError("--party", f"本案有{len(entrusted)}位当事人委托了代理人，请指明：{'、'.join(p.name for p in entrusted)}")
    else:
        party = entrusted[0]
    agent = party.agent
    id_label = _ID_LABELS.get(agent.id_type or "", f"{label(IdType, agent.id_type) or '证件'}号码")
    details = "，".join(x for x in (_labelled(id_label, agent.id_number), _labelled("住址", agent.address),
                                    _labelled("电话", agent.phone)) if x)
    return build_power_of_attorney(PowerOfAttorney(
        committee=committee, principal=dataclasses.replace(_form_party(party), agent="", agent_title=""),
        agent_name=agent.name, agent_details=details, agent_relation=agent.relation or "", dispute=_between(detail),
        special=agent.scope == "special", subject=detail.intake_no,
    ))


def _police_feedback(session: Session, actor: Actor, detail: CaseDetail, committee: str) -> Document:
    from laopan.documents.forms.police_feedback import PoliceFeedback, build_police_feedback

    referral = detail.referral
    if referral is None:
        raise DomainError("本案不是公安机关移交的案件，没有警调移交反馈单")
    zone = detail.time_zone
    agreement = detail.agreement
    agreement_no = referral.feedback_agreement_no or (agreement.number or agreement.oral_register_no or "" if agreement else "")
    result = label(FeedbackResult, referral.feedback_result) or _state_result(detail)
    return build_police_feedback(PoliceFeedback(
        committee=committee, intake_no=detail.intake_no, station=referral.station, incident_no=referral.incident_no,
        call_time=_local(referral.call_time, zone), officer=referral.officer or "", badge_no=referral.badge_no or "",
        referred_at=_local(referral.referred_at, zone), parties="、".join(p.name for p in detail.parties),
        nature=label(ReferralNature, referral.nature), received_at=_local(referral.received_at, zone),
        received_by=referral.received_by or "", mediators=_mediators(detail),
        first_contact_at=_local(referral.first_contact_at, zone), result=result, agreement_no=agreement_no or "",
        performance=label(PerformanceStatus, referral.feedback_performance) or "",
        feedback_at=_local(referral.feedback_at, zone), feedback_content=referral.feedback_content or "",
        liaison=_who(session, actor.committee_id, "referral.feedback", case_id=detail.id) or referral.received_by or "",
    ))


def _state_result(detail: CaseDetail) -> str:
    """Before feedback: where the mediation stands (调解中, 调解成功, 调解终止 …)."""
    status = detail.status_before_close if detail.status == CaseStatus.CLOSED.value else detail.status
    return {CaseStatus.SETTLED.value: "调解成功", CaseStatus.TERMINATED.value: "调解终止",
            CaseStatus.REJECTED.value: "不予受理"}.get(status or "", "调解中")


def _closing(detail: CaseDetail) -> str:
    if detail.status != CaseStatus.CLOSED.value:
        return ""
    result = _state_result(detail)
    if detail.status_before_close == CaseStatus.SETTLED.value and detail.agreement:
        return f"{result}（{'口头协议' if detail.agreement.kind == AgreementKind.ORAL.value else '书面协议'}）"
    if detail.termination_reason:
        return f"{result}（{label(TerminationReason, detail.termination_reason)}）"
    return result


def _cover(session: Session, actor: Actor, detail: CaseDetail, committee: str, contents=None) -> Document:
    """The cover; `contents` (ContentsEntry with page counts) from the packet builder, else the usual list unpaged."""
    from laopan.documents.forms.cover import Cover, build_cover

    contents = list(contents) if contents is not None else _usual_contents(detail)
    agreement_no = detail.agreement.number or "" if detail.agreement else ""
    return build_cover(Cover(
        committee=committee, intake_no=detail.intake_no, dispute=_dispute(detail),
        parties=tuple(f"{role_label(p)}：{p.name}" for p in detail.parties), mediators=_mediators(detail),
        received_on=local_date(detail.received_at, detail.time_zone),
        closed_on=local_date(detail.closed_at, detail.time_zone) if detail.closed_at else None,
        closing=_closing(detail), contents=tuple(contents), agreement_no=agreement_no,
        filed_by=_who(session, actor.committee_id, "case.close", case_id=detail.id),
    ))


def _usual_contents(detail: CaseDetail) -> list:
    from laopan.documents.forms.cover import ContentsEntry

    contents = [ContentsEntry("卷宗封面"), ContentsEntry("卷内目录"),
                ContentsEntry("人民调解申请书" if detail.source == "party_application" else "人民调解受理登记表"),
                ContentsEntry("人民调解当事人权利义务告知书")]
    if any(p.agent and p.agent.kind == AgentKind.ENTRUSTED.value for p in detail.parties):
        contents.append(ContentsEntry("授权委托书"))
    contents += [ContentsEntry(f"人民调解记录（第{n}次）") for n in range(1, len(detail.sessions) + 1)]
    if detail.agreement:
        oral = detail.agreement.kind == AgreementKind.ORAL.value
        contents.append(ContentsEntry("人民调解口头协议登记表" if oral else "人民调解协议书",
                                      note=detail.agreement.number or detail.agreement.oral_register_no or ""))
    if detail.referral:
        contents.append(ContentsEntry("警调移交反馈单"))
    contents.append(ContentsEntry("封底"))
    return contents
