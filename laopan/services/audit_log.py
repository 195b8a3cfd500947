"""The audit viewer's read side: entries newest first, filtered by user, case, action group and date, paged by
keyset on (at, id), exportable (the export itself audited, once the file is written). Supervisors and admins only.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlmodel import Session

from laopan.errors import ValidationError
from laopan.models import AuditEntry, Case
from laopan.security.permissions import Action
from laopan.services import audit
from laopan.services.actor import Actor
from laopan.services.committee import committee_settings
from laopan.views.audit_log import GROUPS, AuditRow

_REVEAL = ("case.reveal", "mediator.reveal", "case.search_reveal", "agreement.preview", "agreement.scan_open")
_LOGIN_FAILED = ("login.failed", "login.fail", "login.refused", "login.locked")
ACTION_LABELS = {
    "case.reveal": "查看完整个人信息", "mediator.reveal": "查看调解员个人信息", "case.search_reveal": "按完整号码检索",
    "case.export": "导出案件", "cases.export_ledger": "导出案件台账", "ledger.export": "导出警调台账",
    "agreement.print": "打印协议书", "agreement.export": "导出协议书", "agreement.oral_print": "打印口头协议登记",
    "audit.export": "导出审计日志", "login": "登录", "login.ok": "登录", "logout": "退出",
    "case.register": "登记案件", "case.update": "修改案件", "party.add": "添加当事人", "party.update": "修改当事人",
    "party.remove": "删除当事人", "agreement.finalise": "协议编号定稿",
}
_KEYS = {"term": "检索词", "file": "文件", "entries": "条数", "cases": "件数", "filters": "条件", "revealed": "含完整信息",
         "month": "月份", "number": "协议编号", "format": "格式"}
COLUMNS = ("时间", "用户", "操作", "类别", "受理编号", "对象", "内容", "备注")
PAGE = 200


def group_of(action: str) -> str:
    if action in _LOGIN_FAILED or action.startswith("login.fail"):
        return "登录失败"
    if action.startswith("login") or action == "logout":
        return "登录"
    if action in _REVEAL:
        return "查看隐私"
    if action.endswith("print"):
        return "打印"
    if "export" in action:
        return "导出"
    return "修改"


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


@dataclass(frozen=True)
class AuditFilter:
    login: str | None = None
    intake_no: str | None = None
    group: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _require(actor: Actor) -> None:
    actor.require(Action.VIEW_AUDIT)


def _conditions(session: Session, actor: Actor, filters: AuditFilter) -> list:
    conditions = [AuditEntry.committee_id == actor.committee_id]
    if filters.login:
        conditions.append(AuditEntry.login == filters.login.strip().casefold())
    if filters.intake_no:
        case_id = session.execute(select(Case.id).where(
            Case.committee_id == actor.committee_id, Case.intake_no == filters.intake_no.strip().upper())).scalar_one_or_none()
        if case_id is None:
            raise ValidationError("受理编号", f"找不到受理编号为 {filters.intake_no} 的案件")
        conditions += [AuditEntry.entity == "case", AuditEntry.entity_id == case_id]
    tz = ZoneInfo(committee_settings(session, actor.committee_id).time_zone)
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise ValidationError("日期", "起始日期晚于截止日期")
    if filters.date_from:
        conditions.append(AuditEntry.at >= dt.datetime.combine(filters.date_from, dt.time(), tz))
    if filters.date_to:
        conditions.append(AuditEntry.at < dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time(), tz))
    if filters.group:
        if filters.group not in GROUPS:
            raise ValidationError("操作类别", f"没有“{filters.group}”，可选：{'、'.join(GROUPS)}")
        actions = session.execute(select(AuditEntry.action).distinct().where(AuditEntry.committee_id == actor.committee_id)).scalars()
        conditions.append(AuditEntry.action.in_([a for a in actions if group_of(a) == filters.group] or [""]))
    return conditions


def audit_page(session: Session, *, actor: Actor, filters: AuditFilter = AuditFilter(),
               after: tuple[dt.datetime, int] | None = None, limit: int = PAGE) -> list[AuditRow]:
    """One page, newest first; `after` is the last row's `key` of the previous page."""
    _require(actor)
    conditions = _conditions(session, actor, filters)
    if after is not None:
        at, id_ = after
        conditions.append(or_(AuditEntry.at < at, and_(AuditEntry.at == at, AuditEntry.id < id_)))
    tz = ZoneInfo(committee_settings(session, actor.committee_id).time_zone)
    rows = session.execute(
        select(AuditEntry, Case.intake_no)
        .outerjoin(Case, and_(AuditEntry.entity == "case", Case.id == AuditEntry.entity_id))
        .where(*conditions).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    ).all()
    return [
        AuditRow(id=e.id, at=e.at.astimezone(tz), login=e.login, action=e.action, action_label=action_label(e.action),
                 group=group_of(e.action), entity=e.entity, entity_id=e.entity_id, intake_no=intake_no,
                 changes=dict(e.changes or {}), note=e.note)
        for e, intake_no in rows
    ]


def content_text(row: AuditRow) -> str:
    """The entry's changes as one line, keys in Chinese where known ("检索词：*******5678")."""
    return "；".join(f"{_KEYS.get(k, k)}：{v}" for k, v in row.changes.items())


def _cells(row: AuditRow, tz: ZoneInfo) -> Sequence:
    content = content_text(row)
    return (row.at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"), row.login, row.action_label, row.group,
            row.intake_no or "", f"{row.entity}#{row.entity_id}" if row.entity_id is not None else row.entity,
            content, row.note or "")


def export_audit(session: Session, *, actor: Actor, filters: AuditFilter = AuditFilter(), path: str) -> int:
    """Writes every matching entry to .xlsx/.csv; the export is itself audited, after the file is written."""
    from laopan.exporting import write_table

    _require(actor)
    tz = ZoneInfo(committee_settings(session, actor.committee_id).time_zone)
    rows: list[AuditRow] = []
    after = None
    while True:
        page = audit_page(session, actor=actor, filters=filters, after=after, limit=5000)
        rows += page
        if len(page) < 5000:
            break
        after = page[-1].key
    write_table(path, title="审计日志", columns=COLUMNS, rows=[_cells(r, tz) for r in rows])
    audit.record(session, actor=actor, action="audit.export", entity="committee", entity_id=actor.committee_id,
                 changes={"file": str(path), "entries": len(rows),
                          "filters": {k: str(v) for k, v in vars(filters).items() if v is not None}})
    return len(rows)
