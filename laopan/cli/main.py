"""Argument parsing and the subcommands. Every command prints results to stdout and refusals to stderr
(exit codes by kind, see laopan/cli/boundary.py: 2 input, 3 storage, 4 conflict/permission); none reads stdin
unless given "-" as a file."""

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from laopan import paths
from laopan.cli.common import add_case_filters, case_filter_of, open_cli_desk
from laopan.clock import Clock
from laopan.errors import ValidationError
from laopan.models.enums import DEFAULT_COMMITTEE, MediatorRank, MediatorUnit, codes



def _common(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--data-dir", default=default, help="数据目录（默认为系统用户数据目录；或环境变量 LAOPAN_DATA_DIR）")
    parser.add_argument("--database", default=default, help="数据库 URL（默认数据目录中的 SQLite；或 LAOPAN_DATABASE_URL）")
    parser.add_argument("--as", dest="as_login", default=default, metavar="LOGIN", help="以该用户身份操作（或环境变量 LAOPAN_USER）")
    parser.add_argument("--password-file", default=default, metavar="FILE",
                        help="该用户的密码在此文件第一行（或环境变量 LAOPAN_PASSWORD）；从不读标准输入")
    parser.add_argument("--committee", default=default, help="调委会名称（init 时为新调委会名称）")


def window_parser() -> argparse.ArgumentParser:
    """The options of `laopan` without a subcommand (the window): the common ones alone. Building every command's
    parser costs ~30 ms of a window start that must reach "ready" in 1.0 s (issue 16)."""
    parser = argparse.ArgumentParser(prog="laopan", description="老潘调解案件台账（不带子命令时打开窗口）")
    _common(parser, suppress=False)
    return parser


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    _common(common, suppress=True)
    parser = argparse.ArgumentParser(prog="laopan", description="老潘调解案件台账（不带子命令时打开窗口）")
    _common(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, handler: Callable, help_text: str, parent=sub) -> argparse.ArgumentParser:
        p = parent.add_parser(name, parents=[common], help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        return p

    p = command("init", cmd_init, "初始化数据库：创建调委会、字典和管理员")
    p.add_argument("--admin", default="admin", help="管理员登录名（默认 admin）")
    p.add_argument("--admin-name", default="管理员", help="管理员姓名")

    p = command("demo", cmd_demo, "生成演示数据（确定性，同一 seed 结果相同）")
    p.add_argument("--cases", type=int, default=2000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--if-empty", action="store_true", help="已有案件时什么也不做")

    p = command("cases", cmd_cases, "列出案件（每行以受理编号开头）")
    add_case_filters(p)
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--count", action="store_true", help="只输出符合条件的案件数")

    case = sub.add_parser("case", help="单个案件：查看、导入、导出").add_subparsers(dest="case_command", metavar="ACTION", required=True)
    p = command("show", cmd_case_show, "显示案件全部信息", case)
    p.add_argument("number", metavar="NO")
    p.add_argument("--reveal", action="store_true", help="显示完整身份证号、电话、住址（记入操作日志）")
    p = command("import", cmd_case_import, "导入交换文件（laopan.case/1）：全部导入或全部不导入", case)
    p.add_argument("file", metavar="FILE", help="JSON 文件；- 表示标准输入")
    p.add_argument("--on-duplicate", choices=("skip", "refuse"), default="refuse",
                   help="已有的案件（同一警情编号，或受理时间和当事人相同）：refuse 整个文件不导入（默认），skip 跳过并列出")
    p = command("export", cmd_case_export, "导出案件为交换文件（含完整个人信息，记入操作日志）", case)
    p.add_argument("numbers", metavar="NO", nargs="+")
    p.add_argument("--out", metavar="FILE")

    from laopan.cli import security

    security.register_users(sub, command)

    dictionary = sub.add_parser("dict", help="字典：社区、网格、派出所、纠纷类型、来源").add_subparsers(dest="dict_command", metavar="ACTION", required=True)
    kinds = ("community", "grid", "station", "dispute_type", "source")
    p = command("list", cmd_dict_list, "列出字典项", dictionary)
    p.add_argument("kind", choices=kinds)
    p = command("add", cmd_dict_add, "添加字典项", dictionary)
    p.add_argument("kind", choices=kinds)
    p.add_argument("name")
    p.add_argument("--community", dest="parent_community", help="网格所属社区")
    p.add_argument("--code", help="纠纷类型或来源的英文代码")

    mediator = sub.add_parser("mediator", help="调解员名册").add_subparsers(dest="mediator_command", metavar="ACTION", required=True)
    p = command("list", cmd_mediator_list, "列出调解员", mediator)
    p.add_argument("--active", action="store_true")
    p = command("add", cmd_mediator_add, "添加调解员", mediator)
    p.add_argument("name")
    p.add_argument("--rank", choices=codes(MediatorRank), default="senior")
    p.add_argument("--unit", choices=codes(MediatorUnit), default="street")
    p.add_argument("--in-community", dest="mediator_community", help="所属社区")
    p.add_argument("--grid")
    p.add_argument("--phone")
    p.add_argument("--id-number")
    p.add_argument("--address")
    p.add_argument("--work-unit")
    p.add_argument("--specialty", action="append", default=[], metavar="CODE", help="专长纠纷类型代码，可重复")

    from laopan.cli import workflow

    workflow.register(sub, command, case=case, mediator=mediator)

    from laopan.cli import corrections

    corrections.register(sub, command, case=case)

    from laopan.cli import casefile

    casefile.register(sub, command, case=case)

    from laopan.cli import audit_log

    audit_log.register(sub, command)

    from laopan.cli import referrals

    referrals.register(sub, command)

    from laopan.cli import agreements

    agreements.register(sub, command)

    from laopan.cli import reports

    reports.register(sub, command)

    security.register(sub, command)

    from laopan.cli import ledger

    ledger.register(sub, command)
    from laopan.cli import backups

    backups.register(sub, command)
    from laopan.cli import worker

    worker.register(sub, command)
    return parser


def main(argv: Sequence[str] | None = None, *, clock: Clock | None = None,
         parser: argparse.ArgumentParser | None = None) -> int:
    """Run one subcommand; `clock` (tests, scripts) is the clock of every desk it opens, else the process's.
    `parser`: one `build_parser()` made earlier (the warm process reuses its own for every command)."""
    parser = parser or build_parser()
    args = parser.parse_args(argv)
    args.clock = clock
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return 2
    paths.configure(getattr(args, "data_dir", None))
    paths.keep_private()
    from laopan.cli import boundary

    return boundary.run(args.handler, args, database=lambda: _database_url(args))


def _database_url(args) -> str | None:
    from laopan.settings import database_url

    return getattr(args, "database", None) or database_url()


_desk = open_cli_desk


def _setup_password(args) -> str:
    """The first administrator's password for init/demo: LAOPAN_PASSWORD or --password-file; there is no default."""
    from laopan.cli.common import cli_password
    from laopan.errors import ValidationError
    from laopan.security.passwords import check_new_password

    password = cli_password(args)
    if password is None:
        raise ValidationError("密码", "请用环境变量 LAOPAN_PASSWORD 或 --password-file 给出管理员的密码（没有默认密码）")
    check_new_password(password)
    return password


def cmd_init(args) -> int:
    from laopan.cli.common import cli_login, print_recovery_code
    from laopan.desk import create_desk

    password = _setup_password(args)
    desk = create_desk(_database_url(args), committee=getattr(args, "committee", None) or DEFAULT_COMMITTEE, admin_login=args.admin,
                       admin_name=args.admin_name, admin_password=password, unlock_as=cli_login(args), clock=args.clock)
    desk.engine.dispose()
    print(f"已初始化：{desk.committee_name}，管理员 {desk.actor.login}")
    print_recovery_code(desk.recovery_code)
    return 0


def cmd_demo(args) -> int:
    import time

    from laopan.cli.common import cli_login, print_recovery_code
    from laopan.demo import generate_demo
    from laopan.desk import NotInitialised, create_desk, open_desk
    from laopan.services.cases import count_cases
    from laopan.settings import load_desk

    password = _setup_password(args)
    url = _database_url(args)
    committee = getattr(args, "committee", None)
    try:
        desk = open_desk(url=url, login=cli_login(args) or load_desk().current_user or "admin", password=password, committee=committee,
                         clock=args.clock)
    except NotInitialised:
        desk = create_desk(url, committee=committee or DEFAULT_COMMITTEE, admin_password=password, clock=args.clock)
    print_recovery_code(desk.recovery_code)
    if args.if_empty:
        with desk.reading() as session:
            existing = count_cases(session, actor=desk.actor)
        if existing:
            print(f"已有 {existing} 个案件，未生成演示数据", file=sys.stderr)
            return 0
    started = time.perf_counter()
    report = generate_demo(desk.engine, committee_id=desk.committee_id, cases=args.cases, seed=args.seed, clock=desk.actor.clock)
    print(f"已生成 {report.cases} 个案件、{report.parties} 名当事人、{report.mediators} 名调解员，用时 {time.perf_counter() - started:.1f} 秒")
    return 0


def cmd_cases(args) -> int:
    from laopan.cli.format import case_line
    from laopan.services.cases import CaseQuery

    from laopan.services.search_audit import audit_search, revealing_term

    desk = _desk(args)
    # A whole ID/phone number is a reveal: audited (masked) before anything is shown. Only then a write: an
    # ordinary search must not wait for another desk's long save.
    if revealing_term(args.search):
        with desk.session() as session:
            audit_search(session, actor=desk.actor, text=args.search)
    with desk.reading() as session:
        filters = case_filter_of(session, desk, args)
        query = CaseQuery(session, actor=desk.actor, filters=filters)
        if args.count:
            print(query.count(session))
            return 0
        for row in query.page(session, offset=args.offset, limit=args.limit):
            print(case_line(row))
    return 0


def cmd_case_show(args) -> int:
    from laopan.cli.format import case_text
    from laopan.services.cases import case_detail, find_case_id

    desk = _desk(args)
    # Only revealing writes (the audit entry); a plain look must not wait for another desk's long save.
    with (desk.session() if args.reveal else desk.reading()) as session:
        detail = case_detail(session, actor=desk.actor, case_id=find_case_id(session, actor=desk.actor, intake_no=args.number), reveal=args.reveal)
    print(case_text(detail))
    return 0


def cmd_case_import(args) -> int:
    from laopan.interchange.reading import read_document
    from laopan.services.duplicates import OnDuplicate
    from laopan.services.intake import import_cases

    document = read_document(args.file)
    desk = _desk(args)
    with desk.session() as session:
        report = import_cases(session, actor=desk.actor, document=document, on_duplicate=OnDuplicate(args.on_duplicate))
    for warning in report.warnings:
        print(f"警告：{warning}", file=sys.stderr)
    for skipped in report.skipped:
        print(f"跳过：{skipped}", file=sys.stderr)
    for registered in report.registered:
        print(registered.intake_no)
    return 0


def cmd_case_export(args) -> int:
    from laopan.interchange.export import export_cases
    from laopan.services.cases import find_case_id

    desk = _desk(args)
    # The file is written inside the unit of work: if it cannot be written, the case.export entries roll back
    # with it — the audit says "exported" only for a file that exists.
    with desk.session() as session:
        ids = [find_case_id(session, actor=desk.actor, intake_no=number) for number in args.numbers]
        document = export_cases(session, actor=desk.actor, case_ids=ids)
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        if args.out:
            try:
                Path(args.out).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise ValidationError("--out", f"无法写入 {args.out}（{exc.strerror or exc}），未导出") from None
        else:
            sys.stdout.write(text)
    if args.out:
        print(f"已导出到 {args.out}", file=sys.stderr)
    return 0


def cmd_dict_list(args) -> int:
    from laopan.services.dictionaries import list_entries

    desk = _desk(args)
    with desk.reading() as session:
        for entry in list_entries(session, actor=desk.actor, kind=args.kind):
            print("\t".join(x for x in (entry.code, entry.name, entry.parent) if x))
    return 0


def cmd_dict_add(args) -> int:
    from laopan.services.dictionaries import KINDS, add_entry

    desk = _desk(args)
    with desk.session() as session:
        entry = add_entry(session, actor=desk.actor, kind=args.kind, name=args.name, community=args.parent_community, code=args.code)
    print(f"已添加{KINDS[entry.kind]}：{entry.name}")
    return 0


def cmd_mediator_list(args) -> int:
    from laopan.labels import label
    from laopan.services.mediators import list_mediators

    desk = _desk(args)
    with desk.reading() as session:
        for m in list_mediators(session, actor=desk.actor, active_only=args.active):
            place = " ".join(x for x in (m.community, m.grid) if x)
            flags = "、".join(x for x in ("导入" if m.imported else "", "" if m.active else "停用") if x)
            cells = [m.name, label(MediatorRank, m.rank), label(MediatorUnit, m.unit), place, "、".join(m.specialties), f"在办{m.open_cases}", flags]
            print("\t".join(cells).rstrip())
    return 0


def cmd_mediator_add(args) -> int:
    from laopan.services.mediators import add_mediator

    desk = _desk(args)
    with desk.session() as session:
        view = add_mediator(
            session, actor=desk.actor, name=args.name, rank=MediatorRank(args.rank), unit=MediatorUnit(args.unit),
            community=args.mediator_community, grid=args.grid, phone=args.phone, id_number=args.id_number,
            address=args.address, work_unit=args.work_unit, specialties=tuple(args.specialty),
        )
    print(f"已添加调解员 {view.name}")
    return 0
