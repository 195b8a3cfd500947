"""授权委托书 (司法部 2010 人民调解文书格式; 民法典 Art. 161–165; 人民调解法 Art. 23): a party's 委托代理人.

The principal and the agent with their particulars, the matter (the dispute before the committee), 委托事项和权限
with 一般授权 or 特别授权 marked and the special powers listed (an agent signs an agreement only with 特别授权),
the term, and the signatures of both with a date.
"""

import datetime as dt
from dataclasses import dataclass

from laopan.documents.forms.common import PERSON_HINT, SIGN_HINT, FormParty, date_only, party_block
from laopan.documents.model import (
    Block, Document, Heading, KeepTogether, Paragraph, PartyBlock, PartyRow, SignatureBlock, SignatureLine, Span, inline,
)

__all__ = ["GENERAL_POWERS", "SPECIAL_POWERS", "TITLE", "PowerOfAttorney", "build_power_of_attorney"]

TITLE = "授权委托书"
GENERAL_POWERS = "代为陈述纠纷事实、提交证据材料、参加调解活动、签收调解文书。"
SPECIAL_POWERS = (
    "代为承认、放弃或者变更调解请求；",
    "代为进行和解、达成调解协议；",
    "代为签署人民调解协议书、确认口头协议；",
    "代为领取协议约定的款物；",
    "代为共同申请司法确认。",
)
TERM = "委托期限：自本委托书签署之日起至本纠纷调解终结之日止。"
CHECKED, UNCHECKED = "■", "□"


@dataclass(frozen=True)
class PowerOfAttorney:
    committee: str
    principal: FormParty
    agent_name: str
    agent_details: str  # 身份证号：…，住址：…，电话：…
    agent_relation: str  # 律师 / 儿子 / 公司员工
    dispute: str  # 王小明与宁波安居物业服务有限公司邻里纠纷
    special: bool  # 特别授权
    signed_on: dt.date | None = None
    subject: str = ""


def build_power_of_attorney(power: PowerOfAttorney) -> Document:
    principal = party_block((power.principal,)).rows[0]
    relation = f"（{power.agent_relation}）" if power.agent_relation else ""
    details = power.agent_details.strip().rstrip("。")
    agent = PartyRow("受委托人：", inline(Span(power.agent_name, "委托代理人.姓名"), Span(relation, "委托代理人.关系"),
                                          "，" if details else "", Span(details, "委托代理人.基本情况"), "。"))
    blocks: list[Block] = [
        PartyBlock((PartyRow("委托人：", principal.text), agent)),
        Paragraph(inline("现委托", Span(power.agent_name, "委托代理人.姓名"), "在", Span(power.committee, "人民调解委员会名称"),
                         "调解的", Span(power.dispute, "纠纷"), "中，作为我方的委托代理人。")),
        Heading(inline("委托事项和权限：")),
        Paragraph(inline(UNCHECKED if power.special else CHECKED, "一般授权：", GENERAL_POWERS)),
        Paragraph(inline(CHECKED if power.special else UNCHECKED, "特别授权：除一般授权的事项外，并有权：")),
        *(Paragraph(inline(f"{n}. {text}")) for n, text in enumerate(SPECIAL_POWERS, 1)),
        Paragraph(inline(TERM)),
    ]
    blocks.append(KeepTogether((
        Paragraph(inline("受委托人的代理行为，委托人均予承认。")),
        SignatureBlock((
            SignatureLine("委托人", inline(Span(power.principal.name, "委托人.姓名")), PERSON_HINT),
            SignatureLine("受委托人", inline(Span(power.agent_name, "委托代理人.姓名")), SIGN_HINT),
        ), date_only(power.signed_on)),
    )))
    return Document(title=TITLE, number=inline(), blocks=tuple(blocks), subject=f"{TITLE} {power.subject}".strip())
