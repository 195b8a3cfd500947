"""The whole 卷宗 as one PDF (`laopan doc packet NO --pdf F`): cover, 卷内目录 with page numbers that point at the
right pages, every paper of the file list in order, a scanned image as a page of its own, a scanned PDF appended;
one audited export."""

import io

import pdfplumber
import pytest
from reportlab.pdfgen import canvas
from sqlalchemy import select

from laopan.errors import DomainError
from laopan.models import AuditEntry, Case
from laopan.services import followups, judicial
from laopan.services.dossier import attach
from laopan.services.packet import render_packet
from tests.helpers.casefile import SIGNED_ON, effective_case
from tests.helpers.document_reading import squeeze


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (600, 800), (200, 220, 240)).save(out, "PNG")
    return out.getvalue()


def _scan_pdf(text: str, pages: int = 2) -> bytes:
    from reportlab.lib.pagesizes import A4

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for n in range(pages):
        c.drawString(100, 700, f"{text} {n + 1}")
        c.showPage()
    c.save()
    return out.getvalue()


@pytest.fixture
def full_case(desk, clock):
    case_id = effective_case(desk)
    with desk.session() as session:
        visit = followups.schedule(session, actor=desk.actor, case_id=case_id)[0]
        followups.record_followup(session, actor=desk.actor, followup_id=visit.id, expected_version=visit.version,
                                  done_on=SIGNED_ON, visitor="潘明杰", method="电话", performance_status="未到期")
        judicial.apply(session, actor=desk.actor, case_id=case_id, court="宁波市鄞州区人民法院", applied_on=SIGNED_ON)
        attach(session, actor=desk.actor, case_id=case_id, kind="id_proof", filename="身份证.png", data=_png())
        attach(session, actor=desk.actor, case_id=case_id, kind="evidence", filename="evidence.pdf",
               data=_scan_pdf("EVIDENCE SCAN"))
    return case_id


def _contents(pdf) -> list[tuple[str, int, int]]:
    """(name, first page, last page) of each row of the 卷内目录 on page 2."""
    rows = []
    for row in pdf.pages[1].extract_tables()[0][1:]:
        number = (row[2] or "").strip()
        first, _, last = number.partition("–")
        rows.append((squeeze(row[1]), int(first), int(last or first)))
    return rows


def test_the_contents_page_numbers_point_at_the_papers(desk, full_case, tmp_path, cli):
    with desk.session() as session:
        number = session.get(Case, full_case).intake_no
    target = tmp_path / "卷宗.pdf"
    assert cli("doc", "packet", number, "--pdf", str(target))[0] == 0
    with pdfplumber.open(target) as pdf:
        rows = _contents(pdf)
        names = [name for name, _, _ in rows]
        assert names[:2] == ["卷宗封面", "卷内目录"]
        # the file list's order: application, notice, id scan, records, agreement, visit, judicial, evidence…
        assert names.index("人民调解申请书") < names.index("当事人身份证明（扫描件）") < names.index("人民调解协议书") \
            < names.index("人民调解回访记录（第1次）") < names.index("司法确认申请书")
        assert names.index("证据材料（扫描件）") < names.index("人民调解协议书")
        assert rows[-1][2] == len(pdf.pages), "the last paper ends on the last page"
        for (name, first, last), following in zip(rows, rows[1:]):
            assert following[1] == last + 1, (name, following)
        titles = {"人民调解申请书": "人民调解申请书", "人民调解协议书": "人民调解协议书",
                  "人民调解回访记录（第1次）": "人民调解回访记录", "司法确认申请书": "司法确认申请书",
                  "人民调解当事人权利义务告知书": "人民调解当事人权利义务告知书"}
        for name, first, last in rows:
            text = squeeze(pdf.pages[first - 1].extract_text() or "")
            if name in titles:
                assert text.startswith(squeeze(titles[name])) or squeeze(titles[name]) in text[:40], (name, first, text[:60])
            if name == "当事人身份证明（扫描件）":
                assert first == last and pdf.pages[first - 1].images and not text, "the image is a page of its own"
            if name == "证据材料（扫描件）":
                assert (last - first + 1, text) == (2, "EVIDENCESCAN1")
    with desk.session() as session:
        entry = session.execute(select(AuditEntry).where(AuditEntry.action == "document.export")).scalars().one()
    assert entry.changes["document"] == "packet" and entry.changes["pages"] == rows[-1][2]


def test_a_broken_scan_is_named(desk, full_case):
    with desk.session() as session:
        attach(session, actor=desk.actor, case_id=full_case, kind="evidence", filename="坏文件.pdf", data=b"%PDF-1.4 garbage")
    with desk.session() as session, pytest.raises(DomainError, match="坏文件.pdf"):
        render_packet(session, actor=desk.actor, case_id=full_case)
