"""`laopan ledger …`: old Excel 台账 in (mapping guesses, dry run, all-or-nothing or valid-only), filtered 台账 out."""

import json
import sys
from pathlib import Path

from laopan.cli.boundary import EXIT_INPUT
from laopan.cli.common import open_cli_desk as _desk
from laopan.cli.common import add_case_filters, case_filter_of


def register(sub, command) -> None:
    group = sub.add_parser("ledger", help="Excel 台账：导入旧台账、导出案件台账").add_subparsers(
        dest="ledger_command", metavar="ACTION", required=True
    )
    p = command("import", cmd_import, "导入 Excel 台账（.xlsx 或 .csv）：默认全部导入或全部不导入", group)
    p.add_argument("file", metavar="FILE")
    p.add_argument("--mapping", metavar="M.json", help="列对应关系文件（不给时按表头自动识别并打印）")
    p.add_argument("--sheet", metavar="NAME", help="工作表名称（默认第一个）")
    p.add_argument("--dry-run", action="store_true", help="只检查，列出每行的问题，不导入")
    p.add_argument("--valid-only", action="store_true", help="只导入无误的行，跳过有错误的行")
    p = command("mapping", cmd_mapping, "按表头猜测列对应关系，写成可编辑的 JSON 文件", group)
    p.add_argument("file", metavar="FILE")
    p.add_argument("--sheet", metavar="NAME")
    p.add_argument("--out", required=True, metavar="M.json")
    p = command("export", cmd_export, "把筛选出的案件导出为 Excel 台账（按角色遮蔽个人信息，记入操作日志）", group)
    p.add_argument("--out", required=True, metavar="F.xlsx")
    add_case_filters(p)
    p.add_argument("--reveal", action="store_true", help="导出完整身份证号、电话、住址（须角色允许，记入操作日志）")


def _table_and_mapping(args):
    from laopan.ledger.mapping import guess_mapping, load_mapping
    from laopan.ledger.reading import read_table

    table = read_table(args.file, sheet=getattr(args, "sheet", None))
    where = f"工作表“{table.name}”" + (f"，编码 {table.encoding}" if table.encoding else "")
    print(f"读取 {args.file}：{where}，表头在第{table.header_row}行，{len(table.rows)} 行数据", file=sys.stderr)
    if getattr(args, "mapping", None):
        return table, load_mapping(args.mapping, table)
    mapping = guess_mapping(table)
    print("未给出 --mapping，按表头识别的对应关系：", file=sys.stderr)
    for line in mapping.describe(table):
        print(f"  {line}", file=sys.stderr)
    return table, mapping


def cmd_import(args) -> int:
    from laopan.ledger.importing import import_ledger, plan_import

    table, mapping = _table_and_mapping(args)
    desk = _desk(args)
    with desk.session() as session:
        plan = plan_import(session, actor=desk.actor, table=table, mapping=mapping)
        for problem in plan.problems:
            print(problem)
        summary = (f"共 {len(plan.rows)} 行：无误 {len(plan.valid_rows)}，有错误 {len(plan.invalid_rows)}，"
                   f"已导入过而跳过 {len(plan.duplicates)}")
        print(summary, file=sys.stderr)
        if args.dry_run:
            print("试运行：未导入任何案件", file=sys.stderr)
            session.rollback()
            return EXIT_INPUT if plan.invalid_rows else 0  # a dry run that finds bad rows: bad input
        report = import_ledger(session, actor=desk.actor, plan=plan, valid_only=args.valid_only)
    for row, number in report.imported:
        print(f"第{row}行\t{number}")
    print(f"已导入 {len(report.imported)} 个案件（用时 {report.seconds:.1f} 秒）", file=sys.stderr)
    return 0


def cmd_mapping(args) -> int:
    table, mapping = _table_and_mapping(args)
    Path(args.out).write_text(json.dumps(mapping.document(table), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"已写入 {args.out}，修改后用 --mapping {args.out} 导入", file=sys.stderr)
    return 0


def cmd_export(args) -> int:
    from laopan.ledger.export import export_cases_xlsx

    desk = _desk(args)
    with desk.session() as session:
        filters = case_filter_of(session, desk, args)
        count = export_cases_xlsx(session, actor=desk.actor, filters=filters, path=args.out, reveal=args.reveal)
    masked = "" if args.reveal else "（身份证号、电话、住址已遮蔽）"
    print(f"已导出 {count} 个案件到 {args.out}{masked}", file=sys.stderr)
    return 0
