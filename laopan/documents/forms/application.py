"""人民调解申请书 (司法部 2010 人民调解文书格式, 文书样式之一; 人民调解法 Art. 17): a party's written request.

Laid out as the model: the parties' particulars (申请人, 被申请人, 第三人, with anyone acting for them), 申请事项
(numbered), 事实和理由, "此致 ××人民调解委员会", and the applicants' signatures with a date. An applicant who
applied orally is recorded on the 受理登记表 instead; this paper is what they sign when they apply in writing.
"""

import datetime as dt
from dataclasses import dataclass

from laopan.documents.forms.common import PERSON_HINT, FormParty, date_only, party_block
from laopan.documents.model import (
    Block, Document, Heading, KeepTogether, NumberedClauses, Paragraph, SignatureBlock, SignatureLine, Span, inline,
)

__all__ = ["TITLE", "Application", "build_application"]

TITLE = "人民调解申请书"


@dataclass(frozen=True)
class Application:
    committee: str
    parties: tuple[FormParty, ...]  # every party, applicants first as registered
    matters: tuple[str, ...]  # 申请事项: the requests, one each
    facts: str  # 事实和理由
    applied_on: dt.date | None = None  # None: a blank date to fill by hand
    subject: str = ""  # the case's intake number, for the file's properties


def build_application(application: Application) -> Document:
    matters = tuple(inline(Span(text.strip(), f"申请事项[{n}]")) for n, text in enumerate(application.matters, 1) if text.strip())
    blocks: list[Block] = [party_block(application.parties), Heading(inline("申请事项："))]
    blocks.append(NumberedClauses(matters) if matters else Paragraph(inline("请求人民调解委员会依法调解。")))
    blocks.append(Heading(inline("事实和理由：")))
    blocks += [Paragraph(inline(Span(line.strip(), "事实和理由"))) for line in application.facts.splitlines() if line.strip()]
    signers: list[SignatureLine] = []
    for index, party in enumerate(application.parties, 1):
        if party.role != "申请人":
            continue
        if party.agent_title == "法定代理人":  # a minor applies through the guardian, who signs
            signers.append(SignatureLine("法定代理人", inline(Span(party.agent_name, f"当事人[{index}].法定代理人")), PERSON_HINT))
        else:
            signers.append(SignatureLine("申请人", inline(Span(party.name, f"当事人[{index}].姓名")), PERSON_HINT))
    blocks.append(KeepTogether((
        Paragraph(inline("此致")),
        Paragraph(inline(Span(application.committee, "人民调解委员会名称")), indent=False),
        SignatureBlock(tuple(signers), date_only(application.applied_on)),
    )))
    return Document(title=TITLE, number=inline(), blocks=tuple(blocks), subject=f"{TITLE} {application.subject}".strip())
