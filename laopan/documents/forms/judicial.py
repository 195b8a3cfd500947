"""司法确认申请书 (the parties' joint application to a court; 人民调解法 Art. 33, 民事诉讼法 special procedure for
confirming mediation agreements, 最高人民法院《关于人民调解协议司法确认程序的若干规定》 2011), laid out after the
司法部 2010 人民调解文书格式 forms like the 申请书.

Every party is an applicant (the application is joint), each with anyone acting for them; 请求事项 asks the court
to confirm the numbered agreement; 事实和理由 names the dispute, the committee, the agreement's date and its
clauses, then the Art. 33 statement (within 30 days of taking effect, jointly, of their own will, no collusion to
harm others); "此致 ××人民法院"; every party (or the guardian for one) signs, with the application's date.
"""

import datetime as dt
from dataclasses import dataclass, replace

from laopan.documents.forms.common import PERSON_HINT, FormParty, date_only, date_text, party_block
from laopan.documents.model import (
    Block, Document, Heading, KeepTogether, NumberedClauses, Paragraph, SignatureBlock, SignatureLine, Span, inline,
)

__all__ = ["ARTICLE_33", "TITLE", "JudicialApplication", "build_judicial_application"]

TITLE = "司法确认申请书"
ARTICLE_33 = (
    "申请人依照《中华人民共和国人民调解法》第三十三条的规定，自调解协议生效之日起三十日内共同向人民法院申请司法确认。"
    "申请人承诺：上述调解协议系出于解决纠纷的目的自愿达成，协议内容真实、合法，不存在恶意串通、规避法律的行为；"
    "如因该协议内容给他人造成损害的，愿意承担相应的民事责任和其他法律责任。"
)


@dataclass(frozen=True)
class JudicialApplication:
    court: str
    committee: str
    intake_no: str
    parties: tuple[FormParty, ...]  # every party of the agreement, as registered
    dispute: str  # 张三与李四邻里纠纷
    agreement_no: str
    signed_on: dt.date | None
    effective_on: dt.date | None
    clauses: tuple[str, ...]
    applied_on: dt.date | None = None  # None: a blank date to fill by hand


def build_judicial_application(application: JudicialApplication) -> Document:
    signed = date_text(application.signed_on)
    agreement = inline(Span(application.agreement_no, "协议编号"))
    blocks: list[Block] = [
        party_block(tuple(replace(party, role="申请人") for party in application.parties)),
        Heading(inline("请求事项：")),
        Paragraph(inline("请求人民法院依法确认申请人于", Span(signed, "协议.签订日期"), "经", Span(application.committee, "人民调解委员会名称"),
                         "主持调解达成的编号为", *agreement, "的人民调解协议书有效。")),
        Heading(inline("事实和理由：")),
        Paragraph(inline("申请人因", Span(application.dispute, "案由"), "，于", Span(signed, "协议.签订日期"), "经",
                         Span(application.committee, "人民调解委员会名称"), "调解，自愿达成编号为", *agreement, "的人民调解协议书，协议自",
                         Span(date_text(application.effective_on), "协议.生效日期"), "起生效。协议主要内容如下：")),
    ]
    clauses = tuple(inline(Span(text.strip(), f"协议.条款[{n}]")) for n, text in enumerate(application.clauses, 1) if text.strip())
    blocks.append(NumberedClauses(clauses) if clauses else Paragraph(inline("（详见所附人民调解协议书）")))
    blocks.append(Paragraph(inline(ARTICLE_33)))
    signers: list[SignatureLine] = []
    for index, party in enumerate(application.parties, 1):
        if party.agent_title == "法定代理人":  # a minor applies through the guardian, who signs
            signers.append(SignatureLine("法定代理人", inline(Span(party.agent_name, f"当事人[{index}].法定代理人")), PERSON_HINT))
        else:
            signers.append(SignatureLine("申请人", inline(Span(party.name, f"当事人[{index}].姓名")), PERSON_HINT))
    blocks.append(KeepTogether((
        Paragraph(inline("附：人民调解协议书一份；申请人身份证明材料各一份。"), indent=False),
        Paragraph(inline("此致")),
        Paragraph(inline(Span(application.court, "受理法院")), indent=False),
        SignatureBlock(tuple(signers), date_only(application.applied_on)),
    )))
    return Document(title=TITLE, number=inline(), blocks=tuple(blocks), subject=f"{TITLE} {application.intake_no}")
