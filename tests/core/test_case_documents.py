"""The case file's standard forms (issue 14 item 1): each rendered from a real case as PDF and DOCX and read
back — the title, the parties, the fixed wording, the embedded Song face, nothing past the margins, 第 n 页 共 m 页
on every page — through the service and through `laopan doc NAME NO`, with the refusals a user meets."""

import datetime as dt
import io
import re

import pdfplumber
import pytest
from docx import Document as read_docx
from pypdf import PdfReader
from sqlalchemy import select

from laopan.errors import DomainError, PermissionDenied
from laopan.models import AuditEntry, Case
from laopan.models.enums import FeedbackResult, PerformanceStatus, Role
from laopan.services.case_documents import DOCUMENTS, render_case_document
from laopan.services.intake import register_case
from laopan.services.referrals import record_feedback, record_first_contact
from laopan.services.sessions import add_session
from laopan.validation import _CREDIT_CHARS, _CREDIT_WEIGHTS, _id_check_char
from tests.helpers.documents import assert_within_margins
from tests.helpers.scenarios import LI_ID, ZHANG_ID, register, user

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
TITLES = {
    "application": "人民调解申请书", "registration": "人民调解受理登记表", "notice": "人民调解当事人权利义务告知书",
    "record": "人民调解记录", "power": "授权委托书", "police-feedback": "警调移交反馈单", "cover": "人民调解卷宗",
}
FIXED = {
    "notice": ["选择或者接受人民调解员", "如实陈述纠纷事实", "不收取任何费用", "三十日内共同向人民法院申请司法确认"],
    "power": ["特别授权", "代为签署人民调解协议书"],
    "record": ["确认无误", STATEMENTS.splitlines()[0]],
    "cover": ["卷内目录", "文件名称", "保管期限"],
    "police-feedback": ["JQ202611200001", "东柳派出所", "调解结果"],
}


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


def render(desk, case_id, name, fmt="pdf", **kwargs) -> bytes:
    with desk.session() as session:
        return render_case_document(session, actor=desk.actor, case_id=case_id, name=name, fmt=fmt, **kwargs)


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


@pytest.mark.parametrize("name", ["application", "registration", "notice", "record", "power", "cover"])
def test_every_form_of_a_four_party_case_with_a_guardian_prints_and_reads_back(desk, name):
    case_id = four_party_case(desk)
    data = render(desk, case_id, name, **({"party": "张伟"} if name == "power" else {}))
    expected = ["张伟", *FIXED.get(name, [])]
    if name in ("application", "registration", "notice"):
        expected += ["王小明", "宁波安居物业服务有限公司", "李秀英"]
    if name in ("application", "notice"):
        expected.append("王某")  # the guardian signs for the minor
    check_pdf(data, TITLES[name], *expected)
    docx = read_docx(io.BytesIO(render(desk, case_id, name, "docx", **({"party": "张伟"} if name == "power" else {}))))
    assert docx.paragraphs[0].text == TITLES[name]


@pytest.mark.parametrize("name", ["application", "registration", "notice", "police-feedback", "cover"])
def test_the_forms_of_a_police_referred_case_print(desk, name):
    case_id = police_case(desk)
    pages = check_pdf(render(desk, case_id, name), TITLES[name], "张伟", "李秀英", *FIXED.get(name, []))
    if name == "police-feedback":
        text = "".join(pages)
        assert "调解未成" in text and "未到期" in text and "2026年11月20日15时00分" in text and "9时00分移交" in text
    if name == "cover":
        assert "警调移交反馈单" in "".join(pages)


def test_the_cover_puts_the_contents_on_a_page_of_its_own(desk):
    pages = pages_text(render(desk, four_party_case(desk), "cover"))
    assert len(pages) == 2 and "卷内目录" not in pages[0] and "卷内目录" in pages[1]
    assert "人民调解记录（第1次）" in pages[1] and "授权委托书" in pages[1]


def test_every_print_is_audited_naming_the_document(desk):
    case_id = four_party_case(desk)
    render(desk, case_id, "notice", "docx")
    with desk.session() as session:
        entry = session.execute(select(AuditEntry).where(AuditEntry.action == "document.export")).scalars().one()
    assert entry.entity_id == case_id and entry.changes == {"document": "notice", "format": "docx"}


def test_a_police_liaison_prints_the_slip_of_a_joint_case_but_no_other_case(desk):
    joint, plain = police_case(desk), register(desk)
    liaison = user(desk, "li", Role.POLICE_LIAISON, "李联络")
    with desk.session() as session:
        data = render_case_document(session, actor=liaison, case_id=joint, name="police-feedback", fmt="pdf")
        assert "警调移交反馈单" in pages_text(data)[0]
        with pytest.raises(PermissionDenied, match="只能查看公安机关移交"):
            render_case_document(session, actor=liaison, case_id=plain, name="notice", fmt="pdf")


def test_refusals_name_what_is_missing(desk):
    plain = register(desk)
    with pytest.raises(DomainError, match="不是公安机关移交"):
        render(desk, plain, "police-feedback")
    with pytest.raises(DomainError, match="尚未登记调解记录"):
        render(desk, plain, "record")
    case_id = four_party_case(desk)
    with pytest.raises(DomainError, match="“李秀英”没有委托代理人"):
        render(desk, case_id, "power", party="李秀英")


def test_every_document_name_is_a_cli_command():
    assert set(DOCUMENTS) == set(TITLES)


# --- the command line --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(TITLES))
def test_laopan_doc_name_writes_the_pdf_and_the_docx(desk, cli, tmp_path, name):
    case_id = police_case(desk) if name == "police-feedback" else four_party_case(desk)
    with desk.session() as session:
        intake_no = session.get(Case, case_id).intake_no
    extra = ["--party", "赵律师"] if name == "power" else ["--session", "1"] if name == "record" else []
    pdf, docx = tmp_path / "out.pdf", tmp_path / "out.docx"
    code, out, err = cli("doc", name, intake_no, "--pdf", str(pdf), "--docx", str(docx), *extra)
    assert code == 0, err
    assert squeeze(TITLES[name]) in pages_text(pdf.read_bytes())[0]
    assert read_docx(str(docx)).paragraphs[0].text == TITLES[name]


def test_laopan_doc_refusals(desk, cli, tmp_path):
    plain = register(desk)
    with desk.session() as session:
        intake_no = session.get(Case, plain).intake_no
    out = str(tmp_path / "x.pdf")
    code, _, err = cli("doc", "police-feedback", intake_no, "--pdf", out)
    assert code != 0 and "不是公安机关移交的案件" in err
    code, _, err = cli("doc", "record", intake_no, "--pdf", out)
    assert code != 0 and "尚未登记调解记录" in err
    code, _, err = cli("doc", "power", intake_no, "--pdf", out, "--party", "李秀英")
    assert code != 0 and "没有委托代理人" in err
    code, _, err = cli("doc", "power", intake_no, "--pdf", out)
    assert code == 0, err  # the one party with an agent: 张伟 (agent 张强) of the default case
    code, _, err = cli("doc", "notice", intake_no)
    assert code == 2 and "至少指定一个输出文件" in err
    four = four_party_case(desk)
    with desk.session() as session:
        four_no = session.get(Case, four).intake_no
    code, _, err = cli("doc", "record", four_no, "--pdf", out, "--session", "3")
    assert code == 2 and "共有1次调解记录，没有第3次" in err
