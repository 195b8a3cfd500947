"""人民调解当事人权利义务告知书 (司法部 2010 人民调解文书格式; 人民调解法 Art. 4, 23, 24, 26, 31, 33).

The fixed text follows the statute's own words: the parties' rights (Art. 23) and duties (Art. 24), that the
committee charges nothing (Art. 4), that a mediation which fails is ended and the parties told of the other ways
open to them (Art. 26), that an agreement binds (Art. 31) and may be confirmed by a court within 30 days
(Art. 33), and where to turn about a mediator's misconduct (Art. 15). Each party (or the guardian for one)
signs that it was told, with the date, in a ruled table at the end.
"""

import datetime as dt
from dataclasses import dataclass

from laopan.documents.forms.common import SIGN_ROOM, committee_seal
from laopan.documents.model import (
    Block, Document, Inline, KeepTogether, Paragraph, SignatureBlock, Span, Table, inline,
)

__all__ = ["DUTIES", "RIGHTS", "TITLE", "Notice", "NoticeParty", "build_notice"]

TITLE = "人民调解当事人权利义务告知书"
INTRODUCTION = (
    "根据《中华人民共和国人民调解法》的规定，人民调解委员会是依法设立的调解民间纠纷的群众性组织。"
    "人民调解委员会调解民间纠纷，遵循当事人自愿、平等的原则，不违背法律、法规和国家政策，尊重当事人的权利，"
    "不收取任何费用。为保障当事人的合法权益，现将当事人在人民调解活动中享有的权利和应当履行的义务告知如下："
)
RIGHTS = (
    "选择或者接受人民调解员；",
    "接受调解、拒绝调解或者要求终止调解；",
    "要求调解公开进行或者不公开进行；",
    "自主表达意愿、自愿达成调解协议。",
)
DUTIES = (
    "如实陈述纠纷事实；",
    "遵守调解现场秩序，尊重人民调解员；",
    "尊重对方当事人行使权利。",
)
FURTHER = (
    "三、人民调解员在调解工作中有偏袒一方当事人，侮辱当事人，索取、收受财物或者牟取其他不正当利益，"
    "泄露当事人的个人隐私、商业秘密等行为的，当事人有权向人民调解委员会反映。",
    "四、调解不成的，人民调解委员会终止调解，并告知当事人可以依法通过仲裁、行政、司法等途径维护自己的权利。",
    "五、经人民调解委员会调解达成的调解协议，具有法律约束力，当事人应当按照约定履行。"
    "经人民调解委员会调解达成调解协议后，双方当事人认为有必要的，可以自调解协议生效之日起三十日内"
    "共同向人民法院申请司法确认。",
)
ACKNOWLEDGED = "以上权利义务已告知，本人已阅读（或听取宣读）并知悉。"


@dataclass(frozen=True)
class NoticeParty:
    role: str  # 申请人 / 被申请人 / 第三人
    name: str
    signer: str = ""  # who signs for the party (法定代理人 王某), when not the party itself


@dataclass(frozen=True)
class Notice:
    committee: str
    intake_no: str
    parties: tuple[NoticeParty, ...]
    dispute: str  # the dispute type as the committee names it (邻里纠纷)
    notified_on: dt.date | None = None  # None: blank to fill by hand


def _item(number: int, text: str) -> Paragraph:
    return Paragraph(inline(f"（{'一二三四'[number - 1]}）{text}"))


def build_notice(notice: Notice) -> Document:
    addressees = "、".join(party.name for party in notice.parties)
    blocks: list[Block] = [
        Paragraph(inline(Span(addressees, "当事人.姓名"), "："), indent=False),
        Paragraph(inline("你（单位）与本案其他当事人之间的", Span(notice.dispute, "纠纷类型"), "" if notice.dispute.endswith("纠纷") else "纠纷",
                         "，本委员会已受理。", INTRODUCTION)),
        Paragraph(inline("一、当事人在人民调解活动中享有下列权利：")),
        *(_item(n, text) for n, text in enumerate(RIGHTS, 1)),
        Paragraph(inline("二、当事人在人民调解活动中履行下列义务：")),
        *(_item(n, text) for n, text in enumerate(DUTIES, 1)),
        *(Paragraph(inline(text)) for text in FURTHER),
    ]
    rows: list[tuple[Inline, ...]] = [(inline("当事人"), inline("签收人（签名或按指印）"), inline("签收日期"))]
    for index, party in enumerate(notice.parties, 1):
        who = inline(f"{party.role}：", Span(party.name, f"当事人[{index}].姓名"))
        if party.signer:
            who = inline(*who, "\n", Span(party.signer, f"当事人[{index}].代理人"))
        rows.append((who, inline(SIGN_ROOM), inline("　　　年　　月　　日")))
    blocks.append(KeepTogether((
        Paragraph(inline(ACKNOWLEDGED)),
        Table(tuple(rows), header_rows=1, widths=(2.2, 2.2, 1.6), numeric_from=99),
        SignatureBlock((), committee_seal(notice.committee, notice.notified_on)),
    )))
    number = inline("受理编号：", Span(notice.intake_no, "受理编号"))
    return Document(title=TITLE, number=number, blocks=tuple(blocks), subject=f"{TITLE} {notice.intake_no}")

