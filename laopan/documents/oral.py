"""人民调解口头协议登记表 (人民调解法 Art. 28; 司法部 2010 人民调解文书格式): the record of an oral agreement.

An oral agreement takes no number in the written-agreement series and no "一式N份" sentence; the committee may
keep its own register number (printed as 编号 when given). The form is one ruled table: the parties' particulars,
the dispute in brief, what was agreed, how and by when it is performed, the mediators, the registrar and the date,
and a cell where each party confirms by signing. The service fills an `OralRegister` from the case (revealed:
the form carries ID numbers and phones) and the oral agreement; this module only lays it out.
"""

import datetime as dt
from dataclasses import dataclass

from laopan.clock import format_date_cn
from laopan.documents.model import Document, Inline, Span, Table, inline

__all__ = ["TITLE", "OralParty", "OralRegister", "build_oral_register"]

TITLE = "人民调解口头协议登记表"
CONFIRM_HINT = "（签名、盖章或按指印）"
SIGN_ROOM = "　"  # keeps the empty line under a name from collapsing


@dataclass(frozen=True)
class OralParty:
    """One party as the form prints it; empty particulars are left out."""

    role: str  # 申请人 / 被申请人 / 第三人
    name: str
    sex: str = ""
    ethnicity: str = ""
    age: str = ""  # "46岁", or a birth date in words
    id_number: str = ""
    occupation: str = ""
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class OralRegister:
    """What the 登记表 records. `clauses` are printed 一、二、… (a number of their own is dropped by the caller)."""

    committee: str
    parties: tuple[OralParty, ...]
    facts: str
    clauses: tuple[str, ...]
    performance: str
    mediators: tuple[str, ...]
    registrar: str
    registered_on: dt.date
    register_number: str | None = None
    subject: str = ""  # the case's intake number, for the file's properties


def _party_line(index: int, party: OralParty) -> Inline:
    at = f"当事人[{index}]"
    parts = [
        (party.sex, "性别", ""), (party.ethnicity, "民族", ""), (party.age, "年龄", ""),
        (party.id_number, "身份证号", "身份证号："), (party.occupation, "职业", "职业："),
        (party.address, "住址", "住址："), (party.phone, "电话", "电话："),
    ]
    spans: list[Span | str] = [f"{party.role}：", Span(party.name, f"{at}.姓名")]
    for value, field, label in parts:
        if value and value.strip():
            spans += ["，", label, Span(value.strip(), f"{at}.{field}")]
    spans.append("。")
    return inline(*spans)


def _lines(pieces: list[Inline]) -> Inline:
    """Several lines in one cell (a line break between them)."""
    spans: list[Span] = []
    for number, piece in enumerate(pieces):
        if number:
            spans.append(Span("\n"))
        spans.extend(piece)
    return tuple(spans)


def build_oral_register(oral: OralRegister) -> Document:
    """The 人民调解口头协议登记表 of an oral agreement, as a content model both renderers draw."""
    from laopan.documents.model import chinese_numeral

    clauses = [text.strip() for text in oral.clauses if text.strip()]
    content = _lines([
        inline("经调解，当事人自愿达成如下协议："),
        *(inline(f"{chinese_numeral(number)}、", Span(text, f"协议.条款[{number}]"))
          for number, text in enumerate(clauses, 1)),
    ])
    confirmations = _lines([  # an empty line under each name: the room to sign
        inline(f"{party.role}：", Span(party.name, f"当事人[{index}].姓名"), CONFIRM_HINT, "\n", SIGN_ROOM)
        for index, party in enumerate(oral.parties, 1)
    ])
    rows: tuple[tuple[Inline, ...], ...] = (
        (inline("当事人\n基本情况"), _lines([_party_line(i, party) for i, party in enumerate(oral.parties, 1)])),
        (inline("纠纷简要情况"), inline(Span(oral.facts.strip(), "协议.纠纷简要情况"))),
        (inline("协议内容"), content),
        (inline("履行方式及期限"), inline(Span(oral.performance.strip(), "协议.履行方式及期限"))),
        (inline("调解员"), inline(Span("、".join(oral.mediators), "调解员.姓名"))),
        (inline("登记人"), inline(Span(oral.registrar, "登记人.姓名"))),
        (inline("登记日期"), inline(format_date_cn(oral.registered_on))),
        (inline("当事人确认\n（签名）"), _lines([inline("以上内容属实，同意按此协议履行。"), confirmations])),
    )
    number = inline(Span(oral.committee, "人民调解委员会名称"))
    if oral.register_number:
        number = inline(*number, "　编号：", Span(oral.register_number, "登记表编号"))
    table = Table(rows, header_rows=0, widths=(1.35, 4), numeric_from=99, label_columns=1, align="left")
    return Document(title=TITLE, number=number, blocks=(table,), subject=f"{TITLE} {oral.subject}".strip())
