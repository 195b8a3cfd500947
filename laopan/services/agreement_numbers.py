"""An imported 协议编号 is parsed, not compared as text (issue 10 item 4).

A number must be written in the committee's format (`CommitteeSettings.agreement_no_format`); full-width digits
(`第０８７号`) are read as ASCII; `第87号` and `第087号` are the same number. What counts is (year, sequence), unique
per committee: the number stored is the committee's own spelling of that pair, so the database's unique
(committee, number) constraint holds for every imported number too. Numbers stored before this rule (any
spelling) are parsed once per import, so a new import cannot repeat them either.
"""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlmodel import Session

from laopan.models import Agreement, Case
from laopan.services import numbering

MAX_SEQ = 999_999  # a 21-digit sequence once overflowed the 64-bit counter it moves past

_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def normalise_digits(text: str) -> str:
    """`第０８７号` → `第087号`; everything else (the format's own full-width brackets included) as written."""
    return text.translate(_FULL_WIDTH_DIGITS).strip()


def expected_format(template: str, year: int) -> str:
    return numbering.format_number(template, year=year, seq=1)


@dataclass
class TakenNumbers:
    """(year, seq) → where that number is already used: an existing case's intake number or a path in the file."""

    in_database: dict[tuple[int, int], str]
    in_file: dict[tuple[int, int], str] = field(default_factory=dict)


def taken_numbers(session: Session, *, committee_id: int, template: str) -> TakenNumbers:
    rows = session.execute(
        select(Agreement.number, Case.intake_no)
        .join(Case, Case.id == Agreement.case_id)
        .where(Agreement.committee_id == committee_id, Agreement.number.is_not(None))
    ).all()
    found: dict[tuple[int, int], str] = {}
    for number, intake_no in rows:
        parsed = numbering.parse_number(template, normalise_digits(number))
        if parsed is not None:
            found.setdefault(parsed, intake_no)
    return TakenNumbers(in_database=found)


def check_number(number: str, *, template: str, this_year: int, taken: TakenNumbers, path: str) -> tuple[tuple[int, int] | None, str | None]:
    """((year, seq), None) for a usable number (recorded in `taken.in_file` under `path`), or (None, why not)."""
    example = expected_format(template, this_year)
    parsed = numbering.parse_number(template, normalise_digits(number))
    if parsed is None:
        return None, f"协议编号“{number[:60]}”不是本调委会的格式，应为“{example}”这样的编号"
    year, seq = parsed
    if year > this_year:
        return None, f"协议编号的年份 {year} 晚于今年（{this_year}）"
    if seq < 1:
        return None, f"协议编号的序号应从 1 开始，如“{example}”"
    if seq > MAX_SEQ:
        return None, "协议编号的序号过大（最多 6 位）"
    canonical = numbering.format_number(template, year=year, seq=seq)
    if parsed in taken.in_database:
        return None, f"协议编号 {canonical} 已被案件 {taken.in_database[parsed]} 的协议使用"
    if parsed in taken.in_file:
        return None, f"协议编号 {canonical} 与本文件 {taken.in_file[parsed]} 重复"
    taken.in_file[parsed] = path
    return parsed, None
