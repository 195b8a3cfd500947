"""司法确认 (人民调解法 Art. 33; 民事诉讼法 special procedure): the parties may jointly apply to a court within
`judicial_confirmation_days` (30) of the agreement taking effect; the desk warns `judicial_warning_days` (7)
before the window closes, records the court, application date, court case number and the ruling (确认有效/驳回)
with its scan. Dispute types the courts do not confirm are listed in `CommitteeSettings.judicial_excluded_types`.
"""

import datetime as dt

from sqlalchemy import select
from sqlmodel import Session

from laopan.errors import DomainError, NotFound, ValidationError
from laopan.labels import label
from laopan.models import Agreement, Case, CaseMediator, DisputeType
from laopan.models.casefile import AttachmentKind, CaseAttachment, JudicialConfirmation, JudicialResult
from laopan.security.records import case_clause
from laopan.services import audit, locking
from laopan.services.actor import Actor
from laopan.services.cases import load_case
from laopan.services.committee import committee_settings
from laopan.services.followups import agreement_in_force
from laopan.settings import CommitteeSettings
from laopan.views.casefile import JudicialState, JudicialView, JudicialWindowRow


def window(effective_on: dt.date, settings: CommitteeSettings) -> dt.date:
    """The last day a joint application may be made."""
    return effective_on + dt.timedelta(days=settings.judicial_confirmation_days)


def _excluded(session: Session, case: Case, settings: CommitteeSettings) -> str | None:
    """The dispute type's label when the courts do not confirm agreements of that type."""
    code, text = session.execute(select(DisputeType.code, DisputeType.label).where(DisputeType.id == case.dispute_type_id)).one()
    return text if code in settings.judicial_excluded_types else None


def _views(session: Session, case_id: int) -> tuple[JudicialView, ...]:
    rows = session.execute(select(JudicialConfirmation).where(JudicialConfirmation.case_id == case_id)
                           .order_by(JudicialConfirmation.applied_on, JudicialConfirmation.id)).scalars().all()
    has_scan = session.execute(select(CaseAttachment.id).where(
        CaseAttachment.case_id == case_id, CaseAttachment.kind == AttachmentKind.JUDICIAL.value)).first() is not None
    return tuple(JudicialView(r.id, r.version, r.court, r.applied_on, r.court_case_no, r.result, r.ruled_on,
                              has_scan and r.result is not None, r.notes) for r in rows)


def judicial_state(session: Session, *, actor: Actor, case_id: int) -> JudicialState:
    case = load_case(session, actor=actor, case_id=case_id)
    settings = committee_settings(session, actor.committee_id)
    today = actor.today(settings.time_zone)
    agreement = agreement_in_force(session, case_id)
    effective = agreement.effective_on if agreement is not None else None
    closes = window(effective, settings) if effective else None
    days_left = (closes - today).days if closes else None
    excluded = _excluded(session, case, settings)
    applications = _views(session, case_id)
    pending = any(a.result is None for a in applications)
    confirmed = any(a.result == JudicialResult.CONFIRMED.value for a in applications)
    hint = None
    if excluded:
        hint = f"“{excluded}”类纠纷的协议法院不予司法确认（见调委会设置）"
    elif effective is None:
        hint = "协议尚未生效（各方签署并加盖调委会印章后生效）"
    elif days_left < 0:
        hint = f"已超过司法确认申请期限（{closes.isoformat()}）"
    elif pending:
        hint = "已申请司法确认，等待法院裁定"
    elif confirmed:
        hint = "协议已经司法确认"
    return JudicialState(
        case_id=case_id, effective_on=effective, closes_on=closes, days_left=days_left,
        warning=days_left is not None and 0 <= days_left <= settings.judicial_warning_days and not applications,
        excluded=excluded is not None, may_apply=hint is None, hint=hint, applications=applications,
    )


def apply(session: Session, *, actor: Actor, case_id: int, court: str, applied_on: dt.date, notes: str = "") -> JudicialState:
    """Record the parties' joint application to a court.

    Raises:
        DomainError: The type is excluded, the agreement is not effective, the window has closed, or an
            application already awaits its ruling.
        ValidationError: No court, or the date outside the window or after today.
    """
    case = locking.lock_case(session, actor=actor, case_id=case_id, expected_version=None, allow_closed=True)
    state = judicial_state(session, actor=actor, case_id=case.id)
    # An application made in time may be entered after the window closed: the date is checked below instead.
    if not state.may_apply and not (state.days_left is not None and state.days_left < 0 and not state.excluded):
        raise DomainError(f"司法确认: {state.hint}")
    if not (court or "").strip():
        raise ValidationError("受理法院", "不能为空")
    today = actor.today(committee_settings(session, actor.committee_id).time_zone)
    if applied_on is None or applied_on > today:
        raise ValidationError("申请日期", "不能为空，也不能晚于今天")
    if applied_on < state.effective_on or applied_on > state.closes_on:
        raise ValidationError("申请日期", f"应在协议生效之日起{(state.closes_on - state.effective_on).days}日内"
                                         f"（{state.effective_on.isoformat()} 至 {state.closes_on.isoformat()}）")
    row = JudicialConfirmation(case_id=case.id, court=court.strip(), applied_on=applied_on, notes=(notes or "").strip())
    row.updated_at, row.updated_by = actor.clock.now(), actor.login
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="judicial.apply", entity="judicial_confirmation", entity_id=row.id,
                 changes={"court": row.court, "applied_on": applied_on}, case_id=case.id)
    return judicial_state(session, actor=actor, case_id=case.id)


def record_result(
    session: Session, *, actor: Actor, case_id: int, expected_version: int | None, result: str, ruled_on: dt.date,
    court_case_no: str | None = None, scan: tuple[str, bytes] | None = None,
) -> JudicialState:
    """The court's ruling on the pending application (确认有效/驳回), its case number and, optionally, its scan."""
    from laopan.services.dossier import attach

    locking.lock_case(session, actor=actor, case_id=case_id, expected_version=None, allow_closed=True)
    pending = session.execute(select(JudicialConfirmation.id).where(
        JudicialConfirmation.case_id == case_id, JudicialConfirmation.result.is_(None))
        .order_by(JudicialConfirmation.id.desc())).scalars().first()
    if pending is None:
        raise NotFound("本案没有等待裁定的司法确认申请")
    row = locking.lock(session, JudicialConfirmation, pending, actor=actor, expected_version=expected_version, what="司法确认")
    code = next((m.value for m in JudicialResult if (result or "").strip() in (m.value, label(m))), None)
    if code is None:
        raise ValidationError("裁定结果", f"应为{'、'.join(label(m) for m in JudicialResult)}之一")
    today = actor.today(committee_settings(session, actor.committee_id).time_zone)
    if ruled_on is None or ruled_on > today or ruled_on < row.applied_on:
        raise ValidationError("裁定日期", f"应在申请日期 {row.applied_on.isoformat()} 与今天之间")
    changes = locking.apply(row, {"result": code, "ruled_on": ruled_on, "court_case_no": (court_case_no or "").strip() or row.court_case_no})
    locking.touch(row, actor=actor)
    session.flush()
    audit.record(session, actor=actor, action="judicial.result", entity="judicial_confirmation", entity_id=row.id,
                 changes=changes, case_id=case_id)
    if scan is not None:
        attach(session, actor=actor, case_id=case_id, kind=AttachmentKind.JUDICIAL.value, filename=scan[0], data=scan[1])
    return judicial_state(session, actor=actor, case_id=case_id)


def closing_windows(session: Session, *, actor: Actor, mine: bool = False) -> list[JudicialWindowRow]:
    """Effective agreements whose window closes within `judicial_warning_days`, not applied for, of a type the
    courts confirm; the last day first."""
    settings = committee_settings(session, actor.committee_id)
    today = actor.today(settings.time_zone)
    days = settings.judicial_confirmation_days
    earliest = today - dt.timedelta(days=days)  # closes today
    latest = today - dt.timedelta(days=days - settings.judicial_warning_days)
    excluded = select(DisputeType.id).where(DisputeType.committee_id == actor.committee_id,
                                            DisputeType.code.in_(settings.judicial_excluded_types))
    statement = (
        select(Case.id, Case.intake_no, Case.parties_display, Case.lead_name, Agreement.effective_on)
        .join(Agreement, Agreement.case_id == Case.id)
        .where(Case.committee_id == actor.committee_id, Agreement.effective_on >= earliest, Agreement.effective_on <= latest,
               Case.dispute_type_id.not_in(excluded),
               Case.id.not_in(select(JudicialConfirmation.case_id)))
        .order_by(Agreement.effective_on, Case.id)
    )
    statement = statement.where(case_clause(session, actor))
    if mine and actor.mediator_id is not None:
        statement = statement.where(Case.id.in_(select(CaseMediator.case_id).where(CaseMediator.mediator_id == actor.mediator_id)))
    rows = []
    for case_id, no, parties, lead, effective in session.execute(statement):
        closes = window(effective, settings)
        rows.append(JudicialWindowRow(case_id, no, parties, lead, effective, closes, (closes - today).days))
    return rows
