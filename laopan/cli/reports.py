"""`laopan report …`: the monthly report to the 司法所 and the mediators' workload and subsidy."""

import sys

from laopan.cli.common import open_cli_desk as _desk


def register(sub, command) -> None:
    group = sub.add_parser("report", help="统计报表：司法所月报、调解员工作量与补贴").add_subparsers(
        dest="report_command", metavar="REPORT", required=True)
    p = command("monthly", cmd_monthly, "人民调解工作月报表（不指定文件时输出文字摘要）", group)
    p.add_argument("--month", required=True, metavar="YYYY-MM")
    p.add_argument("--by", choices=("dispute_type", "community", "level", "mediator"), default="dispute_type",
                   help="按什么分行（默认纠纷类型）")
    p.add_argument("--reviewer", default="", help="审核人姓名")
    p.add_argument("--xlsx", metavar="FILE")
    p.add_argument("--pdf", metavar="FILE")
    p.add_argument("--docx", metavar="FILE")
    p = command("workload", cmd_workload, "调解员工作量与补贴测算", group)
    p.add_argument("--month", required=True, metavar="YYYY-MM")
    p.add_argument("--xlsx", metavar="FILE")
    p.add_argument("--pdf", metavar="FILE")


def _print_table(rows) -> None:
    for row in rows:
        print("\t".join(row))


def cmd_monthly(args) -> int:
    from laopan.services.reports import export_monthly, monthly_report
    from laopan.services.statistics import parse_month

    when = parse_month(args.month)
    desk = _desk(args)
    with desk.session() as session:
        report = monthly_report(session, actor=desk.actor, when=when, by=args.by, reviewer=args.reviewer)
        written = export_monthly(session, actor=desk.actor, report=report, xlsx=args.xlsx, pdf=args.pdf, docx=args.docx)
    if written:
        for path in written:
            print(f"已写入 {path}", file=sys.stderr)
        return 0
    print(f"{report.committee} {report.period.label} {report.title}")
    _print_table(report.table_rows())
    for line in report.notes():
        print(line)
    return 0


def cmd_workload(args) -> int:
    from laopan.services.statistics import parse_month
    from laopan.services.workload import export_workload, workload

    when = parse_month(args.month)
    desk = _desk(args)
    with desk.session() as session:
        report = workload(session, actor=desk.actor, when=when)
        written = export_workload(session, actor=desk.actor, report=report, xlsx=args.xlsx, pdf=args.pdf)
    if written:
        for path in written:
            print(f"已写入 {path}", file=sys.stderr)
        return 0
    print(f"{report.committee} {report.period.label} 调解员工作量与补贴测算")
    _print_table(report.table_rows())
    for line in report.notes():
        print(line)
    return 0
