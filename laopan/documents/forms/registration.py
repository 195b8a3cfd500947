"""人民调解受理登记表 (司法部 2010 人民调解文书格式, 文书样式之二; 人民调解法 Art. 17–18): the intake register.

One ruled form: 编号, 受理日期, 纠纷来源, the parties' particulars, 纠纷类型, 纠纷简要情况, 当事人请求, 受理人 and
承办人民调解员. A case received orally is registered here; its number is the committee's intake number.
"""

import datetime as dt
from dataclasses import dataclass

from laopan.documents.forms.common import FormParty, agent_line, date_text, lines, party_line, row
from laopan.documents.model import Document, Inline, Span, Table, inline

__all__ = ["TITLE", "Registration", "build_registration"]

TITLE = "人民调解受理登记表"


@dataclass(frozen=True)
class Registration:
    committee: str
    intake_no: str
    received_on: dt.date
    source: str  # 当事人申请 / 公安机关移交 / …
    parties: tuple[FormParty, ...]
    dispute_type: str
    summary: str
    claims: tuple[str, ...]
    accepted_by: str  # 受理人
    mediators: tuple[str, ...]  # 承办人民调解员, the lead first
    accepted_on: dt.date | None = None
    level: str = ""  # 调解层级 (网格/社区/街道)


def build_registration(registration: Registration) -> Document:
    parties: list[Inline] = []
    for index, party in enumerate(registration.parties, 1):
        parties.append(party_line(index, party))
        if party.agent:
            parties.append(agent_line(index, party))
    claims = lines([inline(f"{n}. ", Span(text.strip(), f"当事人请求[{n}]"))
                    for n, text in enumerate(registration.claims, 1) if text.strip()]) or inline("　")
    rows: tuple[tuple[Inline, ...], ...] = (
        row("编号", registration.intake_no, "受理编号"),
        row("受理日期", date_text(registration.accepted_on or registration.received_on)),
        row("纠纷来源", registration.source),
        (inline("当事人\n基本情况"), lines(parties)),
        row("纠纷类型", registration.dispute_type),
        row("调解层级", registration.level),
        row("纠纷简要情况", registration.summary.strip(), "纠纷简要情况"),
        (inline("当事人请求"), claims),
        row("受理人", registration.accepted_by),
        row("承办人民调解员", "、".join(registration.mediators), "调解员.姓名"),
        row("登记日期", date_text(registration.received_on)),
    )
    table = Table(rows, header_rows=0, widths=(1.35, 4), numeric_from=99, label_columns=1, align="left")
    return Document(title=TITLE, number=inline(Span(registration.committee, "人民调解委员会名称")), blocks=(table,),
                    subject=f"{TITLE} {registration.intake_no}")
