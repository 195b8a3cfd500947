"""Case-file builders and PDF read-back shared by the case-document tests: a four-party case with a guardian, an
entrusted agent, an organisation and a third party; a police-referred case; and the checks every printed form
passes (title, text, 第 n 页 共 m 页, embedded fonts, nothing past the margins)."""

import datetime as dt
import io
import re

import pdfplumber
from pypdf import PdfReader

from laopan.models.enums import FeedbackResult, PerformanceStatus
from laopan.services.intake import register_case
from laopan.services.referrals import record_feedback, record_first_contact
from laopan.services.sessions import add_session
from laopan.validation import _CREDIT_CHARS, _CREDIT_WEIGHTS, _id_check_char
from tests.helpers.documents import assert_within_margins
from tests.helpers.scenarios import LI_ID, ZHANG_ID, register

TZ = dt.timezone(dt.timedelta(hours=8))
CHILD_ID = "33021220130501001" + _id_check_char("33021220130501001")
FATHER_ID = "33021219800101003" + _id_check_char("33021219800101003")


def _credit_code(first17: str) -> str:
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS))
    return first17 + _CREDIT_CHARS[(31 - total % 31) % 31]


ADDRESS = "宁波市鄞州区东柳街道华光城12幢2单元301室"
FOUR_PARTIES = [
    {"role": "applicant", "name": "王小明", "id_number": CHILD_ID, "address": ADDRESS,
     "agent": {"name": "王某", "relation": "父亲", "kind": "legal", "id_number": FATHER_ID, "address": ADDRESS,
               "phone": "13900001111"}},
    {"role": "applicant", "name": "张伟", "id_number": ZHANG_ID, "phone": "13812345678", "address": ADDRESS,
     "agent": {"name": "赵律师", "relation": "律师", "kind": "entrusted", "scope": "special", "phone": "13700001111"}},
    {"role": "respondent", "kind": "organization", "name": "宁波安居物业服务有限公司",
     "credit_code": _credit_code("91330212MA2AB1C3X"), "representative": "李建国", "org_kind": "company",
     "address": "宁波市鄞州区东柳街道安居路1号", "phone": "0574-87654321"},
    {"role": "third_party", "name": "李秀英", "id_number": LI_ID, "address": "宁波市鄞州区东柳街道华光城12幢2单元401室"},
]
STATEMENTS = "申请人王小明之父王某称：孩子玩耍时碰倒电动车，愿意赔偿合理损失。\n被申请人物业公司称：车棚照明不足，也有责任。"
def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pages_text(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [squeeze(page.extract_text() or "") for page in pdf.pages]


def four_party_case(desk) -> int:
    with desk.session() as session:
        case_id = register_case(session, actor=desk.actor, data={
            "source": "party_application", "dispute_type": "neighbour", "level": "grid", "community": "华光城",
            "summary": "孩子玩耍时碰倒邻居停放的电动车。", "claims": ["赔偿电动车维修费1500元。"],
            "parties": FOUR_PARTIES, "status": "mediating"}).id
        add_session(session, actor=desk.actor, case_id=case_id, held_at=dt.datetime(2026, 11, 25, 14, 30, tzinfo=TZ),
                    place="东柳街道人民调解室", mediators=["潘国强"], parties_present=["王某", "张伟", "李建国", "李秀英"],
                    participants=["赵律师"], statements=STATEMENTS, result="双方同意按维修发票金额赔偿，另行起草协议。")
    return case_id


def police_case(desk) -> int:
    case_id = register(desk, source="police_referral")
    with desk.session() as session:
        record_first_contact(session, actor=desk.actor, case_id=case_id, expected_version=None,
                             at=dt.datetime(2026, 11, 20, 15, 0, tzinfo=TZ))
        record_feedback(session, actor=desk.actor, case_id=case_id, expected_version=None, result=FeedbackResult.NOT_SETTLED,
                        content="双方分歧较大，已告知可向人民法院起诉。", performance=PerformanceStatus.NOT_DUE,
                        at=dt.datetime(2026, 11, 26, 10, 0, tzinfo=TZ))
    return case_id


def check_pdf(data: bytes, title: str, *expected: str) -> list[str]:
    pages = pages_text(data)
    text = "".join(pages)
    assert squeeze(title) in pages[0]
    for piece in expected:
        assert squeeze(piece) in text, piece
    for number, page in enumerate(pages, 1):
        assert page.endswith(f"第{number}页共{len(pages)}页"), (title, number)
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            assert "/FontFile2" in font.get_object()["/FontDescriptor"].get_object()  # embedded TrueType
    # Closing punctuation may still hang half a character in ruled-form cells (标点悬挂); text itself never crosses.
    assert_within_margins(data, hanging=7)
    return pages
