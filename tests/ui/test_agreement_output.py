"""The agreement as paper and files: the preview's page images, printing through QPrinter, PDF and DOCX exports,
their audit entries, and a character no font can draw."""

import io

import pypdf
import pypdfium2 as pdfium
from docx import Document as DocxDocument
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from sqlalchemy import select

from laopan.models import AuditEntry
from laopan.services import agreements
from tests.helpers.scenarios import PARTIES, PAYMENT_DRAFT, mediating_case
from tests.helpers.windows import show_case

NUMBER = "（2026）东柳人调字第001号"


def finalised_case(desk, parties=PARTIES) -> int:
    case_id = mediating_case(desk, parties)
    with desk.session() as session:
        agreements.save_draft(session, actor=desk.actor, case_id=case_id, draft=PAYMENT_DRAFT, expected_version=None)
        agreements.finalise(session, actor=desk.actor, case_id=case_id, expected_version=None)
    return case_id


def audit_actions(desk, case_id: int) -> list[str]:
    with desk.reading() as session:
        return list(session.execute(select(AuditEntry.action).where(AuditEntry.entity == "case", AuditEntry.entity_id == case_id)
                                    .order_by(AuditEntry.id)).scalars())


def gray_page(pdf: bytes, index: int, scale: float = 0.5) -> tuple[int, int, bytes]:
    document = pdfium.PdfDocument(pdf)
    try:
        page = document[index]
        bitmap = page.render(scale=scale, grayscale=True, force_bitmap_format=pdfium.raw.FPDFBitmap_Gray)
        data = (bitmap.width, bitmap.height, bytes(bitmap.buffer))
        bitmap.close()
        page.close()
        return data
    finally:
        document.close()


def test_the_preview_shows_the_real_pdf_pages_and_zooms(tab, qtbot, desk):
    case_id = finalised_case(desk)
    with qtbot.waitSignal(tab.preview.pages_shown, timeout=15_000) as shown:
        show_case(tab, qtbot, case_id)
    assert shown.args[0] >= 1 and tab.preview.page_count == shown.args[0]
    first = tab.preview.page_labels[0]
    assert not first.pixmap().isNull() and first.width() > 300
    assert "共 2 页" in tab.preview.info_label.text()
    width = first.width()
    tab.preview.set_zoom(0.5)
    assert first.width() < width  # scaled at once; sharper images follow from the worker
    assert audit_actions(desk, case_id).count("agreement.preview") == 1


def test_printing_draws_the_pages_to_the_printer_with_one_copy_per_party_plus_one(tab, qtbot, desk, tmp_path):
    case_id = finalised_case(desk)
    show_case(tab, qtbot, case_id)
    printer = tab.output.prepare_printer()
    assert printer.copyCount() == len(PARTIES) + 1 == tab.state.copies  # what the print dialog opens with
    assert printer.fullPage() and printer.collateCopies()

    out = tmp_path / "printed.pdf"
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    with qtbot.waitSignal(tab.output.printed, timeout=30_000) as printed:
        tab.output.print_to(printer)
    assert printed.args == [True, str(out)]
    reader = pypdf.PdfReader(out)
    pages = len(reader.pages)
    assert pages == 2 * 3  # a PDF file cannot make copies itself: the job repeats the collated pages
    text = "".join(page.extract_text() for page in reader.pages[:2])
    assert NUMBER in text and "李秀英" in text  # the text layer under each page image

    with desk.reading() as session:
        original = agreements.render_agreement(session, actor=desk.actor, case_id=case_id, fmt="pdf", purpose="print")
    for index in (0, 1):  # the images are the agreement's pages, not blank sheets
        width, height, printed_pixels = gray_page(out.read_bytes(), index)
        _, _, source_pixels = gray_page(original, index)
        assert len(printed_pixels) == len(source_pixels)
        ink = sum(1 for p in printed_pixels if p < 192)  # a Song face at 36 dpi is mostly grey, not black
        assert ink > 1000
        differing = sum(1 for a, b in zip(printed_pixels, source_pixels, strict=True) if abs(a - b) > 96)
        assert differing < 0.02 * width * height
    assert "agreement.print" in audit_actions(desk, case_id)


def test_exports_write_pdf_and_docx_and_every_print_and_export_is_audited(tab, qtbot, desk, tmp_path):
    case_id = finalised_case(desk)
    show_case(tab, qtbot, case_id)
    docx_path, pdf_path = tmp_path / "协议书.docx", tmp_path / "协议书.pdf"
    with qtbot.waitSignal(tab.output.exported, timeout=15_000):
        tab.output.export_to("docx", docx_path)
    paragraphs = "\n".join(p.text for p in DocxDocument(io.BytesIO(docx_path.read_bytes())).paragraphs)
    assert NUMBER in paragraphs
    with qtbot.waitSignal(tab.output.exported, timeout=15_000):
        tab.output.export_to("pdf", pdf_path)
    assert NUMBER in "".join(page.extract_text() for page in pypdf.PdfReader(pdf_path).pages)
    assert tab.banner.text() == f"已导出 {pdf_path}"

    printer = tab.output.prepare_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setCopyCount(1)
    with qtbot.waitSignal(tab.output.printed, timeout=30_000):
        tab.output.print_to(printer)
    actions = audit_actions(desk, case_id)
    assert actions.count("agreement.export") == 2 and actions.count("agreement.print") == 1

    with qtbot.waitSignal(tab.output.failed, timeout=15_000) as failed:
        tab.output.export_to("pdf", tmp_path / "no-such-dir" / "协议书.pdf")
    assert failed.args[0].startswith("未能导出：") and "no-such-dir" in failed.args[0]
    assert audit_actions(desk, case_id).count("agreement.export") == 2  # no file written, no audit entry


def test_a_character_no_font_can_draw_is_named_with_its_field_instead_of_a_blank_box(tab, qtbot, desk, tmp_path):
    rare = [dict(PARTIES[0], name="张𰻞"), PARTIES[1]]
    case_id = mediating_case(desk, rare)
    with desk.session() as session:
        agreements.save_draft(session, actor=desk.actor, case_id=case_id, draft=PAYMENT_DRAFT, expected_version=None)
    with qtbot.waitSignal(tab.refused, timeout=15_000) as refused:
        show_case(tab, qtbot, case_id)
    message = tab.preview.message()
    assert refused.args[0] == message and tab.preview.page_count == 0
    assert message.startswith("无法生成协议书：\n当事人[1].姓名：")
    assert "字体缺字" in message and "U+30EDE" in message and "请核对该项" in message

    with qtbot.waitSignal(tab.output.failed, timeout=15_000) as failed:
        tab.output.export_to("pdf", tmp_path / "协议书.pdf")
    assert "当事人[1].姓名" in failed.args[0] and not (tmp_path / "协议书.pdf").exists()
    assert "当事人[1].姓名" in tab.banner.text()


def test_ctrl_p_opens_the_system_print_dialog_with_one_copy_per_party_plus_one(tab, qtbot, desk):
    show_case(tab, qtbot, finalised_case(desk))
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)
    qtbot.keyClick(tab.editor, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = tab.output.print_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.printer().copyCount() == len(PARTIES) + 1
    assert dialog.printer().docName() == f"人民调解协议书 {NUMBER}"
    dialog.reject()  # nothing printed, nothing audited
    assert "agreement.print" not in audit_actions(desk, tab.case_id)
