"""A case's history (历史 tab): the audit entries of the case and of its child rows, in time order, each with
a one-line Chinese description."""

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlmodel import Session

from laopan.labels import label
from laopan.models import (
    Agreement,
    AuditEntry,
    DeadlineExtension,
    FollowUp,
    MediationSession,
    Party,
    PoliceReferral,
    RecusalDecision,
    ReviewNote,
    User,
)
from laopan.models.enums import CaseStatus, FeedbackResult, Level
from laopan.models.decisions import RecusalOutcome
from laopan.services.actor import Actor
from laopan.services.cases import load_case
from laopan.services.committee import committee_settings
from laopan.views.workflow import TimelineEntry

# Audit entities whose rows belong to one case (through their case_id).
CHILDREN = {
    "mediation_session": MediationSession, "recusal_decision": RecusalDecision, "review_note": ReviewNote,
    "deadline_extension": DeadlineExtension, "agreement": Agreement, "follow_up": FollowUp,
    "police_referral": PoliceReferral, "party": Party,
}
FIELD_LABELS = {
    "status": "状态", "level": "层级", "lead_name": "主持人", "due_on": "调解期限", "accepted_at": "受理时间",
    "closed_at": "结案时间", "status_before_close": "结案前状态", "mediators": "调解员", "held_at": "调解时间",
    "place": "地点", "parties_present": "到场当事人", "participants": "参加人", "statements": "陈述", "result": "结果",
    "rejection_reason": "不予受理理由", "termination_reason": "终止原因", "termination_destination": "去向",
}


def case_timeline(session: Session, *, actor: Actor, case_id: int, reveal: bool = False) -> list[TimelineEntry]:
    """Everything audited about the case, oldest first. Corrected personal values are masked unless `reveal`
    (and the actor's role may reveal): the audit keeps them raw, the reader sees what the role allows."""
    from laopan.services import corrections

    load_case(session, actor=actor, case_id=case_id)
    reveal = reveal and actor.may_reveal
    zone = ZoneInfo(committee_settings(session, actor.committee_id).time_zone)
    belongs = [and_(AuditEntry.entity == "case", AuditEntry.entity_id == case_id)]
    belongs += [
        and_(AuditEntry.entity == entity, AuditEntry.entity_id.in_(select(model.id).where(model.case_id == case_id)))
        for entity, model in CHILDREN.items()
    ]
    entries = session.execute(
        select(AuditEntry).where(AuditEntry.committee_id == actor.committee_id, or_(*belongs)).order_by(AuditEntry.at, AuditEntry.id)
    ).scalars().all()
    names = dict(session.execute(select(User.login, User.display_name).where(User.committee_id == actor.committee_id)).all())
    return [
        TimelineEntry(
            at=e.at, login=e.login, who=names.get(e.login) or e.login, action=e.action, entity=e.entity, entity_id=e.entity_id,
            description=corrections.describe(e.action, e.changes, e.note, reveal=reveal), note=e.note,
            changes=e.changes if reveal else corrections.masked_changes(e.changes),
        ) if e.action in corrections.ACTIONS else TimelineEntry(
            at=e.at, login=e.login, who=names.get(e.login) or e.login, action=e.action, entity=e.entity, entity_id=e.entity_id,
            description=describe(e.action, e.changes, e.note, zone), changes=e.changes, note=e.note,
        )
        for e in entries
    ]


def _status(code: Any) -> str:
    return label(CaseStatus, str(code)) if code else ""


def _level(code: Any) -> str:
    return label(Level, str(code)) if code else ""


def _old_new(changes: Mapping[str, Any], name: str) -> tuple[Any, Any]:
    value = changes.get(name)
    return (value[0], value[1]) if isinstance(value, list) and len(value) == 2 else (None, value)


def _lead_phrase(changes: Mapping[str, Any]) -> str:
    if "lead_name" not in changes:
        return ""
    _, new = _old_new(changes, "lead_name")
    return f"，主持人：{new}" if new else "，待分配主持人"


def _mediator_diff(changes: Mapping[str, Any], added: bool) -> str:
    old, new = _old_new(changes, "mediators")
    old, new = list(old or []), list(new or [])
    return "、".join(x for x in (new if added else old) if x not in (old if added else new))


def _level_move(changes: Mapping[str, Any], note: str | None) -> str:
    old, new = _old_new(changes, "level")
    return f"{_level(old)}→{_level(new)}" + (f"（{note}）" if note else "")


def _with_note(text: str, note: str | None) -> str:
    return f"{text}：{note}" if note else text


def _local(value: Any, zone: ZoneInfo) -> str:
    try:
        return f"{dt.datetime.fromisoformat(str(value)).astimezone(zone):%Y-%m-%d %H:%M}"
    except ValueError:
        return str(value)


def _generic(changes: Mapping[str, Any]) -> str:
    parts = []
    for name, value in changes.items():
        if isinstance(value, list) and len(value) == 2:
            parts.append(f"{FIELD_LABELS.get(name, name)} {_short(value[0])}→{_short(value[1])}")
    return "；".join(parts)


def _short(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "（空）"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    text = str(value)
    return text if len(text) <= 30 else text[:29] + "…"


_Describe = Callable[[Mapping[str, Any], str | None, ZoneInfo], str]
_DESCRIPTIONS: dict[str, _Describe] = {
    "case.register": lambda c, n, z: _with_note(f"登记案件 {c.get('intake_no', '')}（{_status(c.get('status'))}）".strip(), n),
    "case.accept": lambda c, n, z: f"受理，调解期限至 {_old_new(c, 'due_on')[1]}",
    "case.reject": lambda c, n, z: _with_note("不予受理", n),
    "case.mediate": lambda c, n, z: "开始调解",
    "case.settle": lambda c, n, z: "调解成功",
    "case.terminate": lambda c, n, z: _with_note("调解终止", n),
    "case.close": lambda c, n, z: f"结案归档（自“{_status(_old_new(c, 'status')[0])}”）",
    "case.reopen": lambda c, n, z: _with_note(f"重新打开，回到“{_status(_old_new(c, 'status')[1])}”", n),
    "case.escalate": lambda c, n, z: f"上报：{_level_move(c, n)}{_lead_phrase(c)}",
    "case.return": lambda c, n, z: f"退回：{_level_move(c, n)}{_lead_phrase(c)}",
    "case.assign": lambda c, n, z: f"指派调解员：{_mediator_diff(c, added=True)}",
    "case.unassign": lambda c, n, z: f"撤下调解员：{_mediator_diff(c, added=False)}" + _lead_phrase(c),
    "case.extend": lambda c, n, z: _with_note(
        f"延长调解期限：{_old_new(c, 'due_on')[0]}→{_old_new(c, 'due_on')[1]}"
        f"（申请人{c.get('applicant_consent_on')}、被申请人{c.get('respondent_consent_on')}同意）", n),
    "case.reveal": lambda c, n, z: "查看完整个人信息",
    "recusal.decide": lambda c, n, z: _with_note(
        f"回避审查：{c.get('mediator', '')}{label(RecusalOutcome, c.get('decision'))}"
        f"（{'；'.join(c.get('matches') or [])}）", n),
    "session.add": lambda c, n, z: f"新增调解记录：{_local(c.get('held_at'), z)} {c.get('place', '')}".rstrip(),
    "session.update": lambda c, n, z: f"修改调解记录：{_generic(c)}",
    "review.add": lambda c, n, z: f"点评{c.get('junior', '')}：{c.get('note', '')}",
    "case.export": lambda c, n, z: "导出交换文件（含完整个人信息）",
    "case.report_police": lambda c, n, z: _with_note(f"报告公安机关：{c.get('reported_to', '')}", c.get("note") or n),
    "referral.add": lambda c, n, z: f"补录警情移交：{c.get('incident_no', '')}（{c.get('station', '')}）",
    "referral.contact": lambda c, n, z: f"与当事人首次联系：{_local(_old_new(c, 'first_contact_at')[1], z)}",
    "referral.feedback": lambda c, n, z: (
        f"向派出所反馈结果：{label(FeedbackResult, _old_new(c, 'feedback_result')[1])}"
        f"（{_local(_old_new(c, 'feedback_at')[1], z)}）"),
    "referral.return": lambda c, n, z: f"退回公安机关：{_old_new(c, 'returned_reason')[1] or ''}",
    "referral.second_mediation": lambda c, n, z: "标记为二次调解" if _old_new(c, "second_mediation")[1] else "取消二次调解标记",
    "agreement.draft": lambda c, n, z: "起草协议",
    "agreement.edit": lambda c, n, z: f"修改协议草稿：{_generic(c)}",
    "agreement.review": lambda c, n, z: _with_note("审核协议", _old_new(c, "review_note")[1]),
    "agreement.finalise": lambda c, n, z: f"协议定稿编号：{_old_new(c, 'number')[1]}",
    "agreement.revise": lambda c, n, z: _with_note(f"更正协议（第{_old_new(c, 'revision')[1]}版，编号不变）", n),
    "agreement.sign": lambda c, n, z: "登记协议签署" + (f"，协议自{_old_new(c, 'effective_on')[1]}起生效" if _old_new(c, "effective_on")[1] else ""),
    "agreement.scan": lambda c, n, z: f"上传签署件扫描：{c.get('filename', '')}",
    "agreement.scan_open": lambda c, n, z: f"查看签署件扫描：{c.get('filename', '')}",
    "agreement.print": lambda c, n, z: f"打印协议书 {c.get('number') or '（草稿）'}",
    "agreement.export": lambda c, n, z: f"导出协议书（{str(c.get('format', '')).upper()}）{c.get('number') or '（草稿）'}",
    "agreement.preview": lambda c, n, z: "预览协议书",
}


def describe(action: str, changes: Mapping[str, Any], note: str | None, zone: ZoneInfo) -> str:
    """One Chinese line for an audit entry; actions without their own wording list the changed fields."""
    if action in _DESCRIPTIONS:
        return _DESCRIPTIONS[action](changes or {}, note, zone)
    detail = _generic(changes or {})
    return _with_note(f"{action}{'：' + detail if detail else ''}", note)
