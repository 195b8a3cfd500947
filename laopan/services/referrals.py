"""Police–mediation joint cases (人民调解法 Art. 18, 25): the referral record, the feedback owed to the station,
the liaison's desk and the monthly ledger per station.

A referral's state is derived, never stored: from what has been recorded and the clock.
"""

import datetime as dt

from sqlalchemy import select
from sqlmodel import Session

from laopan.errors import DomainError, NotFound, ValidationError
from laopan.inputs import PoliceReferralIn
from laopan.labels import label
from laopan.models import Agreement, Case, PoliceReferral, PoliceReport
from laopan.models.enums import FeedbackResult, PerformanceStatus, ReferralState
from laopan.security.records import case_clause
from laopan.services import audit, derived, locking
from laopan.services.actor import Actor
from laopan.services.cases import load_case
from laopan.services.committee import committee_settings, load_dictionaries
from laopan.validation import check_not_before, check_not_future, check_phone
from laopan.views.referrals import PoliceReportView, ReferralRow

POLICE_SOURCE = "police_referral"
FEEDBACK_DUE_WINDOW = dt.timedelta(hours=24)  # "feedback due" shows from a day before the deadline
# First contact is owed within hours, so it turns amber later than feedback does (DESIGN §4).
FIRST_CONTACT_SOON_WINDOW = dt.timedelta(hours=8)


def referral_state(referral: PoliceReferral, case_status: str, now: dt.datetime) -> tuple[ReferralState, dt.datetime | None]:
    """(state, next deadline) of a referral at `now`."""
    if referral.feedback_at is not None or referral.returned_to_police_at is not None:
        return ReferralState.CLOSED, None
    if referral.first_contact_at is None:
        due = referral.first_contact_due_at
        return (ReferralState.OVERDUE if now > due else ReferralState.AWAITING_CONTACT), due
    due = referral.feedback_due_at
    if now > due:
        return ReferralState.OVERDUE, due
    outcome_known = case_status in ("settled", "terminated", "rejected", "closed")
    if outcome_known or due - now <= FEEDBACK_DUE_WINDOW:
        return ReferralState.FEEDBACK_DUE, due
    return ReferralState.IN_MEDIATION, due


def due_soon(referral: PoliceReferral, state: ReferralState, due: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether the next deadline is near enough to show amber: feedback due, or first contact within hours."""
    if due is None or state in (ReferralState.OVERDUE, ReferralState.CLOSED):
        return False
    if state is ReferralState.FEEDBACK_DUE:
        return True
    window = FIRST_CONTACT_SOON_WINDOW if referral.first_contact_at is None else FEEDBACK_DUE_WINDOW
    return due - now <= window


def _require_joint(session: Session, actor: Actor, case: Case) -> None:
    dicts = load_dictionaries(session, actor.committee_id)
    if case.source_id != dicts.sources.get(POLICE_SOURCE):
        raise DomainError("该案件不是公安机关移交的联合调解案件，没有警情移交记录")


def _referral(session: Session, *, actor: Actor, case_id: int, expected_version: int | None) -> tuple[Case, PoliceReferral]:
    case = locking.lock_case(session, actor=actor, case_id=case_id, expected_version=None, allow_closed=True)
    referral = session.execute(
        select(PoliceReferral).where(PoliceReferral.case_id == case.id).with_for_update()
    ).scalar_one_or_none()
    if referral is None:
        raise NotFound(f"案件 {case.intake_no} 还没有警情移交记录")
    locking.check_version(session, referral, expected_version, actor=actor)
    return case, referral


def _save(session: Session, *, actor: Actor, referral: PoliceReferral, values: dict, action: str, note: str | None = None) -> None:
    changes = locking.apply(referral, values)
    if not changes:
        return
    locking.touch(referral, actor=actor)
    audit.record(session, actor=actor, action=action, entity="police_referral", entity_id=referral.id, changes=changes, note=note)
    # The case's own timeline shows referral events too.
    audit.record(session, actor=actor, action=action, entity="case", entity_id=referral.case_id, changes=changes, note=note)


def add_referral(session: Session, *, actor: Actor, case_id: int, data: PoliceReferralIn | dict) -> ReferralRow:
    """Record the referral of an existing police-referred case that was registered without one."""
    referral_in = data if isinstance(data, PoliceReferralIn) else PoliceReferralIn.model_validate(data)
    case = locking.lock_case(session, actor=actor, case_id=case_id, expected_version=None)
    _require_joint(session, actor, case)
    if session.execute(select(PoliceReferral.id).where(PoliceReferral.case_id == case.id)).first():
        raise DomainError(f"案件 {case.intake_no} 已有警情移交记录")
    dicts = load_dictionaries(session, actor.committee_id)
    station_id = dicts.stations.get(referral_in.station)
    if station_id is None:
        raise ValidationError("派出所", f"不在字典中，已知：{'、'.join(dicts.stations) or '（空）'}")
    check_not_future(referral_in.referred_at, now=actor.clock.now(), field="移交时间")
    settings = committee_settings(session, actor.committee_id)
    first_due, feedback_due = derived.referral_due_times(referral_in.referred_at, settings)
    referral = PoliceReferral(
        case_id=case.id,
        station_id=station_id,
        officer_phone=check_phone(referral_in.officer_phone, field="民警电话") if referral_in.officer_phone else None,
        nature=referral_in.nature.value if referral_in.nature else None,
        risk_flags=[flag.value for flag in referral_in.risk_flags],
        first_contact_due_at=first_due,
        feedback_due_at=feedback_due,
        received_by=referral_in.received_by or actor.display_name or actor.login,
        received_at=referral_in.received_at or actor.clock.now(),
        **referral_in.model_dump(include={"incident_no", "call_time", "incident_time", "incident_place", "officer",
                                          "badge_no", "approver", "consent", "referred_at"}),
    )
    session.add(referral)
    session.flush()
    audit.record(session, actor=actor, action="referral.add", entity="case", entity_id=case.id,
                 changes={"incident_no": referral.incident_no, "station": referral_in.station})
    return _row_for(session, actor=actor, case_id=case.id)


def record_first_contact(
    session: Session, *, actor: Actor, case_id: int, expected_version: int | None, at: dt.datetime | None = None, note: str | None = None
) -> ReferralRow:
    _, referral = _referral(session, actor=actor, case_id=case_id, expected_version=expected_version)
    at = at or actor.clock.now()
    check_not_before(at, referral.referred_at, field="首次联系时间", earliest_name="警情移交时间")
    check_not_future(at, now=actor.clock.now(), field="首次联系时间")
    _save(session, actor=actor, referral=referral, action="referral.contact",
          values={"first_contact_at": at, "first_contact_by": actor.login, "first_contact_note": note})
    return _row_for(session, actor=actor, case_id=case_id)


def record_feedback(
    session: Session,
    *,
    actor: Actor,
    case_id: int,
    expected_version: int | None,
    result: FeedbackResult,
    content: str | None = None,
    performance: PerformanceStatus | None = None,
    agreement_no: str | None = None,
    at: dt.datetime | None = None,
) -> ReferralRow:
    """Feedback to the station: the result, the agreement number (the case's own by default), performance."""
    _, referral = _referral(session, actor=actor, case_id=case_id, expected_version=expected_version)
    at = at or actor.clock.now()
    if referral.first_contact_at is None:
        raise DomainError("请先记录与当事人的首次联系，再向派出所反馈结果")
    check_not_before(at, referral.first_contact_at, field="反馈时间", earliest_name="首次联系时间")
    check_not_future(at, now=actor.clock.now(), field="反馈时间")
    if agreement_no is None and result is FeedbackResult.SETTLED:
        agreement_no = session.execute(select(Agreement.number).where(Agreement.case_id == case_id, Agreement.superseded_at.is_(None))).scalar_one_or_none()
    _save(session, actor=actor, referral=referral, action="referral.feedback", values={
        "feedback_at": at, "feedback_by": actor.login, "feedback_result": result.value,
        "feedback_content": content, "feedback_agreement_no": agreement_no,
        "feedback_performance": performance.value if performance else None,
    })
    return _row_for(session, actor=actor, case_id=case_id)


def return_to_police(
    session: Session, *, actor: Actor, case_id: int, expected_version: int | None, reason: str, at: dt.datetime | None = None
) -> ReferralRow:
    """Mediation failed: the matter goes back to the station for lawful handling."""
    if not reason or not reason.strip():
        raise ValidationError("退回原因", "不能为空")
    _, referral = _referral(session, actor=actor, case_id=case_id, expected_version=expected_version)
    if referral.returned_to_police_at is not None:
        raise DomainError("该警情已退回公安机关")
    at = at or actor.clock.now()
    check_not_future(at, now=actor.clock.now(), field="退回时间")
    check_not_before(at, referral.referred_at, field="退回时间", earliest_name="警情移交时间")
    _save(session, actor=actor, referral=referral, action="referral.return", values={
        "returned_to_police_at": at, "returned_by": actor.login, "returned_reason": reason.strip(),
    })
    return _row_for(session, actor=actor, case_id=case_id)


def set_second_mediation(session: Session, *, actor: Actor, case_id: int, expected_version: int | None, flag: bool = True) -> ReferralRow:
    """二次调解: the station referred the matter again after an earlier attempt."""
    _, referral = _referral(session, actor=actor, case_id=case_id, expected_version=expected_version)
    _save(session, actor=actor, referral=referral, action="referral.second_mediation", values={"second_mediation": flag})
    return _row_for(session, actor=actor, case_id=case_id)


def report_to_police(
    session: Session, *, actor: Actor, case_id: int, reported_to: str, note: str = "", at: dt.datetime | None = None
) -> PoliceReportView:
    """Art. 25: a case at risk of turning into a public-order or criminal case is reported to the police."""
    if not reported_to or not reported_to.strip():
        raise ValidationError("报告对象", "不能为空（如 东柳派出所 值班民警）")
    at = at or actor.clock.now()
    check_not_future(at, now=actor.clock.now(), field="报告时间")
    case = locking.lock_case(session, actor=actor, case_id=case_id, expected_version=None, allow_closed=True)
    report = PoliceReport(case_id=case.id, reported_at=at, reported_to=reported_to.strip(),
                          note=note.strip(), by_login=actor.login)
    session.add(report)
    session.flush()
    audit.record(session, actor=actor, action="case.report_police", entity="case", entity_id=case.id,
                 changes={"reported_to": report.reported_to, "note": report.note})
    return PoliceReportView(case.id, report.reported_at, report.reported_to, report.note, report.by_login)


def police_reports(session: Session, *, actor: Actor, case_id: int) -> list[PoliceReportView]:
    load_case(session, actor=actor, case_id=case_id)
    rows = session.execute(select(PoliceReport).where(PoliceReport.case_id == case_id).order_by(PoliceReport.reported_at)).scalars()
    return [PoliceReportView(r.case_id, r.reported_at, r.reported_to, r.note, r.by_login) for r in rows]


def list_referrals(
    session: Session, *, actor: Actor, state: ReferralState | None = None, due_only: bool = False, limit: int | None = None
) -> list[ReferralRow]:
    """The liaison's desk: referrals with their state and next deadline, most urgent first.

    `due_only` keeps the ones that need action (awaiting contact, feedback due, overdue).
    """
    now = actor.clock.now()
    dicts = load_dictionaries(session, actor.committee_id)
    statement = (
        select(PoliceReferral, Case.intake_no, Case.parties_display, Case.status, Case.version)
        .join(Case, Case.id == PoliceReferral.case_id)
        .where(case_clause(session, actor))  # the record rules: a mediator sees the referrals of their cases
    )
    if due_only or state not in (None, ReferralState.CLOSED):
        statement = statement.where(PoliceReferral.feedback_at.is_(None), PoliceReferral.returned_to_police_at.is_(None))
    rows = []
    for referral, intake_no, parties, status, _case_version in session.execute(statement):
        current, due = referral_state(referral, status, now)
        if state is not None and current is not state:
            continue
        if due_only and current not in (ReferralState.AWAITING_CONTACT, ReferralState.FEEDBACK_DUE, ReferralState.OVERDUE):
            continue
        rows.append(_row(referral, intake_no, parties, status, current, due, dicts.station_names.get(referral.station_id, ""), now))
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    rows.sort(key=lambda r: (r.due_at or far, r.referred_at))
    return rows[:limit] if limit else rows


def _row(referral: PoliceReferral, intake_no: str, parties: str, status: str, state: ReferralState,
         due: dt.datetime | None, station: str, now: dt.datetime) -> ReferralRow:
    return ReferralRow(
        case_id=referral.case_id, intake_no=intake_no, incident_no=referral.incident_no, station=station,
        parties=parties, case_status=status, state=state.value, due_at=due, referred_at=referral.referred_at,
        first_contact_at=referral.first_contact_at, feedback_at=referral.feedback_at,
        returned=referral.returned_to_police_at is not None, second_mediation=referral.second_mediation,
        risk_flags=tuple(referral.risk_flags), version=referral.version, due_soon=due_soon(referral, state, due, now),
    )


def _row_for(session: Session, *, actor: Actor, case_id: int) -> ReferralRow:
    session.flush()
    referral, intake_no, parties, status = session.execute(
        select(PoliceReferral, Case.intake_no, Case.parties_display, Case.status)
        .join(Case, Case.id == PoliceReferral.case_id).where(PoliceReferral.case_id == case_id)
    ).one()
    now = actor.clock.now()
    state, due = referral_state(referral, status, now)
    station = load_dictionaries(session, actor.committee_id).station_names.get(referral.station_id, "")
    return _row(referral, intake_no, parties, status, state, due, station, now)


def state_label(code: str) -> str:
    return label(ReferralState(code))
