"""What every group of subcommands needs: the desk the options name, dates and case numbers as typed."""

import datetime as dt
import os
import sys
from pathlib import Path

from laopan.errors import ValidationError

PASSWORD_ENV = "LAOPAN_PASSWORD"
USER_ENV = "LAOPAN_USER"


def open_cli_desk(args):
    """The desk of --database / --as / --committee (each may be given before or after the subcommand), logged in
    with the password of LAOPAN_PASSWORD or --password-file, acting on the clock `main` was given (None: the
    process's clock). No password, or a wrong one: LoginFailed (exit 2, not saying which of the two was wrong)."""
    from laopan.desk import open_desk

    desk = open_desk(url=getattr(args, "database", None), login=cli_login(args), password=cli_password(args),
                     committee=getattr(args, "committee", None), clock=getattr(args, "clock", None))
    print_recovery_code(desk.recovery_code, file=sys.stderr)  # a plain desk encrypted at this login
    return desk


def print_recovery_code(code: str | None, *, file=None) -> None:
    """The recovery key of a desk just encrypted, printed once (init/demo: on stdout; any other command that
    converted a plain desk at its first login: on stderr, out of the way of its output)."""
    from laopan.security.protection import RECOVERY_NOTICE

    if code:
        print(f"数据库已加密。{RECOVERY_NOTICE}\n\n    {code}\n", file=file or sys.stdout)


def cli_login(args) -> str | None:
    """--as, else LAOPAN_USER (else the desk's current user, decided by open_desk)."""
    return getattr(args, "as_login", None) or os.environ.get(USER_ENV) or None


def cli_password(args) -> str | None:
    """The password of --password-file (its first line, without the newline), else LAOPAN_PASSWORD. Never stdin."""
    path = getattr(args, "password_file", None)
    if path:
        return read_password_file(path, "--password-file")
    return os.environ.get(PASSWORD_ENV) or None


def read_password_file(path: str, option: str) -> str:
    """The first line of `path` (a password or the recovery key), without its newline; `-` (stdin) refused."""
    if path == "-":
        raise ValidationError(option, "密码不从标准输入读取：请给出文件")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(option, f"读不了密码文件 {path}：{exc.__class__.__name__}") from None
    return text.splitlines()[0] if text else ""


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

    if not args.pdf and not args.docx:
        raise ValidationError("--pdf/--docx", "至少指定一个输出文件")
    desk = open_cli_desk(args)
    with desk.session() as session:
        case_id = case_id_of(session, desk, args.number)
        for fmt, path in (("pdf", args.pdf), ("docx", args.docx)):
            if path:
                write_output(path, render(session, desk, case_id, fmt))
                print(f"已生成 {path}", file=sys.stderr)
    return 0


def write_output(path, data: bytes) -> None:
    """Writes a document inside the caller's unit of work: a folder that does not exist is a Chinese refusal, and
    the print/export audit entry of the same transaction rolls back with it."""
    from pathlib import Path

    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise ValidationError("文件", f"无法写入 {path}（{exc.strerror or exc}），未生成") from None
