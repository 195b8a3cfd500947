"""Printed documents (DESIGN §5): one content model per document, drawn as PDF and as DOCX.

    document = agreement_document(detail, committee_name)   # content, written once
    errors = check_glyphs(document)                         # characters no bundled font can draw, by field
    pdf = render_pdf(document); docx = render_docx(document)  # both refuse (Refused) what check_glyphs reports

Submodules import reportlab and python-docx lazily: importing this package costs nothing at start-up.
"""

from laopan.documents.agreement import agreement_document
from laopan.documents.docx import render_docx
from laopan.documents.fonts import check_glyphs
from laopan.documents.model import Document
from laopan.documents.pdf import render_pdf

__all__ = ["Document", "agreement_document", "check_glyphs", "render_docx", "render_pdf"]
