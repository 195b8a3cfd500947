"""人民调解协议书 (人民调解法 Art. 28–29, 33; DESIGN §4 "Agreement content"): built from a case detail.

The caller passes a revealed `CaseDetail` (full ID numbers, phones, addresses: a printed agreement carries them)
and is responsible for the audit entry of the print. Whether the agreement may be printed as final (required
elements, review, numbering) is decided by the agreement services, not here: a draft without a number prints as
编号：待定稿 and an unsigned one with a blank date to fill by hand.
"""

from collections.abc import Mapping, Sequence

from laopan.clock import format_date_cn
from laopan.documents.model import (
    Block, Document, FinalOnly, Heading, Inline, KeepTogether, NumberedClauses, Paragraph, PartyBlock, PartyRow, SealBlock,
    SignatureBlock, SignatureLine, Span, chinese_numeral, inline,
)
from laopan.errors import Refused
from laopan.labels import label
from laopan.models.enums import AgentKind, AgentScope, AgreementKind, CaseMediatorRole, IdType, PartyKind, PartyRole, Sex
from laopan.services.representatives import head_title
from laopan.validation import ValidationError
from laopan.views.cases import AgentView, CaseDetail, PartyView

__all__ = [
    "EFFECTIVENESS", "JUDICIAL_CONFIRMATION", "TITLE", "agreement_document", "copies_sentence", "judicial_confirmation",
    "party_title",
]

TITLE = "人民调解协议书"
DRAFT_NUMBER = "编号：待定稿"
EFFECTIVENESS = "本协议经各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效。"
JUDICIAL_CONFIRMATION = "双方当事人认为有必要的，可以自本协议生效之日起三十日内共同向人民法院申请司法确认。"
JUDICIAL_CONFIRMATION_MANY = JUDICIAL_CONFIRMATION.replace("双方", "各方")  # three or more parties
VOID = "已作废"  # across every page of a superseded agreement: no page of it may pass for the one in force
BLANK_DATE = "　　　　年　　月　　日"
PERSON_HINT = "签名、盖章或按指印"
ORGANIZATION_HINT = "盖章"
MEDIATOR_HINT = "签名"
_ID_LABELS = {
    IdType.RESIDENT_ID.value: "身份证号", IdType.RESIDENT_ID_15.value: "身份证号", IdType.PASSPORT.value: "护照号码",
}


def role_label(party: PartyView) -> str:
    return label(PartyRole, party.role)


def party_title(party: PartyView) -> str:
    """"被申请人李四": how a clause names a party (e.g. for `money.payment_clause`)."""
    return f"{role_label(party)}{party.name}"


def copies_sentence(party_count: int) -> str:
    """本协议一式三份 for two parties: one copy each, and one kept by the committee."""
    return f"本协议一式{chinese_numeral(party_count + 1)}份，当事人各执一份，人民调解委员会留存一份。"


def judicial_confirmation(party_count: int) -> str:
    """The 30-day notice in the words of 人民调解法 Art. 33 (双方), or 各方 when there are three parties or more."""
    return JUDICIAL_CONFIRMATION if party_count <= 2 else JUDICIAL_CONFIRMATION_MANY


def agreement_document(
    detail: CaseDetail,
    committee_name: str,
    *,
    mediators: Sequence[str] | None = None,
    recorder: str | None = None,
    signed_by: Mapping[int, str] | None = None,
) -> Document:
    """The 人民调解协议书 of a case whose written agreement exists.

    Args:
        detail: The case, revealed (`case_detail(..., reveal=True)`).
        committee_name: Printed by the seal (东柳街道人民调解委员会).
        mediators: Names for the mediators' signature lines; by default the case's lead, then its assistants.
        recorder: Name for the recorder's line; by default the case's recorder, else a blank line.
        signed_by: party id → who signed for that party as recorded (a 委托代理人 with 特别授权 instead of the
            party); by default the guardian for a minor, the 法定代表人/负责人 for an organisation.

    Raises:
        Refused: the case has no agreement, or only an oral one (that one is recorded on the 口头协议登记表).
    """
    agreement = detail.agreement
    if agreement is None:
        raise Refused([ValidationError("协议", "本案尚无调解协议，不能出具协议书")])
    if agreement.kind != AgreementKind.WRITTEN.value:
        raise Refused([ValidationError("协议.类型", "口头协议应登记在人民调解口头协议登记表上，不出具协议书")])

    draft = not (agreement.finalised and agreement.number)
    rows = tuple(row for index, party in enumerate(detail.parties, 1) for row in _party_rows(index, party))
    blocks: list[Block] = []
    if agreement.superseded:
        successor = f"，由{agreement.superseded_by_number}代替" if agreement.superseded_by_number else ""
        reason = f"（{agreement.superseded_reason}）" if agreement.superseded_reason else ""
        blocks.append(Paragraph(inline(Span(f"本协议已作废{successor}{reason}。", "协议.作废")), indent=False))
    if agreement.supersedes_number:
        blocks.append(Paragraph(inline(Span(f"本协议代替{agreement.supersedes_number}协议书，原协议作废。", "协议.代替")), indent=False))
    blocks.append(PartyBlock(rows))
    blocks += _section("纠纷主要事实：", agreement.facts, "协议.纠纷主要事实")
    blocks += _section("争议事项：", agreement.matters, "协议.争议事项")
    blocks += _section("各方责任：", agreement.responsibilities, "协议.各方责任")
    blocks.append(Heading(inline("经调解，各方当事人自愿达成如下协议：")))

    clauses = tuple(
        inline(Span(text.strip(), f"协议.条款[{index}]")) for index, text in enumerate(agreement.clauses, 1) if text.strip()
    )
    if len(clauses) > 1:
        blocks.append(NumberedClauses(clauses[:-1]))
    # The last clause, the closing sentences and the signatures share a page: a signature page never stands alone.
    closing: list[Block] = [NumberedClauses(clauses[-1:], start=len(clauses))] if clauses else []
    closing.append(Paragraph(_performance(agreement), label="履行方式、地点、期限："))
    closing += [
        Paragraph(inline(EFFECTIVENESS)),
        # How many copies are signed is true of the signed paper only, not of a draft handed round to read.
        FinalOnly((Paragraph(inline(copies_sentence(len(detail.parties)))),)),
        # If the whole group is taller than a page (many parties), it splits, but never leaves the signatures alone.
        KeepTogether((
            Paragraph(inline(judicial_confirmation(len(detail.parties)))),
            _signatures(detail, committee_name, mediators, recorder, signed_by or {}, draft),
        )),
    ]
    blocks.append(KeepTogether(tuple(closing)))

    number = inline(Span(agreement.number, "协议编号")) if agreement.number and not draft else inline()
    return Document(title=TITLE, number=number, blocks=tuple(blocks), subject=f"{TITLE} {detail.intake_no}", draft=draft,
                    void=VOID if agreement.superseded else "")


def _section(heading: str, text: str, field: str) -> list[Block]:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines:
        return []
    return [Heading(inline(heading)), *(Paragraph(inline(Span(line, field))) for line in lines)]


def _party_rows(index: int, party: PartyView) -> list[PartyRow]:
    at = f"当事人[{index}]"
    if party.kind == PartyKind.ORGANIZATION.value:
        parts = [
            Span(party.name, f"{at}.名称"),
            _labelled("统一社会信用代码", party.credit_code, f"{at}.统一社会信用代码"),
            _labelled("住所", party.address, f"{at}.住所"),
            _labelled(head_title(party.org_kind, party.name), party.representative, f"{at}.{head_title(party.org_kind, party.name)}"),
            _labelled("电话", party.phone, f"{at}.电话"),
        ]
    else:
        id_label = _ID_LABELS.get(party.id_type or "", f"{label(IdType, party.id_type) or '证件'}号码")
        parts = [
            Span(party.name, f"{at}.姓名"),
            inline(Span(label(Sex, party.sex), f"{at}.性别")),
            inline(Span(party.ethnicity or "", f"{at}.民族")),
            inline(Span(format_date_cn(party.birth_date), f"{at}.出生日期"), "出生") if party.birth_date else (),
            _labelled(id_label, party.id_number, f"{at}.{id_label}"),
            _labelled("职业", party.occupation, f"{at}.职业"),
            _labelled("住址", party.address, f"{at}.住址"),
            _labelled("电话", party.phone, f"{at}.电话"),
        ]
    rows = [PartyRow(f"{role_label(party)}：", _joined(parts))]
    if party.agent is not None:
        title = agent_title(party.agent)
        rows.append(PartyRow(f"{title}：", _agent(party.agent, f"{at}.{title}")))
    return rows


def agent_title(agent: AgentView) -> str:
    return "法定代理人" if agent.kind == AgentKind.LEGAL.value else "委托代理人"


def _agent(agent: AgentView, at: str) -> Inline:
    """王某（父亲），身份证号：…，住址：…，电话：…；a 委托代理人 adds 代理权限：特别授权."""
    id_label = _ID_LABELS.get(agent.id_type or "", f"{label(IdType, agent.id_type) or '证件'}号码") if agent.id_number else ""
    name = Span(f"{agent.name}（{agent.relation}）" if agent.relation else agent.name, f"{at}.姓名")
    return _joined([
        name,
        _labelled(id_label, agent.id_number, f"{at}.{id_label}"),
        _labelled("住址", agent.address, f"{at}.住址"),
        _labelled("电话", agent.phone, f"{at}.电话"),
        _labelled("代理权限", label(AgentScope, agent.scope), f"{at}.代理权限") if agent.kind != AgentKind.LEGAL.value else (),
    ])


def _labelled(label: str, value: str | None, field: str) -> Inline:
    return inline(f"{label}：", Span(value.strip(), field)) if value and value.strip() else ()


def _joined(parts: list[Span | Inline]) -> Inline:
    """Particulars joined by "，", ending in "。"; empty parts dropped."""
    pieces = [(part,) if isinstance(part, Span) else part for part in parts]
    pieces = [piece for piece in pieces if piece and any(span.text for span in piece)]
    spans: list[Span] = []
    for number, piece in enumerate(pieces):
        if number:
            spans.append(Span("，"))
        spans.extend(piece)
    spans.append(Span("。"))
    return inline(*spans)


def performance_sentence(method: str | None) -> str:
    """"银行转账" → "以银行转账方式履行"; a method typed as a sentence ("由被申请人上门维修") is kept as typed."""
    text = (method or "").strip().rstrip("。；，")
    if not text:
        return ""
    if text.startswith(("以", "由", "通过", "按", "采取", "采用", "分期")) or text.endswith("履行"):
        return text
    return f"以{text.removesuffix('方式')}方式履行"


def _performance(agreement) -> Inline:
    parts = [
        inline(Span(performance_sentence(agreement.performance_method), "协议.履行方式"))
        if agreement.performance_method else (),
        inline("履行地点：", Span(agreement.performance_place.strip(), "协议.履行地点"))
        if agreement.performance_place else (),
        inline("于", format_date_cn(agreement.performance_deadline), "前履行完毕")
        if agreement.performance_deadline else (),
    ]
    if not any(parts):
        return inline("（待定）")
    return _joined(parts)


def _signatures(
    detail: CaseDetail, committee_name: str, mediators: Sequence[str] | None, recorder: str | None,
    signed_by: Mapping[int, str], draft: bool,
) -> SignatureBlock:
    lines: list[SignatureLine] = []
    for index, party in enumerate(detail.parties, 1):
        lines.extend(_party_signature_lines(index, party, signed_by.get(party.id)))
    if mediators is None:
        ordered = sorted(
            (m for m in detail.mediators if m.role in (CaseMediatorRole.LEAD.value, CaseMediatorRole.ASSISTANT.value)),
            key=lambda m: m.role != CaseMediatorRole.LEAD.value,
        )
        mediators = [m.name for m in ordered]
    lines += [
        SignatureLine("人民调解员", inline(Span(name, f"调解员[{index}].姓名")), MEDIATOR_HINT)
        for index, name in enumerate(mediators or [""], 1)
    ]
    if recorder is None:
        recorder = next((m.name for m in detail.mediators if m.role == CaseMediatorRole.RECORDER.value), "")
    lines.append(SignatureLine("记录人", inline(Span(recorder, "记录人.姓名")), MEDIATOR_HINT))
    signed_on = detail.agreement.signed_on if detail.agreement else None
    if draft:  # a draft carries no seal and no date: nothing on it may pass for the signed paper
        return SignatureBlock(tuple(lines), SealBlock(committee=inline(), date=inline(), hint=""))
    seal = SealBlock(
        committee=inline(Span(committee_name, "人民调解委员会名称")),
        date=inline(format_date_cn(signed_on) if signed_on else BLANK_DATE),
    )
    return SignatureBlock(tuple(lines), seal)


def _party_signature_lines(index: int, party: PartyView, signer: str | None) -> list[SignatureLine]:
    """One line per person who signs for the party: the party itself, or the guardian for a minor; an
    organisation seals on its line and its 法定代表人/负责人 (or the agent who signed) signs on the next."""
    role = role_label(party)
    at = f"当事人[{index}]"
    if party.kind == PartyKind.ORGANIZATION.value:
        lines = [SignatureLine(role, inline(Span(party.name, f"{at}.名称")), ORGANIZATION_HINT)]
        agent = party.agent
        if signer and agent is not None and signer == agent.name:
            lines.append(SignatureLine("委托代理人", inline(Span(agent.name, f"{at}.委托代理人.姓名")), MEDIATOR_HINT))
        else:
            title = head_title(party.org_kind, party.name)
            lines.append(SignatureLine(title, inline(Span(party.representative or "", f"{at}.{title}")), MEDIATOR_HINT))
        return lines
    agent = party.agent
    if agent is not None and agent.kind == AgentKind.LEGAL.value:
        # A 法定代理人 is registered because the party cannot act alone: the guardian signs for them.
        return [SignatureLine("法定代理人", inline(Span(agent.name, f"{at}.法定代理人.姓名")), PERSON_HINT)]
    if agent is not None and signer == agent.name:
        return [SignatureLine("委托代理人", inline(Span(agent.name, f"{at}.委托代理人.姓名")), PERSON_HINT)]
    return [SignatureLine(role, inline(Span(party.name, f"{at}.姓名")), PERSON_HINT)]

