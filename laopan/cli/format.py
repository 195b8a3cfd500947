"""Plain-text rendering of service results for the terminal (the Chinese of codes and deadlines comes from
`laopan.labels`)."""

import datetime as dt
from zoneinfo import ZoneInfo

from laopan.clock import DEFAULT_TZ, format_date_cn
from laopan.labels import days_left_text, label
from laopan.models.enums import (
    CaseMediatorRole,
    CaseStatus,
    FeedbackResult,
    PerformanceStatus,
    IdType,
    Level,
    MediatorRank,
    PartyKind,
    PartyRole,
    ReferralNature,
    RiskFlag,
    Sex,
)
from laopan.models.choices import Destination, TerminationReason
from laopan.views.cases import CaseDetail, CaseRow


def case_line(row: CaseRow) -> str:
    cells = [
        row.intake_no, row.received_on.isoformat(), row.parties, row.dispute_type, label(Level, row.level),
        label(CaseStatus, row.status), row.lead_name or "待分配", days_left_text(row.days_left),
    ]
    return "\t".join(cells).rstrip()


def _when_in(value: dt.datetime | None, tz: str = DEFAULT_TZ) -> str:
    return value.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M") if value else ""


def case_text(detail: CaseDetail) -> str:
    tz = detail.time_zone

    def _when(value: dt.datetime | None) -> str:
        return _when_in(value, tz)

    lines = [
        f"受理编号  {detail.intake_no}",
        f"状态      {label(CaseStatus, detail.status)}"
        + (f"（自{label(CaseStatus, detail.status_before_close)}结案）" if detail.status_before_close else ""),
        f"层级      {label(Level, detail.level)}",
        f"受理时间  {_when(detail.received_at)}",
        f"来源      {detail.source_label}",
        f"纠纷类型  {detail.dispute_type_label}",
        f"社区网格  {detail.community}{(' / ' + detail.grid) if detail.grid else ''}",
    ]
    if detail.due_on:
        lines.append(f"调解期限  {format_date_cn(detail.due_on)} {days_left_text(detail.days_left)}".rstrip())
    if detail.amount_yuan:
        lines.append(f"标的额    {detail.amount_yuan} 元")
    lines.append(f"纠纷概要  {detail.summary}")
    for index, claim in enumerate(detail.claims, 1):
        lines.append(f"请求{index}     {claim}")
    lines.append("")
    lines.append("当事人" + ("" if detail.revealed else "（个人信息已遮蔽，--reveal 查看完整信息）"))
    for party in detail.parties:
        head = f"  [{label(PartyRole, party.role)}] {party.name}（{label(PartyKind, party.kind)}）"
        lines.append(head)
        fields = [
            ("性别", label(Sex, party.sex)), ("民族", party.ethnicity),
            ("出生日期", _birth(party.birth_date, detail.revealed)),
            ("证件", f"{label(IdType, party.id_type)} {party.id_number}" if party.id_number else None),
            ("职业", party.occupation), ("统一社会信用代码", party.credit_code), ("法定代表人", party.representative),
            ("电话", party.phone), ("住址", party.address),
        ]
        lines += [f"      {name}：{value}" for name, value in fields if value]
        if party.agent:
            agent = party.agent
            extra = "，".join(x for x in (agent.relation, agent.phone, agent.id_number, agent.address) if x)
            lines.append(f"      代理人：{agent.name}" + (f"（{extra}）" if extra else ""))
    if detail.mediators:
        lines.append("")
        lines.append("调解员")
        for mediator in detail.mediators:
            lines.append(f"  {label(CaseMediatorRole, mediator.role)}：{mediator.name}（{label(MediatorRank, mediator.rank)}）")
    if detail.referral:
        r = detail.referral
        lines += ["", "警情移交"]
        fields = [
            ("警情编号", r.incident_no), ("派出所", r.station), ("报警时间", _when(r.call_time)),
            ("案发时间", _when(r.incident_time)), ("案发地点", r.incident_place),
            ("民警", " ".join(x for x in (r.officer, f"警号{r.badge_no}" if r.badge_no else None, r.officer_phone) if x)),
            ("审批领导", r.approver), ("警情性质", label(ReferralNature, r.nature)),
            ("风险标记", "、".join(label(RiskFlag, f) for f in r.risk_flags)),
            ("同意调解", {True: "是", False: "否"}.get(r.consent) if r.consent is not None else None),
            ("移交时间", _when(r.referred_at)), ("接收", f"{r.received_by or ''} {_when(r.received_at)}".strip()),
            ("首次联系期限", _when(r.first_contact_due_at)), ("结果反馈期限", _when(r.feedback_due_at)),
            ("首次联系", _when(r.first_contact_at)), ("反馈", f"{_when(r.feedback_at)} {r.feedback_content or ''}".strip()),
            ("退回公安", f"{_when(r.returned_to_police_at)} {r.returned_reason or ''}".strip()),
            ("反馈结果", label(FeedbackResult, r.feedback_result)), ("履行情况", label(PerformanceStatus, r.feedback_performance)),
            ("二次调解", "是" if r.second_mediation else None),
        ]
        lines += [f"  {name}：{value}" for name, value in fields if value]
    if detail.agreement:
        a = detail.agreement
        lines += ["", f"协议（{'书面' if a.kind == 'written' else '口头'}，{'已定稿' if a.finalised else '草稿'}{'，导入' if a.imported else ''}）"]
        fields = [
            ("编号", a.number), ("事实", a.facts), ("争议事项", a.matters), ("责任", a.responsibilities),
            ("履行方式", a.performance_method), ("履行地点", a.performance_place),
            ("履行期限", format_date_cn(a.performance_deadline) if a.performance_deadline else None),
            ("签订日期", format_date_cn(a.signed_on) if a.signed_on else None),
            ("生效日期", format_date_cn(a.effective_on) if a.effective_on else None),
        ]
        lines += [f"  {name}：{value}" for name, value in fields if value]
        lines += [f"  第{index}条 {clause}" for index, clause in enumerate(a.clauses, 1)]
    if detail.rejection_reason:
        lines += ["", f"不予受理原因：{detail.rejection_reason}"]
    if detail.termination_reason:
        where = f"（{label(Destination, detail.termination_destination)}）" if detail.termination_destination else ""
        lines += ["", f"终止原因：{label(TerminationReason, detail.termination_reason)}{where}"]
    if detail.sessions:
        lines += ["", "调解记录"]
        for s in detail.sessions:
            lines.append(f"  {_when(s.held_at)} {s.place}  调解员：{'、'.join(s.mediators)}  到场：{'、'.join(s.parties_present)}")
            if s.participants:
                lines.append(f"      参加人：{'、'.join(s.participants)}")
            if s.statements:
                lines.append(f"      陈述：{s.statements}")
            if s.result:
                lines.append(f"      结果：{s.result}")
    if detail.police_reports:
        lines += ["", "报告公安机关"]
        lines += [f"  {_when(r.reported_at)} 报告{r.reported_to}：{r.note}".rstrip("：") for r in detail.police_reports]
    if detail.escalations:
        lines += ["", "层级变化"]
        for e in detail.escalations:
            lines.append(f"  {_when(e.at)} {label(Level, e.from_level)}→{label(Level, e.to_level)} {e.by_login}：{e.reason}")
    return "\n".join(lines)


def _birth(day, revealed: bool) -> str | None:
    """The full birth date only when revealed: beside a masked ID it would give back the digits masking hides."""
    if day is None:
        return None
    return format_date_cn(day) if revealed else f"{day.year}年（已遮蔽）"
