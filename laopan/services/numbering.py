"""Number sequences (受理编号, 协议编号), allocated inside the saving transaction.

One row per committee, kind and year; `INSERT … ON CONFLICT DO UPDATE … RETURNING` bumps it atomically.
On PostgreSQL the row lock serialises concurrent desks until the saving transaction ends, so numbers are
unique and gapless (a rolled-back save rolls the number back too); on SQLite the write transaction
(BEGIN IMMEDIATE) does the same.
"""

import re
import string

from sqlalchemy import case
from sqlmodel import Session

from laopan.models import NumberSequence

INTAKE = "intake"
AGREEMENT = "agreement"
ORAL = "oral"

_formatter = string.Formatter()


def _insert(session: Session):
    # Imported here: the PostgreSQL dialect module pulls in asyncpg's and asyncio's (~0.1 s of every start on SQLite).
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def next_seq(session: Session, *, committee_id: int, kind: str, year: int) -> int:
    insert = _insert(session)
    table = NumberSequence.__table__
    statement = (
        insert(table)
        .values(committee_id=committee_id, kind=kind, year=year, last_seq=1)
        .on_conflict_do_update(
            index_elements=[table.c.committee_id, table.c.kind, table.c.year],
            set_={"last_seq": table.c.last_seq + 1},
        )
        .returning(table.c.last_seq)
    )
    return int(session.execute(statement).scalar_one())


def move_past(session: Session, *, committee_id: int, kind: str, year: int, seq: int) -> None:
    """Make sure the allocator never hands out `seq` (an imported number) or anything below it again."""
    insert = _insert(session)
    table = NumberSequence.__table__
    excluded_seq = insert(table).excluded.last_seq
    statement = (
        insert(table)
        .values(committee_id=committee_id, kind=kind, year=year, last_seq=seq)
        .on_conflict_do_update(
            index_elements=[table.c.committee_id, table.c.kind, table.c.year],
            set_={"last_seq": case((table.c.last_seq < excluded_seq, excluded_seq), else_=table.c.last_seq)},
        )
    )
    session.execute(statement)


def format_number(template: str, *, year: int, seq: int) -> str:
    return template.format(year=year, seq=seq)


def parse_number(template: str, number: str) -> tuple[int, int] | None:
    """(year, seq) of a number written in `template`'s format, or None if it is in another format."""
    pattern = ""
    for literal, field, spec, _conv in _formatter.parse(template):
        pattern += re.escape(literal)
        if field == "year":
            pattern += r"(?P<year>\d{4})"
        elif field == "seq":
            pattern += r"(?P<seq>\d+)"
    match = re.fullmatch(pattern, number.strip())
    if not match:
        return None
    return int(match["year"]), int(match["seq"])

