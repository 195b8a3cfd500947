"""人民调解记录 / 调解笔录 (司法部 2010 人民调解文书格式, 人民调解记录; 人民调解法 Art. 27): one per session.

A ruled head (time, place, mediators, recorder, the parties present and the other participants), then what was
said as recorded, the result, the sentence by which those present confirm the record, and a signature line for
every one of them; the committee's name and the date of the session close it.
"""

import datetime as dt
from dataclasses import dataclass

from laopan.documents.forms.common import PERSON_HINT, SIGN_HINT, committee_seal, row, time_text
from laopan.documents.model import (
    Block, Document, Heading, Inline, KeepTogether, Paragraph, SignatureBlock, SignatureLine, Span, Table, inline,
)

__all__ = ["CONFIRMATION", "TITLE", "SessionRecord", "build_session_record"]

TITLE = "人民调解记录"
CONFIRMATION = "以上记录已经本人阅读（或向本人宣读），与所述一致，确认无误。"


@dataclass(frozen=True)
class SessionRecord:
    committee: str
    intake_no: str
    sequence: int  # 第n次调解
    held_at: dt.datetime  # in the committee's time zone
    place: str
    mediators: tuple[str, ...]
    recorder: str
    parties_present: tuple[str, ...]  # as recorded (王小明（法定代理人王某）)
    participants: tuple[str, ...]
    statements: str  # what each side said, one paragraph a line, as recorded
    result: str
    dispute: str = ""  # 张三与李四邻里纠纷


def build_session_record(record: SessionRecord) -> Document:
    head: tuple[tuple[Inline, ...], ...] = (
        row("案由", record.dispute),
        row("调解次数", f"第{record.sequence}次"),
        row("时间", time_text(record.held_at)),
        row("地点", record.place, "调解记录.地点"),
        row("人民调解员", "、".join(record.mediators), "调解记录.调解员"),
        row("记录人", record.recorder, "记录人.姓名"),
        row("到场当事人", "、".join(record.parties_present), "调解记录.到场当事人"),
        row("其他参加人", "、".join(record.participants) or "无", "调解记录.其他参加人"),
    )
    blocks: list[Block] = [Table(head, header_rows=0, widths=(1.35, 4), numeric_from=99, label_columns=1, align="left"),
                           Heading(inline("调解记录："))]
    said = [line.strip() for line in record.statements.splitlines() if line.strip()]
    blocks += [Paragraph(inline(Span(line, "调解记录.陈述"))) for line in said] or [Paragraph(inline("（无）"))]
    lines: list[SignatureLine] = [
        SignatureLine("当事人", inline(Span(name, "调解记录.到场当事人")), PERSON_HINT) for name in record.parties_present
    ]
    lines += [SignatureLine("其他参加人", inline(Span(name, "调解记录.其他参加人")), PERSON_HINT) for name in record.participants]
    lines += [SignatureLine("人民调解员", inline(Span(name, "调解记录.调解员")), SIGN_HINT) for name in record.mediators]
    lines.append(SignatureLine("记录人", inline(Span(record.recorder, "记录人.姓名")), SIGN_HINT))
    blocks.append(KeepTogether((
        Heading(inline("调解结果：")),
        Paragraph(inline(Span(record.result.strip() or "（未记录）", "调解记录.结果"))),
        Paragraph(inline(CONFIRMATION)),
        SignatureBlock(tuple(lines), committee_seal(record.committee, record.held_at.date())),
    )))
    number = inline("受理编号：", Span(record.intake_no, "受理编号"))
    return Document(title=TITLE, number=number, blocks=tuple(blocks), subject=f"{TITLE} {record.intake_no} 第{record.sequence}次")
