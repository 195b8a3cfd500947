"""Mediators' workload and the subsidy estimate (案件补贴) of a period, from the committee's `SubsidyRules`.

The month of a case is the month it was received (the same cohort as the monthly report: no settlement date is
stored yet). Difficulty is judged in SQL from the dispute type, the number of parties, the claimed amount, the
police referral's risk flags and the case's outcome flags (防止民转刑 / 防止群体性上访 make a case 重大疑难).

The scheme pays per settled case "whose agreement was performed and whose file is complete". Until 回访 and the
dossier check exist, that is approximated by: the case is settled (调解成功, closed or not) and has an agreement
(written or oral) — the subsidy goes to the case's lead mediator (主持人). A major (重大疑难) case not settled
(调解终止) but flagged 防止民转刑 or 防止群体性上访 earns `contained_yuan` ("kept from escalating and filed").
"""

from dataclasses import dataclass

from sqlalchemy import Text, and_, case, cast, func, literal, or_, select
from sqlmodel import Session

from laopan.errors import PermissionDenied
from laopan.models import Agreement, Case, CaseMediator, Committee, DisputeType, MediationSession, Mediator, Party, PoliceReferral
from laopan.labels import label
from laopan.models.enums import CaseMediatorRole, CaseStatus, MediatorRank
from laopan.services import audit
from laopan.services.actor import Actor
from laopan.services.committee import committee_settings
from laopan.services.reports import INTEGER, MONEY, Sheet, sheet_document, write_report_files
from laopan.services.statistics import Period, _Query, effective_scope
from laopan.settings import SubsidyRules

SIMPLE, ORDINARY, MAJOR = "simple", "ordinary", "major"
DIFFICULTY_LABELS = {SIMPLE: "简单", ORDINARY: "一般", MAJOR: "重大疑难"}
HEADINGS = ("调解员", "类别", "主持", "辅调", "记录", "调解次数", "主持成功", "简单", "一般", "重大疑难", "未成但防止激化", "补贴（元）")


@dataclass(frozen=True)
class WorkloadRow:
    mediator_id: int
    name: str
    rank: str
    led: int = 0
    assisted: int = 0
    recorded: int = 0
    sessions: int = 0
    settled_led: int = 0
    simple: int = 0
    ordinary: int = 0
    major: int = 0
    contained: int = 0
    subsidy_yuan: int = 0

    def values(self) -> tuple:
        return (self.name, label(MediatorRank, self.rank), self.led, self.assisted, self.recorded,
                self.sessions, self.settled_led, self.simple, self.ordinary, self.major, self.contained, self.subsidy_yuan)


@dataclass(frozen=True)
class WorkloadReport:
    committee: str
    period: Period
    rows: tuple[WorkloadRow, ...]
    rules: SubsidyRules

    @property
    def total(self) -> tuple:
        sums = [sum(row.values()[index] for row in self.rows) for index in range(2, len(HEADINGS))]
        return ("合计", "", *sums)

    def table_rows(self) -> list[tuple[str, ...]]:
        rows = [HEADINGS, *(tuple(str(value) for value in row.values()) for row in self.rows)]
        rows.append(tuple(str(value) for value in self.total))
        return rows

    def notes(self) -> tuple[str, ...]:
        rules = self.rules
        return (
            f"补贴标准：简单 {rules.simple_yuan} 元、一般 {rules.ordinary_yuan} 元、重大疑难 {rules.major_yuan} 元/件（调解成功、"
            f"由主持人领取）；重大纠纷未调成但防止激化并归档 {rules.contained_yuan} 元/件。",
            f"重大疑难：当事人 {rules.major_party_count} 人以上、标的额超过 {rules.major_amount_yuan:,} 元、有民转刑或群体性风险等。"
            "履行和卷宗完整暂按“调解成功且有协议”估算。",
        )


def difficulty(rules: SubsidyRules, committee_id: int):
    """The SQL CASE that classes a case 简单 / 一般 / 重大疑难 by the rules."""
    type_code = select(DisputeType.code).where(DisputeType.id == Case.dispute_type_id).scalar_subquery()
    parties = select(func.count(Party.id)).where(Party.case_id == Case.id).scalar_subquery()
    risk_text = func.coalesce(select(cast(PoliceReferral.risk_flags, Text)).where(
        PoliceReferral.case_id == Case.id).scalar_subquery(), "")
    major = or_(
        type_code.in_(rules.major_types) if rules.major_types else literal(False),
        parties >= rules.major_party_count,
        Case.amount_fen > rules.major_amount_yuan * 100,
        Case.prevented_criminal, Case.prevented_group_petition,
        *(risk_text.like(f'%"{flag}"%') for flag in rules.major_risk_flags),
    )
    simple = type_code.in_(rules.simple_types) if rules.simple_types else literal(False)
    return case((major, MAJOR), (simple, SIMPLE), else_=ORDINARY)


def workload(session: Session, *, actor: Actor, when: Period) -> WorkloadReport:
    """Per mediator: cases led / assisted / recorded, sessions held on their cases, settled led cases by
    difficulty, and the subsidy estimate. Supervisors see everyone; a mediator sees their own row."""
    scope = effective_scope(actor, None)
    rules = committee_settings(session, actor.committee_id).subsidy
    query = _Query(session, actor, when, scope)
    outcome = case((Case.status == CaseStatus.CLOSED.value, Case.status_before_close), else_=Case.status)
    level = difficulty(rules, actor.committee_id)
    lead = CaseMediator.role == CaseMediatorRole.LEAD.value
    paid = and_(lead, outcome == CaseStatus.SETTLED.value, Agreement.id.is_not(None))
    contained = and_(lead, outcome == CaseStatus.TERMINATED.value, level == MAJOR,
                     or_(Case.prevented_criminal, Case.prevented_group_petition))

    def count(condition):
        return func.sum(case((condition, 1), else_=0))

    statement = (
        select(
            CaseMediator.mediator_id,
            count(lead), count(CaseMediator.role == CaseMediatorRole.ASSISTANT.value),
            count(CaseMediator.role == CaseMediatorRole.RECORDER.value), count(paid),
            count(and_(paid, level == SIMPLE)), count(and_(paid, level == ORDINARY)), count(and_(paid, level == MAJOR)),
            count(contained),
        )
        .select_from(Case).join(CaseMediator, CaseMediator.case_id == Case.id)
        .outerjoin(Agreement, (Agreement.case_id == Case.id) & Agreement.superseded_at.is_(None))
        .where(*query.where()).group_by(CaseMediator.mediator_id)
    )
    if scope.mediator_id is not None:
        statement = statement.where(CaseMediator.mediator_id == scope.mediator_id)
    counted = {row[0]: [int(value or 0) for value in row[1:]] for row in session.execute(statement).all()}
    sessions = dict(session.execute(
        select(CaseMediator.mediator_id, func.count(func.distinct(MediationSession.id)))
        .select_from(MediationSession).join(CaseMediator, CaseMediator.case_id == MediationSession.case_id)
        .join(Case, Case.id == MediationSession.case_id)
        .where(Case.committee_id == actor.committee_id, MediationSession.held_at >= query.start, MediationSession.held_at < query.end,
               *([CaseMediator.mediator_id == scope.mediator_id] if scope.mediator_id is not None else []))
        .group_by(CaseMediator.mediator_id)
    ).all())
    ids = set(counted) | set(sessions)
    people = {m.id: m for m in session.execute(select(Mediator).where(Mediator.id.in_(ids))).scalars()} if ids else {}
    rows = []
    for mediator_id in ids:
        led, assisted, recorded, settled, simple, ordinary, major, kept = counted.get(mediator_id, [0] * 8)
        subsidy = simple * rules.simple_yuan + ordinary * rules.ordinary_yuan + major * rules.major_yuan + kept * rules.contained_yuan
        mediator = people.get(mediator_id)
        rows.append(WorkloadRow(
            mediator_id, mediator.name if mediator else f"#{mediator_id}", mediator.rank if mediator else "unknown",
            led, assisted, recorded, int(sessions.get(mediator_id, 0)), settled, simple, ordinary, major, kept, subsidy,
        ))
    rows.sort(key=lambda row: (-row.subsidy_yuan, -row.led, row.name))
    committee = session.get(Committee, actor.committee_id)
    return WorkloadReport(committee.name, when, tuple(rows), rules)


def workload_sheet(report: WorkloadReport) -> Sheet:
    return Sheet(
        title=f"{report.committee}{report.period.label}调解员工作量与补贴测算表", header=(f"统计期间：{report.period.label}",),
        headings=HEADINGS, formats=("@", "@", *([INTEGER] * 9), MONEY),
        rows=(*(row.values() for row in report.rows), report.total), notes=report.notes(),
    )


def export_workload(session: Session, *, actor: Actor, report: WorkloadReport, xlsx=None, pdf=None):
    sheet = workload_sheet(report)
    widths = (2.0, 1.6, *([1.0] * 8), 1.8, 1.5)
    return write_report_files(session, actor=actor, sheet=sheet, what="workload", period=report.period, xlsx=xlsx, pdf=pdf,
                              document=lambda: sheet_document(sheet, report.table_rows(), widths))


def update_subsidy_rules(session: Session, *, actor: Actor, rules: SubsidyRules | dict) -> SubsidyRules:
    """Replace the committee's difficulty rules and rates (admin or supervisor); audited."""
    if not actor.is_supervisor:
        raise PermissionDenied("只有主任或管理员可以修改补贴标准")
    rules = rules if isinstance(rules, SubsidyRules) else SubsidyRules.model_validate(rules)
    committee = session.get(Committee, actor.committee_id)
    settings = committee_settings(session, actor.committee_id)
    before = settings.subsidy.model_dump(mode="json")
    committee.settings = settings.model_copy(update={"subsidy": rules}).model_dump(mode="json")
    audit.record(session, actor=actor, action="committee.subsidy_rules", entity="committee", entity_id=committee.id,
                 changes={"before": before, "after": rules.model_dump(mode="json")})
    return rules
