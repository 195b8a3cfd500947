"""The case file's standard forms (issue 14 item 1): each rendered from a real case as PDF and DOCX and read
back — the title, the parties, the fixed wording, the embedded Song face, nothing past the margins, 第 n 页 共 m 页
on every page — through the service and through `laopan doc NAME NO`, with the refusals a user meets."""

import io

import pytest
from docx import Document as read_docx
from sqlalchemy import select

from laopan.errors import DomainError, PermissionDenied
from laopan.models import AuditEntry, Case
from laopan.models.enums import Role
from laopan.services.case_documents import DOCUMENTS, render_case_document
from tests.helpers.document_reading import (
    STATEMENTS, check_pdf, four_party_case, pages_text, police_case, squeeze,
)
from tests.helpers.scenarios import register, user

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


def render(desk, case_id, name, fmt="pdf", **kwargs) -> bytes:
    with desk.session() as session:
        return render_case_document(session, actor=desk.actor, case_id=case_id, name=name, fmt=fmt, **kwargs)


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
    from laopan.cli.documents import HELP

    # 回访记录 and 司法确认申请书 need a settled case; tests/core/test_case_documents_after.py prints them.
    assert set(DOCUMENTS) == set(TITLES) | {"followup", "judicial"} == set(HELP)


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
