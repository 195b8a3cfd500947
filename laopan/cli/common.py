"""What every group of subcommands needs: the desk the options name, dates and case numbers as typed."""

import datetime as dt

from laopan.errors import ValidationError


def open_cli_desk(args):
    """The desk of --database / --as / --committee (each may be given before or after the subcommand), acting on
    the clock `main` was given (None: the process's clock)."""
    from laopan.desk import open_desk

    return open_desk(url=getattr(args, "database", None), login=getattr(args, "as_login", None), committee=getattr(args, "committee", None),
                     clock=getattr(args, "clock", None))


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
