"""The papers after the agreement (issue 14): the 回访记录 of each visit and the parties' 司法确认申请书, rendered
from a real case as PDF and DOCX and read back — title, parties, guardian, the visit's facts, the court and the
Art. 33 statement, dates as 2026年11月27日, embedded fonts, nothing past the margins — and the refusals."""

import dataclasses
import datetime as dt
import io

import pytest
from docx import Document as read_docx
from sqlalchemy import select

from laopan.cli.main import main
from laopan.errors import DomainError
from laopan.models import AuditEntry, Case, Party
from laopan.services import agreements, followups, judicial
from laopan.services.sessions import add_session
from tests.helpers.casefile import SIGNED_ON
from tests.helpers.document_reading import check_pdf, four_party_case, police_case
from laopan.inputs import ClauseSpec
from tests.helpers.scenarios import DRAFT, move

FOUR_PARTY_DRAFT = dataclasses.replace(DRAFT, clauses=(
    ClauseSpec(kind="payment", payer="被申请人宁波安居物业服务有限公司", payee="申请人张伟", amount="1500.00",
               deadline=dt.date(2026, 12, 10), method="银行转账"),
    ClauseSpec(kind="text", text="被申请人于2026年12月5日前在车棚加装照明灯具。"),
))

TZ = dt.timezone(dt.timedelta(hours=8))


def _settle(desk, case_id, draft=DRAFT) -> None:
    """Settle a registered case with the standard draft, signed by everyone on SIGNED_ON."""
    with desk.session() as session:
        agreements.save_draft(session, actor=desk.actor, case_id=case_id, draft=draft, expected_version=None)
        agreements.finalise(session, actor=desk.actor, case_id=case_id, expected_version=None)
        for party_id in session.execute(select(Party.id).where(Party.case_id == case_id)).scalars().all():
            agreements.record_signature(session, actor=desk.actor, case_id=case_id, signer_kind="party", party_id=party_id,
                                        signed_on=SIGNED_ON)
        for kind in ("mediator", "seal"):
            agreements.record_signature(session, actor=desk.actor, case_id=case_id, signer_kind=kind, signed_on=SIGNED_ON)
    move(desk, case_id, "settle")


def _visit(desk, case_id, *, status="部分履行", notes="已付4000元，余款约定月底前付清。") -> None:
    with desk.session() as session:
        planned = followups.schedule(session, actor=desk.actor, case_id=case_id)
        followups.add_followup(session, actor=desk.actor, case_id=case_id, planned_on=dt.date(2026, 12, 20), purpose="余款")
        visit = planned[0]
        followups.record_followup(session, actor=desk.actor, followup_id=visit.id, expected_version=visit.version,
                                  done_on=SIGNED_ON, visitor="潘明杰", method="上门", performance_status=status, notes=notes)


def _apply(desk, case_id) -> None:
    with desk.session() as session:
        judicial.apply(session, actor=desk.actor, case_id=case_id, court="宁波市鄞州区人民法院", applied_on=SIGNED_ON)


def _render(desk, case_id, name, fmt="pdf", **kwargs) -> bytes:
    from laopan.services.case_documents import render_case_document

    with desk.session() as session:
        return render_case_document(session, actor=desk.actor, case_id=case_id, name=name, fmt=fmt, **kwargs)


@pytest.fixture
def settled_four(desk, clock):
    case_id = four_party_case(desk)
    _settle(desk, case_id, FOUR_PARTY_DRAFT)
    return case_id


@pytest.fixture
def settled_police(desk, clock):
    case_id = police_case(desk)
    move(desk, case_id, "accept")
    move(desk, case_id, "mediate")
    with desk.session() as session:
        add_session(session, actor=desk.actor, case_id=case_id, held_at=dt.datetime(2026, 11, 25, 14, 30, tzinfo=TZ),
                    place="东柳街道人民调解室", mediators=["潘国强"], parties_present=["张伟", "李秀英"], participants=[],
                    statements="双方陈述。", result="达成协议。")
    _settle(desk, case_id)
    return case_id


@pytest.mark.parametrize("which", ["settled_four", "settled_police"])
def test_the_visit_record_prints_the_visit_and_what_comes_next(desk, which, request):
    case_id = request.getfixturevalue(which)
    _visit(desk, case_id)
    pages = check_pdf(_render(desk, case_id, "followup"), "人民调解回访记录", "第1次回访", "2026年11月27日", "潘明杰", "上门",
                      "部分履行", "已付4000元", "按计划于2026年12月20日再次回访（余款）", "被回访人", "张伟")
    assert "2026-11-27" not in "".join(pages)
    docx = read_docx(io.BytesIO(_render(desk, case_id, "followup", "docx")))
    assert docx.paragraphs[0].text == "人民调解回访记录"
    assert "潘明杰" in "".join(cell.text for table in docx.tables for row in table.rows for cell in row.cells)


def test_a_visit_performed_in_full_ends_the_visits(desk, settled_police):
    with desk.session() as session:
        visit = followups.schedule(session, actor=desk.actor, case_id=settled_police)[0]
        followups.record_followup(session, actor=desk.actor, followup_id=visit.id, expected_version=visit.version,
                                  done_on=SIGNED_ON, visitor="潘明杰", method="电话", performance_status="已履行")
    check_pdf(_render(desk, settled_police, "followup", visit=1), "人民调解回访记录", "电话", "协议已履行完毕，回访结束")


def test_a_visit_not_made_yet_has_no_record(desk, settled_police):
    with desk.session() as session:
        followups.schedule(session, actor=desk.actor, case_id=settled_police)
    with pytest.raises(DomainError, match="尚未登记回访结果"):
        _render(desk, settled_police, "followup")
    with pytest.raises(DomainError, match="第1次回访.*尚未进行"):
        _render(desk, settled_police, "followup", visit=1)


def test_the_judicial_application_is_joint_names_the_court_and_the_guardian_signs(desk, settled_four):
    _apply(desk, settled_four)
    pages = check_pdf(_render(desk, settled_four, "judicial"), "司法确认申请书", "宁波市鄞州区人民法院", "王小明", "王某",
                      "宁波安居物业服务有限公司", "李秀英", "人民调解法》第三十三条", "三十日内共同向人民法院申请司法确认",
                      "2026年11月27日", "请求人民法院依法确认申请人于2026年11月27日")
    text = "".join(pages)
    assert text.count("申请人：") >= 4, "every party applies"
    assert "法定代理人王某" in text.replace("：", "").replace("（签名、盖章或按指印）", "") or "法定代理人" in text
    docx = read_docx(io.BytesIO(_render(desk, settled_four, "judicial", "docx")))
    assert docx.paragraphs[0].text == "司法确认申请书"
    assert any("宁波市鄞州区人民法院" in p.text for p in docx.paragraphs)


def test_the_judicial_application_of_a_police_case_and_its_cli(desk, settled_police, db_url, clock, tmp_path):
    _apply(desk, settled_police)
    with desk.session() as session:
        number = session.get(Case, settled_police).intake_no
    pdf, docx = tmp_path / "j.pdf", tmp_path / "j.docx"
    assert main(["doc", "judicial", number, "--pdf", str(pdf), "--docx", str(docx), "--database", db_url, "--as", "admin"], clock=clock) == 0
    check_pdf(pdf.read_bytes(), "司法确认申请书", "张伟", "李秀英", "宁波市鄞州区人民法院")
    with desk.session() as session:
        entries = session.execute(select(AuditEntry.changes).where(AuditEntry.action == "document.export")).scalars().all()
    assert [e["document"] for e in entries] == ["judicial", "judicial"]


def test_no_application_recorded_no_paper(desk, settled_police):
    with pytest.raises(DomainError, match="尚未登记司法确认申请"):
        _render(desk, settled_police, "judicial")
