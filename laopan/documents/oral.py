"""人民调解口头协议登记表 (人民调解法 Art. 28): a minimal content builder so the service and the CLI work; the
document helper ("agrdoc") replaces it with the full register form. Same signature: a revealed `CaseDetail`
whose agreement is oral, and the committee's name.
"""

from laopan.clock import format_date_cn
from laopan.documents.model import Document, Heading, NumberedClauses, Paragraph, PartyBlock, PartyRow, Span, inline
from laopan.errors import Refused
from laopan.labels import label
from laopan.models.enums import AgreementKind, PartyRole
from laopan.validation import ValidationError
from laopan.views.cases import CaseDetail

TITLE = "人民调解口头协议登记表"


def build_oral_register(detail: CaseDetail, committee_name: str) -> Document:
    agreement = detail.agreement
    if agreement is None or agreement.kind != AgreementKind.ORAL.value:
        raise Refused([ValidationError("协议.类型", "本案没有口头协议，不能出具口头协议登记表")])
    rows = tuple(PartyRow(f"{label(PartyRole, party.role)}：", inline(Span(party.name, f"当事人[{index}].姓名")))
                 for index, party in enumerate(detail.parties, 1))
    clauses = tuple(inline(Span(text, f"协议.条款[{index}]")) for index, text in enumerate(agreement.clauses, 1) if text.strip())
    confirmed = "、".join(agreement.confirmed_by)
    blocks = [
        PartyBlock(rows),
        Heading(inline("纠纷简要情况：")), Paragraph(inline(Span(agreement.facts or "", "协议.纠纷主要事实"))),
        Heading(inline("口头协议内容：")), NumberedClauses(clauses) if clauses else Paragraph(inline("（无）")),
        Paragraph(inline(Span(confirmed, "协议.确认人"), "确认", format_date_cn(agreement.confirmed_on) if agreement.confirmed_on else ""),
                  label="当事人确认："),
        Paragraph(inline(Span(committee_name, "人民调解委员会名称")), label="登记单位："),
    ]
    number = inline(Span(agreement.oral_register_no, "登记编号")) if agreement.oral_register_no else inline()
    return Document(title=TITLE, number=number, blocks=tuple(blocks), subject=f"{TITLE} {detail.intake_no}",
                    draft=not agreement.finalised)
