"""What every group of subcommands needs: the desk the options name, dates and case numbers as typed."""

import datetime as dt
import os
from pathlib import Path

from laopan.errors import ValidationError

PASSWORD_ENV = "LAOPAN_PASSWORD"
USER_ENV = "LAOPAN_USER"


def open_cli_desk(args):
    """The desk of --database / --as / --committee (each may be given before or after the subcommand), acting on
    the clock `main` was given (None: the process's clock)."""
    from laopan.desk import open_desk

    login = getattr(args, "as_login", None) or os.environ.get(USER_ENV) or None
    return open_desk(url=getattr(args, "database", None), login=login, password=cli_password(args),
                     committee=getattr(args, "committee", None), clock=getattr(args, "clock", None))


def first_line(path: str, option: str) -> str:
    """The first line of `path` without its newline; refused naming `option` when missing or empty."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise ValidationError(option, f"无法读取文件 {path}") from None
    line = text.splitlines()[0] if text else ""
    if not line.strip():
        raise ValidationError(option, f"文件 {path} 的第一行是空的")
    return line


def cli_password(args) -> str | None:
    """The acting user's password: the first line of --password-file, else LAOPAN_PASSWORD (never stdin)."""
    path = getattr(args, "password_file", None)
    if path:
        return first_line(path, "--password-file")
    return os.environ.get(PASSWORD_ENV) or None


def parse_date(text: str | None, option: str) -> dt.date | None:
    """A YYYY-MM-DD option value (None when omitted); a wrong one is refused naming the option."""
    if not text or not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(option, "日期格式应为 2026-11-27") from None


def case_id_of(session, desk, number: str) -> int:
    from laopan.services.cases import find_case_id

    return find_case_id(session, actor=desk.actor, intake_no=number)


def add_case_filters(parser) -> None:
    """The options that choose cases, as `laopan cases` has them (also `ledger export`)."""
    from laopan.models.enums import CaseStatus, Level, codes

    parser.add_argument("--level", choices=codes(Level))
    parser.add_argument("--status", choices=codes(CaseStatus))
    parser.add_argument("--type", dest="dispute_type", metavar="CODE", help="纠纷类型代码，如 neighbour")
    parser.add_argument("--community", help="社区名称")
    parser.add_argument("--source", metavar="CODE", help="来源代码，如 police_referral")
    parser.add_argument("--from", dest="received_from", metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="received_to", metavar="YYYY-MM-DD")
    parser.add_argument("--mediator", metavar="NAME", help="调解员姓名")
    parser.add_argument("--due", choices=("overdue", "due_soon"))
    parser.add_argument("--search", metavar="TEXT", help="姓名片段、电话尾号、身份证号片段、受理编号、协议编号或警情编号")


def case_filter_of(session, desk, args):
    """The CaseFilter the options of `add_case_filters` name; an unknown mediator is refused by name."""
    from laopan.errors import DomainError
    from laopan.services.cases import CaseFilter
    from laopan.services.mediators import list_mediators

    mediator_id = None
    if args.mediator:
        matches = [m for m in list_mediators(session, actor=desk.actor) if m.name == args.mediator]
        if not matches:
            raise DomainError(f"调解员名册中没有“{args.mediator}”")
        mediator_id = matches[0].id
    return CaseFilter(
        level=args.level, status=args.status, dispute_type=args.dispute_type, community=args.community,
        source=args.source, received_from=parse_date(args.received_from, "--from"),
        received_to=parse_date(args.received_to, "--to"), mediator_id=mediator_id, due=args.due, text=args.search,
    )


def write_case_outputs(args, render) -> int:
    """`--pdf F` / `--docx F` for case NO: `render(session, desk, case_id, fmt)` gives the bytes of each; the
    render audits the print inside the unit of work, so a file that cannot be written leaves no audit entry."""
    import sys
    from pathlib import Path

    if not args.pdf and not args.docx:
        raise ValidationError("--pdf/--docx", "至少指定一个输出文件")
    desk = open_cli_desk(args)
    with desk.session() as session:
        case_id = case_id_of(session, desk, args.number)
        for fmt, path in (("pdf", args.pdf), ("docx", args.docx)):
            if path:
                Path(path).write_bytes(render(session, desk, case_id, fmt))
                print(f"已生成 {path}", file=sys.stderr)
    return 0

