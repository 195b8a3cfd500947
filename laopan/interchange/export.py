"""Export a case in `laopan.case/1`: the full record, so it imports again (DESIGN §7).

Only roles that may reveal personal data can export; each export is audited. Optional values that are empty
are omitted, so export → import → export gives the same JSON.
"""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from laopan.interchange.schema import FORMAT
from laopan.security.permissions import Action
from laopan.services import audit
from laopan.services.actor import Actor
from laopan.services.cases import build_detail, load_case
from laopan.services.committee import committee_settings
from laopan.views.cases import CaseDetail


def export_cases(session: Session, *, actor: Actor, case_ids: list[int]) -> dict[str, Any]:
    actor.require(Action.EXPORT)  # the exchange file always carries full personal data: no masked variant
    tz = ZoneInfo(committee_settings(session, actor.committee_id).time_zone)
    cases = []
    for case_id in case_ids:
        case = load_case(session, actor=actor, case_id=case_id)
        cases.append(case_to_json(build_detail(session, actor=actor, case=case, reveal=True), tz))
        audit.record(session, actor=actor, action="case.export", entity="case", entity_id=case_id, note="导出交换文件（含完整个人信息）")
    return {"format": FORMAT, "cases": cases}


def _clean(mapping: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in mapping.items() if value not in (None, "", [], {})}


def _instant(value: dt.datetime | None, tz: ZoneInfo) -> str | None:
    return value.astimezone(tz).isoformat() if value else None


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def case_to_json(detail: CaseDetail, tz: ZoneInfo) -> dict[str, Any]:
    parties = []
    for party in detail.parties:
        agent = party.agent
        parties.append(
            _clean(
                {
                    "role": party.role, "kind": party.kind, "name": party.name, "sex": party.sex,
                    "ethnicity": party.ethnicity, "birth_date": _date(party.birth_date), "id_type": party.id_type,
                    "id_number": party.id_number, "occupation": party.occupation, "phone": party.phone,
                    "address": party.address, "credit_code": party.credit_code, "representative": party.representative,
                    "org_kind": party.org_kind, "capacity": party.capacity,
                    "agent": _clean(
                        {"name": agent.name, "relation": agent.relation, "phone": agent.phone,
                         "id_type": agent.id_type, "id_number": agent.id_number, "address": agent.address,
                         "kind": agent.kind, "scope": agent.scope}
                    ) if agent else None,
                }
            )
        )
    referral = detail.referral
    agreement = detail.agreement
    status = detail.status
    return _clean(
        {
            "received_at": _instant(detail.received_at, tz),
            "source": detail.source,
            "dispute_type": detail.dispute_type,
            "level": detail.level,
            "community": detail.community,
            "grid": detail.grid,
            "summary": detail.summary,
            "claims": list(detail.claims),
            "amount_yuan": detail.amount_yuan,
            "parties": parties,
            "police_referral": _clean(
                {
                    "incident_no": referral.incident_no, "call_time": _instant(referral.call_time, tz),
                    "incident_time": _instant(referral.incident_time, tz), "incident_place": referral.incident_place,
                    "station": referral.station, "officer": referral.officer, "badge_no": referral.badge_no,
                    "officer_phone": referral.officer_phone, "approver": referral.approver, "nature": referral.nature,
                    "risk_flags": list(referral.risk_flags), "consent": referral.consent,
                    "referred_at": _instant(referral.referred_at, tz), "received_by": referral.received_by,
                    "received_at": _instant(referral.received_at, tz),
                    "first_contact_at": _instant(referral.first_contact_at, tz),
                    "feedback_at": _instant(referral.feedback_at, tz), "feedback_content": referral.feedback_content,
                    "returned_to_police_at": _instant(referral.returned_to_police_at, tz),
                    "first_contact_note": referral.first_contact_note, "feedback_result": referral.feedback_result,
                    "feedback_agreement_no": referral.feedback_agreement_no,
                    "feedback_performance": referral.feedback_performance, "returned_reason": referral.returned_reason,
                    "second_mediation": referral.second_mediation or None,
                }
            ) if referral else None,
            "mediators": [{"name": m.name, "role": m.role} for m in detail.mediators],
            "status": status,
            "agreement": _clean(
                {
                    "kind": agreement.kind, "facts": agreement.facts, "matters": agreement.matters,
                    "responsibilities": agreement.responsibilities, "clauses": list(agreement.clauses),
                    "performance": _clean(
                        {"method": agreement.performance_method, "place": agreement.performance_place,
                         "deadline": _date(agreement.performance_deadline)}
                    ),
                    "signed_on": _date(agreement.signed_on), "number": agreement.number,
                }
            ) if agreement else None,
            "rejection_reason": detail.rejection_reason,
            "termination_reason": detail.termination_reason,
            "termination_destination": detail.termination_destination,
            "prevented_criminal": detail.prevented_criminal or None,
            "prevented_group_petition": detail.prevented_group_petition or None,
            "sessions": [
                _clean({"held_at": _instant(s.held_at, tz), "place": s.place, "mediators": list(s.mediators),
                        "parties_present": list(s.parties_present), "participants": list(s.participants),
                        "statements": s.statements, "result": s.result})
                for s in detail.sessions
            ],
            "escalations": [
                {"from_level": e.from_level, "to_level": e.to_level, "reason": e.reason, "by": e.by_login, "at": _instant(e.at, tz)}
                for e in detail.escalations
            ],
            "police_reports": [
                _clean({"reported_at": _instant(r.reported_at, tz), "reported_to": r.reported_to, "note": r.note, "by": r.by_login})
                for r in detail.police_reports
            ],
        }
    )
