"""卷宗封面 + 卷内目录 (司法部 2010 人民调解文书格式, 人民调解卷宗; 人民调解工作若干规定 Art. 40 on filing).

The cover names the committee, the case (受理编号, 协议编号), the 案由, the parties, the mediators, the dates of
intake and closing, how the case ended, the retention period and who filed it; the 卷内目录 on its own page lists
the papers in order with their page numbers. The page numbers come from the caller: `(name, pages)` entries
with `pages` None leave 页号 blank (the packet builder passes real counts and the numbers are computed here).
"""

import datetime as dt
from dataclasses import dataclass

from laopan.documents.forms.common import SIGN_ROOM, date_text, row
from laopan.documents.model import Document, Heading, Inline, PageBreak, Span, Table, inline

__all__ = ["TITLE", "ContentsEntry", "Cover", "build_cover", "page_numbers"]

TITLE = "人民调解卷宗"
DEFAULT_RETENTION = "长期"


@dataclass(frozen=True)
class ContentsEntry:
    name: str
    pages: int | None = None
    note: str = ""


@dataclass(frozen=True)
class Cover:
    committee: str
    intake_no: str
    dispute: str  # 案由
    parties: tuple[str, ...]  # 申请人：张三
    mediators: tuple[str, ...]
    received_on: dt.date
    closed_on: dt.date | None
    closing: str  # 结案方式: 调解成功（书面协议） / 调解终止 / …
    contents: tuple[ContentsEntry, ...]
    agreement_no: str = ""
    retention: str = DEFAULT_RETENTION
    filed_by: str = ""  # 立卷人


def page_numbers(contents: tuple[ContentsEntry, ...]) -> list[str]:
    """1, 2–3, 4 …: where each paper starts and ends; blank from the first entry whose count is unknown."""
    numbers, at = [], 1
    for entry in contents:
        if entry.pages is None or at is None:
            numbers.append("")
            at = None
            continue
        last = at + max(entry.pages, 1) - 1
        numbers.append(str(at) if last == at else f"{at}–{last}")
        at = last + 1
    return numbers


def build_cover(cover: Cover) -> Document:
    fields: tuple[tuple[Inline, ...], ...] = (
        row("人民调解委员会", cover.committee, "人民调解委员会名称"),
        row("受理编号", cover.intake_no, "受理编号"),
        row("协议编号", cover.agreement_no, "协议编号"),
        row("案由", cover.dispute),
        (inline("当事人"), inline(Span("\n".join(cover.parties), "当事人.姓名"))),
        row("人民调解员", "、".join(cover.mediators), "调解员.姓名"),
        row("受理日期", date_text(cover.received_on)),
        row("结案日期", date_text(cover.closed_on) if cover.closed_on else ""),
        row("结案方式", cover.closing),
        row("保管期限", cover.retention),
        row("立卷人", cover.filed_by, "立卷人.姓名"),
        row("立卷日期", ""),
    )
    contents: list[tuple[Inline, ...]] = [(inline("序号"), inline("文件名称"), inline("页号"), inline("备注"))]
    for number, (entry, pages) in enumerate(zip(cover.contents, page_numbers(cover.contents)), 1):
        contents.append((inline(str(number)), inline(Span(entry.name, f"卷内目录[{number}]")), inline(pages or SIGN_ROOM),
                         inline(Span(entry.note or SIGN_ROOM, f"卷内目录[{number}].备注"))))
    blocks = (
        Table(fields, header_rows=0, widths=(1.35, 4), numeric_from=99, label_columns=1, align="left"),
        PageBreak(),
        Heading(inline("卷内目录")),
        Table(tuple(contents), header_rows=1, widths=(0.8, 4, 1.1, 1.3), numeric_from=99),
    )
    return Document(title=TITLE, number=inline(), blocks=blocks, subject=f"{TITLE} {cover.intake_no}")
