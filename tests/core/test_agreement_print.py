"""The printed 人民调解协议书 as the builder makes it from a real case (issue 12 Done-when): a 12-clause agreement of
four parties — a minor with his guardian, an adult, a company with its legal representative and agent — set in
the embedded Song face, inside the margins, numbered 第 n 页 共 m 页, the clause heading never alone at a page foot;
and a superseded agreement marked 已作废 on every page, naming the one that replaced it."""

import dataclasses
import datetime as dt
import io
import re

import pdfplumber
import pytest
from pypdf import PdfReader

from laopan.inputs import ClauseSpec, Instalment
from laopan.services import agreements
from laopan.validation import _CREDIT_CHARS, _CREDIT_WEIGHTS, _id_check_char
from tests.helpers.documents import outside_margins
from tests.helpers.scenarios import DRAFT, LI_ID, ZHANG_ID, mediating_case


def _resident(first17: str) -> str:
    return first17 + _id_check_char(first17)


def _credit(first17: str) -> str:
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS))
    return first17 + _CREDIT_CHARS[(31 - total % 31) % 31]


ADDRESS = "浙江省宁波市鄞州区东柳街道安居小区12幢2单元1201室（东柳街道安居社区第三网格）"
PARTIES = [
    {"role": "applicant", "name": "王小明", "id_number": _resident("33021220130501001"), "address": ADDRESS,
     "agent": {"name": "王建华", "relation": "父亲", "kind": "legal", "id_number": _resident("33021219800101003"),
               "address": ADDRESS, "phone": "13900001111"}},
    {"role": "applicant", "name": "张伟", "id_number": ZHANG_ID, "address": ADDRESS, "phone": "13812345678"},
    {"role": "respondent", "name": "李秀英", "id_number": LI_ID, "address": ADDRESS, "phone": "0574-87654321"},
    {"role": "third_party", "kind": "organization", "name": "宁波安居物业服务有限公司", "credit_code": _credit("91330212MA2AB1C3X"),
     "org_kind": "company", "representative": "李建国", "address": "宁波市鄞州区东柳街道安居路1号", "phone": "0574-87654321",
     "agent": {"name": "赵律师", "relation": "律师", "kind": "entrusted", "scope": "special", "phone": "13700001111"}},
]
PLAN = ClauseSpec(kind="instalments", payer="被申请人李秀英", payee="申请人张伟", method="银行转账",
                  instalments=(Instalment(dt.date(2026, 12, 10), "3000.00"), Instalment(dt.date(2027, 1, 10), "3000.00"),
                               Instalment(dt.date(2027, 2, 10), "3000.00")))


def long_clause(number: int) -> ClauseSpec:
    return ClauseSpec(kind="text", text=(
        f"被申请人李秀英于2026年12月{number + 10}日前以银行转账方式向申请人张伟支付人民币壹万贰仟元整（￥12000.00），"
        "收款账户为中国农业银行宁波东柳支行6228480329876543210，联系电话13812345678、0574-87654321转8008，"
        + "款项交接与确认均按本协议约定办理，" * 2 + "逾期未付的，按日加付万分之五。"))


FOUR_PARTY_DRAFT = dataclasses.replace(DRAFT, clauses=(PLAN, *(long_clause(n) for n in range(1, 12))))
HEADING = "经调解，各方当事人自愿达成如下协议："


def pages(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [re.sub(r"\s+", "", page.extract_text() or "") for page in pdf.pages]


def render(desk, case_id, **kwargs) -> bytes:
    with desk.session() as session:
        return agreements.render_agreement(session, actor=desk.actor, case_id=case_id, fmt="pdf", **kwargs)


@pytest.fixture
def four_party(desk) -> int:
    case_id = mediating_case(desk, parties=PARTIES)
    with desk.session() as session:
        agreements.save_draft(session, actor=desk.actor, case_id=case_id, draft=FOUR_PARTY_DRAFT, expected_version=None)
        agreements.finalise(session, actor=desk.actor, case_id=case_id, expected_version=None)
    return case_id


def test_a_twelve_clause_four_party_agreement_prints_inside_the_margins_in_the_song_face(desk, four_party):
    data = render(desk, four_party)
    assert outside_margins(data) == []
    texts = pages(data)
    assert len(texts) >= 3
    for number, text in enumerate(texts, 1):
        assert text.endswith(f"第{number}页共{len(texts)}页")
    heading_page = next(index for index, text in enumerate(texts) if HEADING in text)
    assert texts[heading_page].split(HEADING, 1)[1].startswith("一、被申请人李秀英分三期")  # never alone at a page foot
    whole = "".join(texts)
    for line in ("法定代理人：王建华（父亲）", "委托代理人：赵律师（律师）", "法定代表人：李建国", "十二、", "本协议一式五份"):
        assert line in whole, line
    descriptors = [font.get_object()["/FontDescriptor"].get_object() for page in PdfReader(io.BytesIO(data)).pages
                   for font in page["/Resources"]["/Font"].values() if "LaopanSong" in str(font.get_object()["/BaseFont"])]
    assert descriptors and all("/FontFile2" in descriptor for descriptor in descriptors)  # what pdffonts calls "emb yes"


def test_a_superseded_agreement_says_void_on_every_page_and_names_its_successor(desk, four_party):
    with desk.session() as session:
        state = agreements.agreement_state(session, actor=desk.actor, case_id=four_party)
        party = next(s.party_id for s in state.signatures if s.signer_kind == "party")
        agreements.record_signature(session, actor=desk.actor, case_id=four_party, signer_kind="party", party_id=party,
                                    signed_on=dt.date(2026, 11, 27), signer_name="王建华")
        new = agreements.revise(session, actor=desk.actor, case_id=four_party, expected_version=None, reason="分期金额更正",
                                draft=dataclasses.replace(FOUR_PARTY_DRAFT, clauses=FOUR_PARTY_DRAFT.clauses[1:]))
    old = render(desk, four_party, number=state.number)
    with pdfplumber.open(io.BytesIO(old)) as pdf:
        for page in pdf.pages:
            assert "".join(char["text"] for char in page.chars if char["size"] > 60) == "已作废"
    texts = pages(old)
    assert texts[0].startswith(f"人民调解协议书{state.number}本协议已作废，由{new.number}代替（分期金额更正）。")
    current = pages(render(desk, four_party))
    assert f"本协议代替{state.number}协议书，原协议作废。" in current[0] and "已作废" not in "".join(current)
