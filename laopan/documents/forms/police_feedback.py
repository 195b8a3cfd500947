"""警调移交反馈单 (the feedback slip of a police referral; 司法部、公安部《关于推进公安派出所和司法所
"警调联动"工作的意见》, laid out after the 司法部 2010 人民调解文书格式 forms): what the station sent, what the
centre did, the result, the agreement number and its performance, and when the station was told.

Three ruled sections; the centre's liaison and the station's receiver sign at the end.
"""

import datetime as dt
from dataclasses import dataclass

from laopan.documents.forms.common import SIGN_HINT, date_only, row, time_text
from laopan.documents.model import (
    Document, Heading, Inline, SignatureBlock, SignatureLine, Span, Table, inline,
)

__all__ = ["TITLE", "PoliceFeedback", "build_police_feedback"]

TITLE = "警调移交反馈单"


@dataclass(frozen=True)
class PoliceFeedback:
    committee: str
    intake_no: str
    station: str
    incident_no: str
    call_time: dt.datetime | None
    officer: str  # 民警
    badge_no: str
    referred_at: dt.datetime
    parties: str  # 张三、李四
    nature: str  # 警情性质
    received_at: dt.datetime | None  # 受理 (the centre received the referral)
    received_by: str
    mediators: tuple[str, ...]
    first_contact_at: dt.datetime | None
    result: str  # 调解成功 / 调解不成 / 调解中 …
    agreement_no: str
    performance: str
    feedback_at: dt.datetime | None
    feedback_content: str = ""
    liaison: str = ""  # who signs for the centre


def _table(rows: tuple[tuple[Inline, ...], ...]) -> Table:
    return Table(rows, header_rows=0, widths=(1.35, 4), numeric_from=99, label_columns=1, align="left")


def _call_and_referral(slip: PoliceFeedback) -> str:
    """2026年11月20日 8时12分报警，9时00分移交 (the date once when both fall on the same day)."""
    referred = time_text(slip.referred_at)
    if slip.call_time is None:
        return f"{referred}移交"
    if slip.call_time.date() == slip.referred_at.date():
        referred = f"{slip.referred_at.hour}时{slip.referred_at.minute:02d}分"
    return f"{time_text(slip.call_time)}报警，{referred}移交"


def build_police_feedback(slip: PoliceFeedback) -> Document:
    officer = slip.officer + (f"（警号{slip.badge_no}）" if slip.badge_no else "")
    nature = f"（{slip.nature}）" if slip.nature else ""
    # Two facts to a row where they belong together, and the 受理编号 only under the title: the slip is one
    # page, signatures included.
    sent = (
        row("派出所/民警", "　".join(x for x in (slip.station, officer) if x), "移交.派出所"),
        row("警情编号", slip.incident_no + nature, "移交.警情编号"),
        row("报警/移交时间", _call_and_referral(slip)),
        row("当事人", slip.parties, "当事人.姓名"),
    )
    received = f"{slip.received_by or '　　'}于{time_text(slip.received_at)}接收" if slip.received_at else slip.received_by
    done = (
        row("接收", received, "移交.接收人"),
        row("人民调解员", "、".join(slip.mediators), "调解员.姓名"),
        row("首次联系时间", time_text(slip.first_contact_at) if slip.first_contact_at else "（尚未联系）"),
    )
    outcome = (
        row("调解结果", slip.result, "反馈.调解结果"),
        row("协议编号", slip.agreement_no or "无", "反馈.协议编号"),
        row("履行情况", slip.performance, "反馈.履行情况"),
        row("反馈内容", slip.feedback_content, "反馈.内容"),
        row("反馈时间", time_text(slip.feedback_at) if slip.feedback_at else ""),
    )
    blocks = (
        Heading(inline("一、公安机关移交情况")), _table(sent),
        Heading(inline("二、人民调解委员会办理情况")), _table(done),
        Heading(inline("三、调解结果及履行情况")), _table(outcome),
        # Not kept with the table: the signatures follow on the next page (after （以下无正文）) if they must.
        SignatureBlock((
            SignatureLine("调解中心联络人", inline(Span(slip.liaison, "联络人.姓名")), SIGN_HINT),
            SignatureLine("派出所接收人", inline(), SIGN_HINT),
        ), date_only(slip.feedback_at.date() if slip.feedback_at else None)),
    )
    number = inline(Span(slip.committee, "人民调解委员会名称"), "　受理编号：", Span(slip.intake_no, "受理编号"))
    return Document(title=TITLE, number=number, blocks=blocks, subject=f"{TITLE} {slip.intake_no}")
