"""The whole 卷宗 as one PDF (issue 14): `render_packet(session, actor=…, case_id=…)`.

The cover first, then the 卷内目录 with the page numbers the packet really has, then every paper of the committee's
file list (`CommitteeSettings.dossier`) in its order, those that exist for the case: the forms the desk prints
(申请书 or 受理登记表, 告知书, 授权委托书, each 调解记录, the 协议书 or 口头协议登记表, each 回访记录, the 司法确认申请书,
the 警调移交反馈单) and the scans filed with the case — a scanned image becomes a page of its own (fitted to A4), a
scanned PDF is appended as it is. Scans of kind 其他 close the packet.

One packet is one audited export (`document.export`, document "packet", naming the parts); the agreement itself
goes through `render_agreement`/`render_oral`, so its own print is audited like any other. Assembly uses pypdfium2
(already a dependency): each part is rendered alone, its pages counted, and the pages imported in order.
"""

import io
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from laopan.errors import DomainError, PermissionDenied
from laopan.labels import label
from laopan.models import Committee
from laopan.models.casefile import AttachmentKind, CaseAttachment
from laopan.models.enums import AgentKind, AgreementKind, CaseStatus
from laopan.services import audit
from laopan.services.actor import Actor
from laopan.services.cases import build_detail, load_case
from laopan.services.committee import committee_settings

__all__ = ["PacketPart", "merge_pdfs", "packet_parts", "render_packet"]


@dataclass(frozen=True)
class PacketPart:
    """One paper of the packet: its name in the 卷内目录 and its PDF bytes."""

    name: str
    pdf: bytes
    note: str = ""


def _pages(data: bytes, name: str) -> int:
    import pypdfium2 as pdfium

    try:
        return len(pdfium.PdfDocument(data))
    except pdfium.PdfiumError:
        raise DomainError(f"卷宗材料“{name}”不是可读的 PDF（可能已加密或损坏），请重新扫描上传") from None


def image_page(data: bytes, name: str) -> bytes:
    """A scanned image on an A4 page of its own, fitted inside 15 mm margins, turned to landscape when wider."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    try:
        image = ImageReader(io.BytesIO(data))
        width, height = image.getSize()
    except Exception:  # noqa: BLE001 — Pillow raises many kinds for a broken file
        raise DomainError(f"卷宗材料“{name}”不是可读的图片，请重新扫描上传") from None
    size = landscape(A4) if width > height else A4
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=size, pageCompression=1)
    room_w, room_h = size[0] - 30 * mm, size[1] - 30 * mm
    scale = min(room_w / width, room_h / height)
    w, h = width * scale, height * scale
    page.drawImage(image, (size[0] - w) / 2, (size[1] - h) / 2, w, h)
    page.showPage()
    page.save()
    return out.getvalue()


def _scans(session: Session, case_id: int, kind: str) -> list[PacketPart]:
    rows = session.execute(select(CaseAttachment.filename, CaseAttachment.mime, CaseAttachment.data).where(
        CaseAttachment.case_id == case_id, CaseAttachment.kind == kind).order_by(CaseAttachment.id)).all()
    title = label(AttachmentKind, kind)
    return [PacketPart(f"{title}（扫描件）", data if mime == "application/pdf" else image_page(data, filename), filename)
            for filename, mime, data in rows]


def packet_parts(session: Session, *, actor: Actor, case_id: int, purpose: str = "export") -> list[PacketPart]:
    """The papers after the cover, in the order of the committee's file list (those that exist for the case)."""
    from laopan.documents import render_pdf
    from laopan.services.case_documents import build_case_document
    from laopan.services.followups import list_followups
    from laopan.services.judicial import judicial_state

    case = load_case(session, actor=actor, case_id=case_id)
    detail = build_detail(session, actor=actor, case=case, reveal=True)
    path = (detail.status_before_close if detail.status == CaseStatus.CLOSED.value else detail.status) or ""

    def form(name: str, **kwargs) -> bytes:
        return render_pdf(build_case_document(session, actor=actor, case_id=case_id, name=name, **kwargs))

    parts: list[PacketPart] = []
    for item in committee_settings(session, actor.committee_id).dossier:
        if item.paths and path not in item.paths:
            continue
        code = item.code
        if code == "application":
            name = "application" if detail.source == "party_application" else "registration"
            parts.append(PacketPart("人民调解申请书" if name == "application" else "人民调解受理登记表", form(name)))
        elif code == "notice" and detail.accepted_at is not None:
            parts.append(PacketPart("人民调解当事人权利义务告知书", form("notice")))
        elif code == "power":
            for party in detail.parties:
                if party.agent is not None and party.agent.kind == AgentKind.ENTRUSTED.value:
                    parts.append(PacketPart("授权委托书", form("power", party=party.name), party.name))
            parts += _scans(session, case_id, code)
        elif code == "session_record":
            parts += [PacketPart(f"人民调解记录（第{n}次）", form("record", session_no=n)) for n in range(1, len(detail.sessions) + 1)]
        elif code == "agreement" and detail.agreement is not None:
            parts.append(_agreement(session, actor, case_id, detail, purpose))
        elif code == "followup":
            visits = list_followups(session, actor=actor, case_id=case_id).visits
            parts += [PacketPart(f"人民调解回访记录（第{n}次）", form("followup", visit=n)) for n, v in enumerate(visits, 1)
                      if v.done_on is not None]
        elif code == "judicial":
            if judicial_state(session, actor=actor, case_id=case_id).applications:
                parts.append(PacketPart("司法确认申请书", form("judicial")))
            parts += _scans(session, case_id, code)
        elif code == "police_feedback" and detail.referral is not None:
            parts.append(PacketPart("警调移交反馈单", form("police-feedback")))
        elif code in {k.value for k in AttachmentKind}:
            parts += _scans(session, case_id, code)
    return parts + _scans(session, case_id, AttachmentKind.OTHER.value)


def _agreement(session: Session, actor: Actor, case_id: int, detail, purpose: str) -> PacketPart:
    from laopan.services.agreements import render_agreement
    from laopan.services.oral_agreements import render_oral

    agreement = detail.agreement
    if agreement.kind == AgreementKind.ORAL.value:
        return PacketPart("人民调解口头协议登记表", render_oral(session, actor=actor, case_id=case_id, fmt="pdf"),
                          agreement.oral_register_no or "")
    data = render_agreement(session, actor=actor, case_id=case_id, fmt="pdf", purpose=purpose)
    return PacketPart("人民调解协议书", data, agreement.number or "草稿")


def render_packet(session: Session, *, actor: Actor, case_id: int, purpose: str = "export") -> bytes:
    """The cover, the 卷内目录 with real page numbers, and every paper of the case, as one PDF (audited)."""
    from laopan.documents import render_pdf
    from laopan.documents.forms.cover import ContentsEntry
    from laopan.services.case_documents import _cover

    if purpose not in ("print", "export"):
        raise ValueError(f"unknown purpose {purpose!r}")
    if not actor.may_reveal:
        raise PermissionDenied("当前角色无权打印卷宗（含完整个人信息）")
    parts = packet_parts(session, actor=actor, case_id=case_id, purpose=purpose)
    counts = [_pages(part.pdf, part.note or part.name) for part in parts]
    detail = build_detail(session, actor=actor, case=load_case(session, actor=actor, case_id=case_id), reveal=True)
    committee = session.get(Committee, actor.committee_id).name
    listed = [ContentsEntry(part.name, count, part.note) for part, count in zip(parts, counts)]
    contents_pages = 1
    while True:  # a long 卷内目录 may take more than one page, which moves every number after it
        entries = [ContentsEntry("卷宗封面", 1), ContentsEntry("卷内目录", contents_pages), *listed]
        cover = render_pdf(_cover(session, actor, detail, committee, entries))
        if _pages(cover, "卷宗封面") - 1 == contents_pages:
            break
        contents_pages = _pages(cover, "卷宗封面") - 1
    data = merge_pdfs([cover, *(part.pdf for part in parts)])
    audit.record(session, actor=actor, action=f"document.{purpose}", entity="case", entity_id=case_id,
                 changes={"document": "packet", "format": "pdf", "parts": [part.name for part in parts],
                          "pages": 1 + contents_pages + sum(counts)})
    return data


def merge_pdfs(pdfs: list[bytes]) -> bytes:
    """The pages of every PDF, in order, as one PDF."""
    import pypdfium2 as pdfium

    merged = pdfium.PdfDocument.new()
    for data in pdfs:
        merged.import_pages(pdfium.PdfDocument(data))
    out = io.BytesIO()
    merged.save(out)
    return out.getvalue()
