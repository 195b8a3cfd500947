"""人民调解回访记录 (司法部 2010 人民调解文书格式, 人民调解回访记录; 人民调解法 Art. 31 para. 2: the committee
checks that an agreement is performed). One per visit, from the follow-up record.

A ruled head (the case, the agreement, the visit's date, who visited and how, what it checks), the performance
found, the visitor's notes, the next step, then signature lines for the party visited and the visitor; the
committee's name and the visit's date close it.
"""

import datetime as dt
from dataclasses import dataclass

from laopan.documents.forms.common import PERSON_HINT, SIGN_HINT, committee_seal, date_text, row
from laopan.documents.model import (
    Block, Document, Heading, Inline, KeepTogether, Paragraph, SignatureBlock, SignatureLine, Span, Table, inline,
)

__all__ = ["TITLE", "FollowUpRecord", "build_followup_record"]

TITLE = "人民调解回访记录"


@dataclass(frozen=True)
class FollowUpRecord:
    committee: str
    intake_no: str
    sequence: int  # 第n次回访
    dispute: str  # 张三与李四邻里纠纷
    parties: tuple[str, ...]  # 申请人：张三 (who may sign as the party visited)
    agreement_no: str
    agreement_on: dt.date | None  # the agreement's signing date
    visited_on: dt.date
    visitor: str
    method: str  # 电话 / 上门 / 其他
    purpose: str  # what the visit checks (履行期限, 第2条第1期)
    performance: str  # 未到期 / 已履行 / 部分履行 / 未履行
    notes: str
    next_step: str


def build_followup_record(record: FollowUpRecord) -> Document:
    agreement = record.agreement_no + (f"（{date_text(record.agreement_on)}签订）" if record.agreement_on else "")
    head: tuple[tuple[Inline, ...], ...] = (
        row("案由", record.dispute),
        row("调解协议", agreement, "协议编号"),
        row("回访时间", date_text(record.visited_on), "回访.日期"),
        row("回访人", record.visitor, "回访.回访人"),
        row("回访方式", record.method, "回访.方式"),
        row("回访事项", record.purpose or "协议履行情况", "回访.事项"),
        row("被回访人", "、".join(record.parties), "当事人.姓名"),
        row("协议履行情况", record.performance, "回访.履行情况"),
    )
    blocks: list[Block] = [Table(head, header_rows=0, widths=(1.35, 4), numeric_from=99, label_columns=1, align="left"),
                           Heading(inline("回访情况："))]
    noted = [line.strip() for line in record.notes.splitlines() if line.strip()]
    blocks += [Paragraph(inline(Span(line, "回访.情况"))) for line in noted] or [Paragraph(inline("（无）"))]
    lines = (SignatureLine("被回访人", inline(), PERSON_HINT), SignatureLine("回访人", inline(Span(record.visitor, "回访.回访人")), SIGN_HINT))
    blocks.append(KeepTogether((
        Heading(inline("下一步工作：")),
        Paragraph(inline(Span(record.next_step, "回访.下一步"))),
        SignatureBlock(lines, committee_seal(record.committee, record.visited_on)),
    )))
    number = inline("受理编号：", Span(record.intake_no, "受理编号"), f"　第{record.sequence}次回访")
    return Document(title=TITLE, number=number, blocks=tuple(blocks), subject=f"{TITLE} {record.intake_no} 第{record.sequence}次")
