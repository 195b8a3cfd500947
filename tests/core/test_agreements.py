"""The 人民调解协议书 through its services: draft, statutory check, review, number, sign, revise, render."""

import datetime as dt
import io
import json

import pdfplumber
import pytest
from docx import Document as DocxDocument
from sqlalchemy import select

from laopan.cli.main import main as cli
from laopan.errors import DomainError, PermissionDenied, Refused, ValidationError
from laopan.models import AuditEntry
from laopan.models.enums import Role
from laopan.services import agreements
from laopan.services.actor import Actor
from laopan.inputs import AgreementDraft, ClauseSpec
from laopan.services.intake import import_cases
from tests.helpers import FIXTURES
from tests.helpers.scenarios import DRAFT, junior_led_draft, mediating_case

def test_a_payment_clause_is_generated_with_the_uppercase_amount(desk):
    case_id = mediating_case(desk)
    with desk.session() as session:
        state = agreements.save_draft(session, actor=desk.actor, case_id=case_id, draft=DRAFT, expected_version=None)
        from laopan.services.cases import case_detail

        clauses = case_detail(session, actor=desk.actor, case_id=case_id).agreement.clauses
    assert clauses[0] == "被申请人李秀英于2026年12月10日前以银行转账方式一次性向申请人张伟支付人民币捌仟元整（￥8000.00）。"
    assert state.clause_specs[0].amount == "8000.00" and not state.finalised and state.copies == 3


def test_the_statutory_check_names_every_missing_element(desk):
    case_id = mediating_case(desk, parties=[{"role": "applicant", "name": "张伟"}, {"role": "respondent", "name": "李秀英", "phone": "13712345678"}])
    with desk.session() as session:
        agreements.save_draft(session, actor=desk.actor, case_id=case_id, expected_version=None, draft=AgreementDraft(
            clauses=(ClauseSpec(kind="text", text="被申请人赔偿申请人人民币陆仟伍佰元整（￥6000.00），须抚养子女。"),)))
        check = agreements.check_agreement(session, actor=desk.actor, case_id=case_id)
    assert [str(e) for e in check.errors] == [
        "当事人[1] 张伟: 缺少身份证件号码",
        "当事人[1] 张伟: 缺少住址或联系电话",
        "当事人[2] 李秀英: 缺少身份证件号码",
        "纠纷主要事实: 不能为空",
        "争议事项: 不能为空",
        "履行方式: 不能为空",
        "履行期限: 不能为空",
        "协议条款[1]: 大写金额“人民币陆仟伍佰元整”（6500.00元）与小写金额“￥6000.00”不一致，6000.00元应写作“人民币陆仟元整”",
    ]
    assert "各方责任: 建议写明各方应承担的责任" in check.warnings
    assert any(w.startswith("用词“抚养”") for w in check.warnings)
    assert any(w.startswith("用词“赔偿”") for w in check.warnings)
    with desk.session() as session, pytest.raises(Refused) as refused:
        agreements.finalise(session, actor=desk.actor, case_id=case_id, expected_version=None)
    assert len(refused.value.errors) == 8


def test_finalising_numbers_gaplessly_and_moves_past_imported_numbers(desk):
    document = json.loads((FIXTURES / "interchange" / "full.json").read_text(encoding="utf-8"))
    with desk.session() as session:
        import_cases(session, actor=desk.actor, document=document)  # brings （2026）东柳人调字第087号
    numbers = []
    for _ in range(2):
        case_id = mediating_case(desk)
        with desk.session() as session:
            agreements.save_draft(session, actor=desk.actor, case_id=case_id, draft=DRAFT, expected_version=None)
            numbers.append(agreements.finalise(session, actor=desk.actor, case_id=case_id, expected_version=None).number)
    assert numbers == ["（2026）东柳人调字第088号", "（2026）东柳人调字第089号"]
    with desk.session() as session, pytest.raises(DomainError, match="协议已定稿（（2026）东柳人调字第089号），只读"):
        agreements.save_draft(session, actor=desk.actor, case_id=case_id, draft=DRAFT, expected_version=None)


def test_a_junior_led_agreement_needs_the_seniors_review(desk):
    case_id = mediating_case(desk)
    senior = junior_led_draft(desk, case_id)["潘明杰"]
    with desk.session() as session, pytest.raises(DomainError, match="须经结对老潘或主任审核"):
        agreements.finalise(session, actor=desk.actor, case_id=case_id, expected_version=None)
    stranger = Actor(login="wang", role=Role.MEDIATOR, committee_id=desk.committee_id, mediator_id=None, clock=desk.actor.clock)
    with desk.session() as session, pytest.raises(PermissionDenied, match="结对的老潘|调解员只能查看本人"):
        agreements.review(session, actor=stranger, case_id=case_id, expected_version=None)
    mentor = Actor(login="pan", role=Role.MEDIATOR, committee_id=desk.committee_id, mediator_id=senior, clock=desk.actor.clock)
    with desk.session() as session:
        reviewed = agreements.review(session, actor=mentor, case_id=case_id, expected_version=None, note="条款清楚，可以定稿")
        finalised = agreements.finalise(session, actor=desk.actor, case_id=case_id, expected_version=None)
    assert reviewed.needs_review and reviewed.reviewed
    assert finalised.number == "（2026）东柳人调字第001号"


def test_the_agreement_takes_effect_when_every_party_the_mediator_and_the_seal_have_signed(desk, clock):
    case_id = mediating_case(desk)
    today, tomorrow = dt.date(2026, 11, 27), dt.date(2026, 11, 28)
    with desk.session() as session:
        agreements.save_draft(session, actor=desk.actor, case_id=case_id, draft=DRAFT, expected_version=None)
        with pytest.raises(DomainError, match="定稿编号后才能签署"):
            agreements.record_signature(session, actor=desk.actor, case_id=case_id, signer_kind="mediator", signed_on=today)
    sign = agreements.record_signature
    with desk.session() as session:
        state = agreements.finalise(session, actor=desk.actor, case_id=case_id, expected_version=None)
        applicant, respondent = (s.party_id for s in state.signatures if s.signer_kind == "party")
        with pytest.raises(ValidationError, match="签署日期: 晚于今天"):
            sign(session, actor=desk.actor, case_id=case_id, signer_kind="mediator", signed_on=tomorrow)
        sign(session, actor=desk.actor, case_id=case_id, signer_kind="party", party_id=applicant, method="fingerprinted", signed_on=today)
        sign(session, actor=desk.actor, case_id=case_id, signer_kind="mediator", signed_on=today)
    clock.advance(days=1)
    with desk.session() as session:
        state = sign(session, actor=desk.actor, case_id=case_id, signer_kind="seal", signed_on=tomorrow)
        assert state.effective_on is None  # the respondent has not signed yet
        sign(session, actor=desk.actor, case_id=case_id, signer_kind="recorder", signed_on=tomorrow)
        assert agreements.agreement_state(session, actor=desk.actor, case_id=case_id).effective_on is None  # the recorder is not required
        state = sign(session, actor=desk.actor, case_id=case_id, signer_kind="party", party_id=respondent, method="signed", signed_on=tomorrow)
    assert state.effective_on == tomorrow
    assert state.judicial_confirmation_until == dt.date(2026, 12, 28)


def test_a_correction_is_a_new_revision_that_keeps_the_number(desk):
    case_id = mediating_case(desk)
    with desk.session() as session:
        agreements.save_draft(session, actor=desk.actor, case_id=case_id, draft=DRAFT, expected_version=None)
        number = agreements.finalise(session, actor=desk.actor, case_id=case_id, expected_version=None).number
        corrected = AgreementDraft(**{**DRAFT.__dict__, "facts": "2026年9月10日起楼上卫生间漏水，致楼下吊顶受损。"})
        state = agreements.revise(session, actor=desk.actor, case_id=case_id, expected_version=None, draft=corrected, reason="事实日期笔误")
        actions = session.execute(select(AuditEntry.action).where(AuditEntry.entity_id == case_id)).scalars().all()
    assert (state.number, state.revision, state.finalised) == (number, 2, True)
    assert "agreement.revise" in actions


def test_a_scan_of_the_signed_copy_is_kept_in_the_database(desk):
    case_id = mediating_case(desk)
    with desk.session() as session:
        agreements.save_draft(session, actor=desk.actor, case_id=case_id, draft=DRAFT, expected_version=None)
        agreements.attach_scan(session, actor=desk.actor, case_id=case_id, filename="签署件.pdf", data=b"%PDF-1.7 scan", mime="application/pdf")
        assert agreements.latest_scan(session, actor=desk.actor, case_id=case_id) == ("签署件.pdf", "application/pdf", b"%PDF-1.7 scan")
    with desk.session() as session, pytest.raises(ValidationError, match="只接受 PDF、PNG、JPEG 或 TIFF"):
        agreements.attach_scan(session, actor=desk.actor, case_id=case_id, filename="x.exe", data=b"MZ", mime="application/x-msdownload")
    with desk.session() as session, pytest.raises(ValidationError, match="只接受 PDF、PNG、JPEG 或 TIFF"):
        agreements.attach_scan(session, actor=desk.actor, case_id=case_id, filename="renamed.pdf", data=b"MZ\x90", mime="application/pdf")


def test_rendering_is_audited_and_carries_the_number_the_parties_and_the_clauses(desk):
    case_id = mediating_case(desk)
    with desk.session() as session:
        agreements.save_draft(session, actor=desk.actor, case_id=case_id, draft=DRAFT, expected_version=None)
        number = agreements.finalise(session, actor=desk.actor, case_id=case_id, expected_version=None).number
        pdf = agreements.render_agreement(session, actor=desk.actor, case_id=case_id, fmt="pdf", purpose="print")
        docx = agreements.render_agreement(session, actor=desk.actor, case_id=case_id, fmt="docx")
        actions = session.execute(select(AuditEntry.action).where(AuditEntry.entity_id == case_id)).scalars().all()
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = "".join(page.extract_text() for page in document.pages).replace("\n", "")
    for expected in (number, "张伟", "李秀英", "人民币捌仟元整（￥8000.00）", "本协议一式三份", "三十日内"):
        assert expected in text, expected
    word = "".join(p.text for p in DocxDocument(io.BytesIO(docx)).paragraphs)
    assert number in word and "本协议一式三份" in word
    assert {"agreement.print", "agreement.export"} <= set(actions)


def test_the_cli_finalises_signs_and_writes_both_documents(desk, clock, tmp_path, capsys):
    case_id = mediating_case(desk)
    draft = {"facts": "漏水致吊顶受损。", "matters": "赔偿数额。", "responsibilities": "被申请人负主要责任。",
             "clauses": [{"payer": "被申请人李秀英", "payee": "申请人张伟", "amount": "8000.00", "deadline": "2026-12-10", "method": "银行转账"}],
             "performance": {"method": "银行转账", "place": "东柳街道人民调解委员会", "deadline": "2026-12-10"}}
    (tmp_path / "draft.json").write_text(json.dumps(draft, ensure_ascii=False), encoding="utf-8")
    common = ["--database", str(desk.engine.url), "--as", "admin"]
    assert cli(["agreement", "draft", "DL2026-00001", "--file", str(tmp_path / "draft.json"), *common], clock=clock) == 0
    assert cli(["agreement", "check", "DL2026-00001", *common], clock=clock) == 0
    capsys.readouterr()
    assert cli(["agreement", "finalise", "DL2026-00001", *common], clock=clock) == 0
    assert capsys.readouterr().out.strip() == "（2026）东柳人调字第001号"
    assert cli(["agreement", "sign", "DL2026-00001", "--party", "张伟", "--method", "fingerprinted", "--on", "2026-11-27", *common], clock=clock) == 0
    assert cli(["doc", "agreement", "DL2026-00001", "--pdf", str(tmp_path / "a.pdf"), "--docx", str(tmp_path / "a.docx"), *common], clock=clock) == 0
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF") and (tmp_path / "a.docx").stat().st_size > 5000
    assert case_id


def test_awaiting_review_lists_junior_led_drafts_for_the_paired_senior_and_supervisors(desk):
    case_id = mediating_case(desk)
    mediators = junior_led_draft(desk, case_id, also=("王老师",))
    senior, other = mediators["潘明杰"], mediators["王老师"]
    mentor = Actor(login="pan", role=Role.MEDIATOR, committee_id=desk.committee_id, mediator_id=senior, clock=desk.actor.clock)
    outsider = Actor(login="wang", role=Role.MEDIATOR, committee_id=desk.committee_id, mediator_id=other, clock=desk.actor.clock)
    with desk.reading() as session:
        assert [(i.case_id, i.junior) for i in agreements.awaiting_review(session, actor=mentor)] == [(case_id, "潘小")]
        assert [i.case_id for i in agreements.awaiting_review(session, actor=desk.actor)] == [case_id]
        assert agreements.awaiting_review(session, actor=outsider) == []
    with desk.session() as session:
        agreements.review(session, actor=mentor, case_id=case_id, expected_version=None)
        assert agreements.awaiting_review(session, actor=mentor) == []


def test_the_case_history_tells_what_happened_to_the_agreement_in_chinese(desk):
    from laopan.services.timeline import case_timeline

    case_id = mediating_case(desk)
    with desk.session() as session:
        agreements.save_draft(session, actor=desk.actor, case_id=case_id, draft=DRAFT, expected_version=None)
        number = agreements.finalise(session, actor=desk.actor, case_id=case_id, expected_version=None).number
        agreements.render_agreement(session, actor=desk.actor, case_id=case_id, fmt="pdf", purpose="print")
        agreements.render_agreement(session, actor=desk.actor, case_id=case_id, fmt="docx", purpose="export")
        with pytest.raises(ValueError):
            agreements.render_agreement(session, actor=desk.actor, case_id=case_id, fmt="pdf", purpose="anything")
        lines = [entry.description for entry in case_timeline(session, actor=desk.actor, case_id=case_id)]
    for expected in ("起草协议", f"协议定稿编号：{number}", f"打印协议书 {number}", f"导出协议书（DOCX）{number}"):
        assert expected in lines, expected
    assert not any(line.startswith("agreement.") for line in lines)
