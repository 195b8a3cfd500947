"""`laopan audit`: the audit log, newest first, filtered; --export writes it to .xlsx/.csv (itself audited)."""

from zoneinfo import ZoneInfo

from laopan.cli.common import open_cli_desk as _desk
from laopan.cli.common import parse_date


def register(sub, command) -> None:
    from laopan.views.audit_log import GROUPS

    p = command("audit", cmd_audit, "审计日志：修改、查看隐私、打印、导出、登录（主任、管理员）")
    p.add_argument("--user", metavar="LOGIN", help="只看此用户")
    p.add_argument("--case", metavar="NO", help="只看此受理编号的案件")
    p.add_argument("--action", metavar="类别", choices=GROUPS, help="、".join(GROUPS))
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--export", metavar="FILE", help="导出全部符合条件的记录到 .xlsx 或 .csv")


def cmd_audit(args) -> int:
    from laopan.services.audit_log import AuditFilter, audit_page, content_text, export_audit
    from laopan.services.committee import committee_settings

    desk = _desk(args)
    filters = AuditFilter(login=args.user, intake_no=args.case, group=args.action,
                          date_from=parse_date(args.date_from, "--from"), date_to=parse_date(args.date_to, "--to"))
    if args.export:
        with desk.session() as session:
            count = export_audit(session, actor=desk.actor, filters=filters, path=args.export)
        print(f"已导出 {count} 条审计记录到 {args.export}")
        return 0
    with desk.reading() as session:
        tz = ZoneInfo(committee_settings(session, desk.actor.committee_id).time_zone)
        rows = audit_page(session, actor=desk.actor, filters=filters, limit=args.limit)
    for row in rows:
        content = content_text(row)
        print("  ".join(part for part in (
            row.at.astimezone(tz).strftime("%Y-%m-%d %H:%M"), row.login, row.group, row.action_label,
            row.intake_no or "", content, row.note or "") if part))
    return 0
