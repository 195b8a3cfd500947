"""Pieces the forms share: a party's lines, a cell of several lines, the blank date people fill by hand."""

import datetime as dt
from dataclasses import dataclass

from laopan.clock import format_date_cn
from laopan.documents.model import Inline, PartyBlock, PartyRow, SealBlock, Span, inline

BLANK_DATE = "　　　　年　　月　　日"
PERSON_HINT = "签名、盖章或按指印"
SIGN_HINT = "签名"
SIGN_ROOM = "　"  # keeps the empty line under a name from collapsing in a table cell


@dataclass(frozen=True)
class FormParty:
    """One party as a form prints it: `details` is the particulars already joined (性别，民族，身份证号：…);
    `agent_title` (法定代理人/委托代理人) and `agent` (王某（父亲），电话：…) when someone acts for the party."""

    role: str  # 申请人 / 被申请人 / 第三人
    name: str
    details: str = ""
    agent_title: str = ""
    agent: str = ""
    agent_name: str = ""


def party_line(index: int, party: FormParty) -> Inline:
    """申请人：张三，男，汉族，… (the role, the name, the particulars)."""
    at = f"当事人[{index}]"
    details = party.details.strip().rstrip("。")
    return inline(f"{party.role}：", Span(party.name, f"{at}.姓名"), "，" if details else "",
                  Span(details, f"{at}.基本情况"), "。")


def agent_line(index: int, party: FormParty) -> Inline:
    return inline(f"{party.agent_title}：", Span(party.agent.strip().rstrip("。"), f"当事人[{index}].{party.agent_title}"), "。")


def party_block(parties: tuple[FormParty, ...]) -> PartyBlock:
    rows: list[PartyRow] = []
    for index, party in enumerate(parties, 1):
        details = party.details.strip().rstrip("。")
        rows.append(PartyRow(f"{party.role}：", inline(Span(party.name, f"当事人[{index}].姓名"), "，" if details else "",
                                                       Span(details, f"当事人[{index}].基本情况"), "。")))
        if party.agent:
            agent = party.agent.strip().rstrip("。")
            rows.append(PartyRow(f"{party.agent_title}：", inline(Span(agent, f"当事人[{index}].{party.agent_title}"), "。")))
    return PartyBlock(tuple(rows))


def lines(pieces: list[Inline]) -> Inline:
    """Several lines in one table cell (a line break between them)."""
    spans: list[Span] = []
    for number, piece in enumerate(pieces):
        if number:
            spans.append(Span("\n"))
        spans.extend(piece)
    return tuple(spans)


def date_text(day: dt.date | None) -> str:
    return format_date_cn(day) if day else BLANK_DATE


def time_text(at: dt.datetime | None) -> str:
    """2026年12月4日 14时30分 (already in the committee's time zone), or blank to fill by hand."""
    return f"{format_date_cn(at.date())} {at.hour}时{at.minute:02d}分" if at else BLANK_DATE + "　　时　　分"


def date_only(day: dt.date | None) -> SealBlock:
    """The date cell of a signature block with no seal (a party's own paper: the 申请书, the 委托书)."""
    return SealBlock(committee=inline(), date=inline(date_text(day)), hint="")


def committee_seal(committee: str, day: dt.date | None) -> SealBlock:
    return SealBlock(committee=inline(Span(committee, "人民调解委员会名称")), date=inline(date_text(day)))


def row(label: str, value: str, field: str = "") -> tuple[Inline, Inline]:
    """A label cell and its value in a ruled form (an empty value stays an empty cell to fill by hand)."""
    return inline(label), inline(Span(value or SIGN_ROOM, field or label))
