"""Issue 12, one rule per test: who may sign for a party (an entrusted agent with 特别授权 or not, a self-supporting
17-year-old), what the check refuses (a payer who is not a party, a payment due before signing, an amount only in
words), the performance method printed as a sentence, a correction after finalising sending the text back for
review, and imported agreements numbered in the order they were signed."""

import dataclasses
import datetime as dt
import io
import json

import pdfplumber
import pytest
from sqlalchemy import select

from laopan.errors import ValidationError
from laopan.inputs import ClauseSpec
from laopan.models import Agreement
from laopan.models.enums import Role
from laopan.services import agreements
from laopan.services.actor import Actor
from laopan.services.intake import import_cases
from laopan.validation import _id_check_char
from tests.helpers.scenarios import DRAFT, LI_ADDRESS, LI_ID, PARTIES, ZHANG_ADDRESS, junior_led_draft, mediating_case

TODAY = dt.date(2026, 11, 27)
TEEN_ID17 = "33021220090601001"  # born 2009-06-01: 17 on the signing day
TEEN_ID = TEEN_ID17 + _id_check_char(TEEN_ID17)
ZHANG, LI = PARTIES


def finalised(desk, parties, draft=DRAFT) -> tuple[int, dict[str, int]]:
    """A case with these parties whose agreement is drafted and numbered; returns its id and party ids by name."""
    case_id = mediating_case(desk, parties=parties)
    with desk.session() as session:
        agreements.save_draft(session, actor=desk.actor, case_id=case_id, draft=draft, expected_version=None)
        state = agreements.finalise(session, actor=desk.actor, case_id=case_id, expected_version=None)
    return case_id, {s.label: s.party_id for s in state.signatures if s.signer_kind == "party"}


def sign(desk, case_id, party_id, signer_name):
    with desk.session() as session:
        return agreements.record_signature(session, actor=desk.actor, case_id=case_id, signer_kind="party", party_id=party_id,
                                           signed_on=TODAY, signer_name=signer_name)


def errors_of(desk, draft, parties=PARTIES) -> list[str]:
    case_id = mediating_case(desk, parties=parties)
    with desk.session() as session:
        agreements.save_draft(session, actor=desk.actor, case_id=case_id, draft=draft, expected_version=None)
        return [str(e) for e in agreements.check_agreement(session, actor=desk.actor, case_id=case_id).errors]


def with_agent(scope: str) -> dict:
    return dict(ZHANG, agent={"name": "钱律师", "kind": "entrusted", "scope": scope, "phone": "13700001111"})


def test_an_entrusted_agent_with_special_authority_signs_for_the_party(desk):
    case_id, ids = finalised(desk, [with_agent("special"), LI])
    state = sign(desk, case_id, ids["张伟"], "钱律师")
    (line,) = [s for s in state.signatures if s.party_id == ids["张伟"]]
    assert line.signed_on == TODAY and line.signer_name == "钱律师"


def test_an_entrusted_agent_with_general_authority_may_not_sign(desk):
    case_id, ids = finalised(desk, [with_agent("general"), LI])
    with pytest.raises(ValidationError, match="钱律师是张伟的委托代理人（一般授权），代为签署协议须有特别授权"):
        sign(desk, case_id, ids["张伟"], "钱律师")
    assert sign(desk, case_id, ids["张伟"], "张伟").signatures[0].signed_on == TODAY  # the party signs in person


def test_a_self_supporting_seventeen_year_old_signs_himself(desk):
    teen = {"role": "applicant", "name": "张小伟", "id_number": TEEN_ID, "address": ZHANG_ADDRESS, "capacity": "self_supporting"}
    draft = dataclasses.replace(DRAFT, clauses=(dataclasses.replace(DRAFT.clauses[0], payee="申请人张小伟"),))
    case_id, ids = finalised(desk, [teen, LI], draft)  # no 法定代理人 needed: finalising passed the check
    state = sign(desk, case_id, ids["张小伟"], "张小伟")
    assert [s.signer_name for s in state.signatures if s.party_id == ids["张小伟"]] == [None]  # signed in person
    child = dict(teen, capacity=None)  # the same boy not recorded as self-supporting needs his guardian
    assert "当事人[1] 张小伟.法定代理人: 未成年人须有法定代理人代为签署" in errors_of(desk, draft, [child, LI])


def test_a_payer_or_payee_who_is_not_a_party_is_refused(desk):
    clause = dataclasses.replace(DRAFT.clauses[0], payer="王五", payee="东柳街道人民调解委员会")
    assert errors_of(desk, dataclasses.replace(DRAFT, clauses=(clause,))) == [
        "协议条款[1].付款人: “王五”不是本案当事人（押金可由人民调解委员会收付）"]  # the committee may hold a deposit


def test_a_payment_due_before_signing_is_refused(desk):
    clause = dataclasses.replace(DRAFT.clauses[0], deadline=dt.date(2026, 11, 26))
    assert errors_of(desk, dataclasses.replace(DRAFT, clauses=(clause,))) == [
        "协议条款[1].期限: 履行期限 2026-11-26 早于协议签署日期 2026-11-27"]


def test_an_amount_only_in_words_is_refused(desk):
    clause = ClauseSpec(kind="text", text="被申请人于2026年12月10日前向申请人支付人民币捌仟元整。")
    assert errors_of(desk, dataclasses.replace(DRAFT, clauses=(clause,))) == [
        "协议条款[1]: 大写金额“人民币捌仟元整”缺少小写金额（如“（￥8000.00）”）"]


def test_the_performance_method_prints_as_a_sentence(desk):
    case_id, _ = finalised(desk, PARTIES)
    with desk.session() as session:
        data = agreements.render_agreement(session, actor=desk.actor, case_id=case_id, fmt="pdf")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = "".join((page.extract_text() or "") for page in pdf.pages).replace("\n", "")
    assert "履行方式、地点、期限：以银行转账方式履行，履行地点：东柳街道人民调解委员会，于2026年12月10日前履行完毕。" in text


def test_a_correction_after_finalising_goes_back_for_review(desk):
    case_id = mediating_case(desk)
    senior = junior_led_draft(desk, case_id)["潘明杰"]
    mentor = Actor(login="pan", role=Role.MEDIATOR, committee_id=desk.committee_id, mediator_id=senior, clock=desk.actor.clock)
    corrected = dataclasses.replace(DRAFT, facts="2026年9月10日起楼上卫生间漏水，致楼下吊顶受损。")
    with desk.session() as session:
        agreements.review(session, actor=mentor, case_id=case_id, expected_version=None, note="可以定稿")
        agreements.finalise(session, actor=desk.actor, case_id=case_id, expected_version=None)
        state = agreements.revise(session, actor=desk.actor, case_id=case_id, expected_version=None, draft=corrected, reason="事实日期笔误")
        assert (state.reviewed, state.awaiting_review) == (False, True)
        assert agreements.settlement_ready(session, desk.actor, case_id) == (False, agreements.NEEDS_REVIEW)
        assert [row.case_id for row in agreements.awaiting_review(session, actor=mentor)] == [case_id]
    with desk.session() as session:
        agreements.review(session, actor=mentor, case_id=case_id, expected_version=None)
        assert agreements.settlement_ready(session, desk.actor, case_id) == (True, "")
        party = next(s.party_id for s in agreements.agreement_state(session, actor=desk.actor, case_id=case_id).signatures)
        agreements.record_signature(session, actor=desk.actor, case_id=case_id, signer_kind="party", party_id=party, signed_on=TODAY)
        # After a signature the correction is a new agreement (new number): its text was never reviewed either.
        state = agreements.revise(session, actor=desk.actor, case_id=case_id, expected_version=None,
                                  draft=dataclasses.replace(corrected, matters="维修责任。"), reason="争议事项更正")
    assert state.supersedes_number and not state.reviewed and state.awaiting_review


def settled(signed_on: str, name: str) -> dict:
    return {"source": "party_application", "dispute_type": "neighbour", "level": "grid", "community": "华光城",
            "summary": f"{name}与李秀英漏水纠纷。", "status": "settled",
            "parties": [dict(ZHANG, name=name), dict(LI, id_number=LI_ID, address=LI_ADDRESS)],
            "agreement": {"facts": "漏水。", "matters": "赔偿。", "clauses": ["被申请人修复防水层。"], "signed_on": signed_on}}


def test_imported_agreements_are_numbered_in_the_order_they_were_signed(desk):
    document = {"format": "laopan.case/1", "cases": [
        settled("2026-06-10", "六月"), settled("2026-09-10", "九月"), settled("2026-07-10", "七月"),
        dict(settled("2026-08-10", "八月"), agreement=dict(settled("2026-08-10", "八月")["agreement"], number="（2026）东柳人调字第050号")),
    ]}
    with desk.session() as session:
        report = import_cases(session, actor=desk.actor, document=document)
        numbers = {case_id: number for number, case_id in session.execute(select(Agreement.number, Agreement.case_id))}
    june, september, july, august = (numbers[r.id] for r in report.registered)
    assert august == "（2026）东柳人调字第050号"  # an imported number is kept as is
    assert (june, july, september) == ("（2026）东柳人调字第051号", "（2026）东柳人调字第052号", "（2026）东柳人调字第053号")


def test_a_draft_printed_from_the_command_line_says_draft_on_every_page_and_has_no_number(cli, tmp_path):
    case = {"source": "party_application", "dispute_type": "neighbour", "level": "grid", "community": "华光城",
            "summary": "漏水。", "status": "mediating", "parties": PARTIES}
    (tmp_path / "case.json").write_text(json.dumps({"format": "laopan.case/1", "cases": [case]}, ensure_ascii=False), encoding="utf-8")
    assert cli("case", "import", str(tmp_path / "case.json"))[0] == 0
    long = {"facts": "漏水。" * 200, "matters": "赔偿。", "clauses": [f"第{n}条约定内容。" * 12 for n in range(12)],
            "performance": {"method": "银行转账", "deadline": "2026-12-10"}}
    (tmp_path / "draft.json").write_text(json.dumps(long, ensure_ascii=False), encoding="utf-8")
    assert cli("agreement", "draft", "DL2026-00001", "--file", str(tmp_path / "draft.json"))[0] == 0
    pdf = tmp_path / "draft.pdf"
    code, _, err = cli("doc", "agreement", "DL2026-00001", "--pdf", str(pdf))
    assert code == 0, err
    with pdfplumber.open(io.BytesIO(pdf.read_bytes())) as document:
        assert len(document.pages) >= 2
        for page in document.pages:
            assert {char["text"] for char in page.chars if char["size"] > 60} == {"草", "稿"}
            text = page.extract_text() or ""
            assert "人调字" not in text and "编号" not in text and "（人民调解委员会印章）" not in text
