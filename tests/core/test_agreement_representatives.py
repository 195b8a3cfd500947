"""Issue 12 through the command line: a minor's guardian signs, a company's legal representative and agent print,
a change after a signature supersedes with a new number, signature dates are checked and corrected, drafts print
as drafts, oral agreements print their register."""

import io
import json

import pdfplumber
import pytest
from sqlalchemy import select

from laopan.models import AuditEntry
from laopan.storage import session_scope
from laopan.validation import _CREDIT_CHARS, _CREDIT_WEIGHTS, _id_check_char
from tests.helpers.databases import engine_for

CHILD_ID17 = "33021220130501001"
FATHER_ID17 = "33021219800101003"
CHILD_ID = CHILD_ID17 + _id_check_char(CHILD_ID17)
FATHER_ID = FATHER_ID17 + _id_check_char(FATHER_ID17)
def _credit_code(first17: str) -> str:
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS))
    return first17 + _CREDIT_CHARS[(31 - total % 31) % 31]


COMPANY_CODE = _credit_code("91330212MA2AB1C3X")
ADDRESS = "宁波市鄞州区东柳街道华光城12幢2单元301室"


def case_file(tmp_path, parties, status="mediating", agreement=None) -> str:
    case = {"source": "party_application", "dispute_type": "neighbour", "level": "grid", "community": "华光城",
            "summary": "孩子玩耍时损坏邻居家电动车。", "parties": parties, "status": status}
    if agreement:
        case["agreement"] = agreement
    path = tmp_path / "case.json"
    path.write_text(json.dumps({"format": "laopan.case/1", "cases": [case]}, ensure_ascii=False), encoding="utf-8")
    return str(path)


MINOR = {"role": "applicant", "name": "王小明", "id_number": CHILD_ID, "address": ADDRESS,
         "agent": {"name": "王某", "relation": "父亲", "id_number": FATHER_ID, "address": ADDRESS, "phone": "13900001111"}}
COMPANY = {"role": "respondent", "kind": "organization", "name": "宁波安居物业服务有限公司", "credit_code": COMPANY_CODE,
           "representative": "李建国", "org_kind": "company", "address": "宁波市鄞州区东柳街道安居路1号", "phone": "0574-87654321",
           "agent": {"name": "赵律师", "relation": "律师", "kind": "entrusted", "scope": "special", "phone": "13700001111"}}
DRAFT = {"facts": "2026年11月王小明玩耍时碰倒电动车。", "matters": "赔偿数额。",
         "clauses": [{"payer": "被申请人宁波安居物业服务有限公司", "payee": "申请人王小明", "amount": "1500.00",
                      "deadline": "2026-12-20", "method": "银行转账"}],
         "performance": {"method": "银行转账", "place": "东柳街道人民调解委员会", "deadline": "2026-12-20"}}


def draft_file(tmp_path, **changes) -> str:
    path = tmp_path / f"draft{len(list(tmp_path.iterdir()))}.json"
    path.write_text(json.dumps(DRAFT | changes, ensure_ascii=False), encoding="utf-8")
    return str(path)


def pdf_text(path) -> list[str]:
    with pdfplumber.open(io.BytesIO(path.read_bytes())) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


@pytest.fixture
def signed_case(cli, tmp_path) -> str:
    """The minor 王小明 (father 王某) against a company with a legal representative and a specially authorised agent;
    the agreement finalised (第001号)."""
    code, out, err = cli("case", "import", case_file(tmp_path, [MINOR, COMPANY]))
    assert code == 0, err
    assert "按法定代理人登记" in err  # an agent without kind, of a minor: read as 法定代理人, with a warning
    assert cli("agreement", "draft", "DL2026-00001", "--file", draft_file(tmp_path))[0] == 0
    code, out, err = cli("agreement", "finalise", "DL2026-00001")
    assert code == 0, err
    assert out.strip() == "（2026）东柳人调字第001号"
    return "DL2026-00001"


def test_the_guardian_signs_for_the_minor_and_the_pdf_names_every_representative(cli, signed_case, tmp_path):
    code, _, err = cli("agreement", "sign", signed_case, "--party", "王小明", "--on", "2026-11-27")
    assert code == 2 and "王小明须由法定代理人王某代为签署" in err
    code, out, err = cli("agreement", "sign", signed_case, "--party", "王某", "--on", "2026-11-27")
    assert code == 0, err
    assert "王小明：signed 2026-11-27（由王某代为签署）" in out
    assert cli("agreement", "sign", signed_case, "--party", "李建国", "--on", "2026-11-27")[0] == 0

    pdf = tmp_path / "a.pdf"
    assert cli("doc", "agreement", signed_case, "--pdf", str(pdf))[0] == 0
    text = "".join(pdf_text(pdf)).replace(" ", "").replace("\n", "")
    assert f"法定代理人：王某（父亲），身份证号：{FATHER_ID}，住址：{ADDRESS}" in text
    assert "法定代表人：李建国" in text
    assert "委托代理人：赵律师（律师），电话：13700001111，代理权限：特别授权。" in text
    # A slot for each signer: the guardian for the child, the company's seal and its legal representative.
    signing = text[text.rindex("司法确认"):]  # the signature block, after the 30-day notice
    assert "法定代理人：王某" in signing and "申请人：王小明" not in signing  # the guardian signs, not the child
    assert "宁波安居物业服务有" in signing and "（盖章）" in signing and "法定代表人：李建国" in signing
    assert signing.count("（签名") >= 4  # guardian, legal representative, mediator, recorder


def test_a_minor_without_a_guardian_and_an_agent_without_special_authority_are_refused(cli, tmp_path):
    minor = dict(MINOR, agent={"name": "王某", "relation": "邻居", "kind": "entrusted", "scope": "general"})
    adult = {"role": "respondent", "name": "李秀英", "id_number": FATHER_ID, "address": ADDRESS,
             "agent": {"name": "钱律师", "kind": "entrusted", "scope": "general"}}
    assert cli("case", "import", case_file(tmp_path, [minor, adult]))[0] == 0
    draft = dict(DRAFT, clauses=["被申请人于2026年12月20日前向申请人支付人民币壹仟伍佰元整（￥1500.00）。"])
    assert cli("agreement", "draft", "DL2026-00001", "--file", draft_file(tmp_path, **draft))[0] == 0
    code, _, err = cli("agreement", "check", "DL2026-00001")
    assert code == 1
    assert "当事人[1] 王小明.法定代理人: 未成年人须有法定代理人代为签署（现登记的“王某”是委托代理人）" in err


def test_a_revision_after_a_signature_takes_a_new_number_and_the_old_one_is_void(cli, signed_case, tmp_path):
    assert cli("agreement", "sign", signed_case, "--party", "王某", "--on", "2026-11-27")[0] == 0
    revised = dict(DRAFT, clauses=[dict(DRAFT["clauses"][0], amount="1800.00")])
    code, out, err = cli("agreement", "revise", signed_case, "--file", draft_file(tmp_path, **revised), "--reason", "赔偿数额更正为1800元")
    assert code == 0, err
    assert out.startswith("编号：（2026）东柳人调字第002号") and "代替：（2026）东柳人调字第001号（已作废）" in out
    code, out, _ = cli("agreement", "show", "（2026）东柳人调字第001号")
    assert code == 0
    assert out.startswith("已作废：赔偿数额更正为1800元；现行协议为 （2026）东柳人调字第002号")
    assert "本案协议：（2026）东柳人调字第001号（已作废）；（2026）东柳人调字第002号（现行）" in out
    old = tmp_path / "old.pdf"
    assert cli("doc", "agreement", "（2026）东柳人调字第001号", "--pdf", str(old))[0] == 0
    assert "本协议已作废，由（2026）东柳人调字第002号代替" in "".join(pdf_text(old)).replace("\n", "")


def test_signature_dates_are_checked_and_a_supervisor_corrects_one_with_a_reason(cli, signed_case, db_url, clock):
    code, _, err = cli("agreement", "sign", signed_case, "--mediator", "--on", "2026-11-01")
    assert code == 2 and "早于案件受理日期 2026-11-27" in err
    code, _, err = cli("agreement", "sign", signed_case, "--mediator", "--on", "2026-11-28")
    assert code == 2 and "晚于今天" in err
    for who in (("--party", "王某"), ("--party", "李建国"), ("--mediator",), ("--seal",)):
        assert cli("agreement", "sign", signed_case, *who, "--on", "2026-11-27")[0] == 0
    code, out, _ = cli("agreement", "show", signed_case)
    assert "生效日期：2026-11-27  司法确认申请期限：2026-12-27" in out
    code, _, err = cli("agreement", "sign", signed_case, "--seal", "--on", "2026-11-27")
    assert code == 2 and "--correct" in err
    code, _, err = cli("agreement", "sign", signed_case, "--party", "王某", "--on", "2026-11-27", "--correct")
    assert code == 2 and "须写明原因" in err
    clock.advance(days=3)
    assert cli("agreement", "sign", signed_case, "--seal", "--on", "2026-11-29")[0] == 2  # already recorded
    code, out, err = cli("agreement", "sign", signed_case, "--seal", "--on", "2026-11-29", "--correct", "--reason", "盖章日期录错")
    assert code == 0, err
    assert "生效日期：2026-11-29  司法确认申请期限：2026-12-29" in out
    engine = engine_for(db_url)
    with session_scope(engine) as session:
        entry = session.execute(select(AuditEntry).where(AuditEntry.action == "agreement.sign_correct")).scalar_one()
    engine.dispose()
    assert entry.note == "盖章日期录错"


def test_drafts_print_as_drafts_and_a_final_print_lists_the_errors(cli, tmp_path):
    assert cli("case", "import", case_file(tmp_path, [MINOR, COMPANY]))[0] == 0
    draft = dict(DRAFT, clauses=["被申请人赔偿申请人人民币陆仟伍佰元整（￥6000.00）。", "被申请人另付500元。"])
    assert cli("agreement", "draft", "DL2026-00001", "--file", draft_file(tmp_path, **draft))[0] == 0
    pdf = tmp_path / "draft.pdf"
    assert cli("doc", "agreement", "DL2026-00001", "--pdf", str(pdf))[0] == 0
    text = "".join(pdf_text(pdf))
    assert "人调字" not in text and "待定稿" not in text
    code, _, err = cli("doc", "agreement", "DL2026-00001", "--pdf", str(pdf), "--final")
    assert code == 2
    assert "尚未定稿编号" in err and "陆仟伍佰元整" in err and "小写金额“500元”缺少大写金额" in err


def test_an_oral_case_prints_its_register_and_no_written_agreement(cli, tmp_path, db_url):
    adult = {"role": "applicant", "name": "张伟", "id_number": FATHER_ID, "address": ADDRESS}
    other = {"role": "respondent", "name": "李秀英", "address": ADDRESS, "phone": "13712345678"}
    assert cli("case", "import", case_file(tmp_path, [adult, other]))[0] == 0
    oral = {"kind": "oral", "facts": "邻里噪音。", "clauses": ["李秀英晚上十点后不再装修。"]}
    assert cli("agreement", "draft", "DL2026-00001", "--file", draft_file(tmp_path, **oral))[0] == 0
    code, out, err = cli("agreement", "oral", "DL2026-00001", "--confirmed-by", "张伟,李秀英", "--on", "2026-11-27")
    assert code == 0, err
    assert out.startswith("编号：（2026）东柳口调字第001号")
    pdf, docx = tmp_path / "oral.pdf", tmp_path / "oral.docx"
    assert cli("doc", "oral", "DL2026-00001", "--pdf", str(pdf), "--docx", str(docx))[0] == 0
    text = "".join(pdf_text(pdf))
    assert "人民调解口头协议登记表" in text and "（2026）东柳口调字第001号" in text and "人调字" not in text
    assert docx.stat().st_size > 0
    code, _, err = cli("doc", "agreement", "DL2026-00001", "--pdf", str(tmp_path / "w.pdf"))
    assert code == 2 and "口头协议登记表" in err
    engine = engine_for(db_url)
    with session_scope(engine) as session:
        actions = set(session.execute(select(AuditEntry.action)).scalars())
    engine.dispose()
    assert {"agreement.oral_confirm", "agreement.oral_print"} <= actions
