"""The case file's papers after the agreement (issue 14): the 回访记录 of one visit and the parties' 司法确认申请书,
filled from the follow-up and judicial records. Called by `laopan.services.case_documents.build_case_document`,
which checks the permission and audits the print; these functions only read the case and map it onto the forms.
"""

from sqlmodel import Session

from laopan.clock import format_date_cn
from laopan.documents.agreement import role_label
from laopan.documents.model import Document
from laopan.errors import DomainError, ValidationError
from laopan.labels import label
from laopan.models.casefile import VisitMethod
from laopan.models.enums import PerformanceStatus
from laopan.services.actor import Actor
from laopan.services.followups import UNPERFORMED, list_followups
from laopan.services.judicial import judicial_state
from laopan.views.cases import CaseDetail
from laopan.views.casefile import FollowUpView

__all__ = ["followup_record", "judicial_application", "next_step"]


def _agreement_no(detail: CaseDetail) -> str:
    agreement = detail.agreement
    return (agreement.number or agreement.oral_register_no or "") if agreement else ""


def next_step(visit: FollowUpView, later: list[FollowUpView]) -> str:
    """What follows the visit: the next visit planned, or what the performance found calls for."""
    if later:
        upcoming = later[0]
        return f"按计划于{format_date_cn(upcoming.planned_on)}再次回访" + (f"（{upcoming.purpose}）" if upcoming.purpose else "") + "。"
    if visit.performance_status == PerformanceStatus.PERFORMED.value:
        return "协议已履行完毕，回访结束。"
    if visit.performance_status in UNPERFORMED:
        return ("督促义务人履行；仍不履行的，可再次调解，告知当事人可就协议的履行向人民法院提起诉讼，"
                "或在期限内共同申请司法确认。")
    return "履行期限届满后再次回访。"


def followup_record(session: Session, actor: Actor, detail: CaseDetail, committee: str, number: int | None) -> Document:
    from laopan.documents.forms.followup import FollowUpRecord, build_followup_record
    from laopan.services.case_documents import _between

    visits = list(list_followups(session, actor=actor, case_id=detail.id).visits)
    if number is None:
        done = [n for n, v in enumerate(visits, 1) if v.done_on is not None]
        if not done:
            raise DomainError("本案尚未登记回访结果，不能打印回访记录（请先 followup record）")
        number = max(done, key=lambda n: (visits[n - 1].done_on, n))
    if not 1 <= number <= len(visits):
        raise ValidationError("--visit", f"本案共有{len(visits)}次回访，没有第{number}次")
    visit = visits[number - 1]
    if visit.done_on is None:
        raise DomainError(f"第{number}次回访（计划{format_date_cn(visit.planned_on)}）尚未进行，不能打印回访记录")
    later = [v for v in visits if v.done_on is None and v.planned_on >= visit.done_on]
    agreement = detail.agreement
    return build_followup_record(FollowUpRecord(
        committee=committee, intake_no=detail.intake_no, sequence=number, dispute=_between(detail),
        parties=tuple(f"{role_label(p)}：{p.name}" for p in detail.parties), agreement_no=_agreement_no(detail),
        agreement_on=agreement.signed_on if agreement else None, visited_on=visit.done_on, visitor=visit.visitor or "",
        method=label(VisitMethod, visit.method) or "", purpose=visit.purpose or "",
        performance=label(PerformanceStatus, visit.performance_status) or "", notes=visit.notes,
        next_step=next_step(visit, later),
    ))


def judicial_application(session: Session, actor: Actor, detail: CaseDetail, committee: str) -> Document:
    from laopan.documents.forms.judicial import JudicialApplication, build_judicial_application
    from laopan.services.case_documents import _between, _form_party

    state = judicial_state(session, actor=actor, case_id=detail.id)
    if not state.applications:
        raise DomainError("本案尚未登记司法确认申请，不能打印司法确认申请书（请先 judicial apply 登记受理法院和申请日期）")
    applied = state.applications[-1]
    agreement = detail.agreement
    return build_judicial_application(JudicialApplication(
        court=applied.court, committee=committee, intake_no=detail.intake_no,
        parties=tuple(_form_party(p) for p in detail.parties), dispute=_between(detail), agreement_no=_agreement_no(detail),
        signed_on=agreement.signed_on if agreement else None, effective_on=state.effective_on,
        clauses=agreement.clauses if agreement else (), applied_on=applied.applied_on,
    ))
