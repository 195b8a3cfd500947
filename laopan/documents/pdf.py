"""PDF renderer (reportlab platypus): A4, the look of GB/T 9704 official documents, fonts embedded as subsets.

Margins 37/35/28/26 mm, title 22pt (二号) emboldened and centred, body 14pt (四号) at 24pt line pitch with a
two-character first-line indent, page numbers "— 1 —" centred under the text block. reportlab is imported when
the first document is drawn, not when laopan starts (PITFALLS: start-up).
"""

import io
from functools import cache
from xml.sax.saxutils import escape

from laopan.documents import fonts
from laopan.documents.model import (
    Document, Heading, Inline, KeepTogether, NumberedClauses, Paragraph, PartyBlock, SignatureBlock, Table,
    clause_number,
)
from laopan.errors import Refused

__all__ = ["render_pdf"]

MM = 72 / 25.4
TOP, BOTTOM, LEFT, RIGHT = 37 * MM, 35 * MM, 28 * MM, 26 * MM
BODY_SIZE, BODY_LEADING = 14, 24
TITLE_SIZE = 22
SMALL_SIZE = 10.5  # 五号
INDENT = 2 * BODY_SIZE
STROKE = 0.45  # pt of outline that makes the one-weight Hei font read as bold
SIGN_SPACE = 30  # pt left free under each signature label for the hand
PAGE_WIDTH, PAGE_HEIGHT = 210 * MM, 297 * MM
TEXT_WIDTH = PAGE_WIDTH - LEFT - RIGHT
FRAME_HEIGHT = PAGE_HEIGHT - TOP - BOTTOM
# A landscape page (a report's wide table): A4 sideways, 20 mm margins all round.
WIDE_MARGIN = 20 * MM
WIDE_WIDTH, WIDE_HEIGHT = PAGE_HEIGHT, PAGE_WIDTH
TABLE_SIZE, TABLE_LEADING = 10.5, 13


def render_pdf(document: Document) -> bytes:
    """The document as PDF bytes.

    Raises:
        Refused: some text holds a character no bundled font can draw (checked before anything is laid out).
    """
    plan, errors = fonts.plan_glyphs(document)
    if errors:
        raise Refused(errors)
    from reportlab.platypus import BaseDocTemplate

    styles = _styles()
    story = _Story(styles, plan.fallback, wide=document.landscape).flowables(document)
    buffer = io.BytesIO()
    if document.landscape:
        size, margins = (WIDE_WIDTH, WIDE_HEIGHT), (WIDE_MARGIN,) * 4
    else:
        size, margins = (PAGE_WIDTH, PAGE_HEIGHT), (TOP, BOTTOM, LEFT, RIGHT)
    template = BaseDocTemplate(
        buffer, pagesize=size, pageTemplates=[_page_template(size, margins)],
        topMargin=margins[0], bottomMargin=margins[1], leftMargin=margins[2], rightMargin=margins[3],
        title=document.title, subject=document.subject, author="", creator="老潘调解",
        initialFontName=fonts.MAIN, initialFontSize=BODY_SIZE,
    )
    template.build(story)
    return buffer.getvalue()


def _page_template(size: tuple[float, float], margins: tuple[float, float, float, float]):
    from reportlab.platypus import Frame, PageTemplate

    top, bottom, left, right = margins
    # No frame padding: the text block is exactly the page less the margins.
    frame = Frame(left, bottom, size[0] - left - right, size[1] - top - bottom, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0, id="body")

    def page_number(canvas, template) -> None:
        canvas.saveState()
        canvas.setFont(fonts.MAIN, 12)
        canvas.drawCentredString(size[0] / 2, max(bottom - 7 * MM - 12, 6 * MM), f"— {canvas.getPageNumber()} —")
        canvas.restoreState()

    return PageTemplate(id="page", frames=[frame], onPage=page_number)


@cache
def _styles() -> dict:
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    fonts.main_font()
    base = ParagraphStyle("body", fontName=fonts.MAIN, fontSize=BODY_SIZE, leading=BODY_LEADING, wordWrap="CJK",
                          alignment=TA_JUSTIFY, firstLineIndent=INDENT)
    return {
        "title": ParagraphStyle("title", base, fontSize=TITLE_SIZE, leading=TITLE_SIZE * 1.5, alignment=TA_CENTER,
                                firstLineIndent=0, spaceAfter=6),
        "number": ParagraphStyle("number", base, alignment=TA_RIGHT, firstLineIndent=0, spaceAfter=10),
        "heading": ParagraphStyle("heading", base, alignment=TA_LEFT, spaceBefore=4),
        "body": base,
        "flush": ParagraphStyle("flush", base, firstLineIndent=0),
        "label": ParagraphStyle("label", base, alignment=TA_LEFT, firstLineIndent=0),
        "sign": ParagraphStyle("sign", base, alignment=TA_LEFT, firstLineIndent=0, leading=20),
        "seal": ParagraphStyle("seal", base, alignment=TA_CENTER, firstLineIndent=0, leading=22),
        "seal_hint": ParagraphStyle("seal_hint", base, fontSize=SMALL_SIZE, leading=16, alignment=TA_CENTER,
                                    firstLineIndent=0),
        "cell": ParagraphStyle("cell", base, fontSize=TABLE_SIZE, leading=TABLE_LEADING, alignment=TA_CENTER,
                               firstLineIndent=0),
        "cell_number": ParagraphStyle("cell_number", base, fontSize=TABLE_SIZE, leading=TABLE_LEADING,
                                      alignment=TA_RIGHT, firstLineIndent=0),
    }


@cache
def _emboldened():
    from reportlab.platypus import Paragraph as RLParagraph

    class Emboldened(RLParagraph):
        """A paragraph drawn filled and outlined (PDF text render mode 2): a bold face the font does not have."""

        def draw(self):
            canvas = self.canv
            canvas.saveState()
            canvas.setLineWidth(STROKE * self.style.fontSize / BODY_SIZE)
            canvas.setStrokeGray(0)
            canvas.addLiteral("2 Tr")  # text state persists across BT/ET until the restore below
            super().draw()
            canvas.restoreState()

    return Emboldened


@cache
def _unsplittable_table():
    from reportlab.platypus import Table

    class UnsplittableTable(Table):
        """The signature grid moves to the next page whole rather than leave the seal apart from the signatures
        (unless it is taller than a page, when it splits by rows like any table)."""

        def split(self, availWidth, availHeight):
            if self._height <= FRAME_HEIGHT:
                return []
            return super().split(availWidth, availHeight)

    return UnsplittableTable


class _Story:
    def __init__(self, styles: dict, fallback: frozenset[str], wide: bool = False):
        from reportlab.platypus import Paragraph as RLParagraph

        self.styles = styles
        self.fallback = fallback
        self.paragraph = RLParagraph
        self.bold = _emboldened()
        self.width = WIDE_WIDTH - 2 * WIDE_MARGIN if wide else TEXT_WIDTH

    def markup(self, spans: Inline | str) -> str:
        text = spans if isinstance(spans, str) else "".join(span.text for span in spans)
        if not self.fallback or self.fallback.isdisjoint(text):
            return escape(text).replace("\n", "<br/>")
        return "".join(
            f'<font name="{fonts.FALLBACK}">{escape(run)}</font>' if is_fallback else escape(run).replace("\n", "<br/>")
            for is_fallback, run in fonts.runs(text, self.fallback)
        )

    def flowables(self, document: Document) -> list:
        story = [self.bold(self.markup(document.title), self.styles["title"])]
        if document.number:  # a report has no number line
            story.append(self.paragraph(self.markup(document.number), self.styles["number"]))
        for block in document.blocks:
            story += self.block(block)
        return story

    def block(self, block) -> list:
        styles = self.styles
        match block:
            case Heading(text=text):
                return [self.bold(self.markup(text), styles["heading"])]
            case Paragraph(text=text, label=label, indent=indent):
                return [self.paragraph(self.markup(label) + self.markup(text), styles["body" if indent else "flush"])]
            case NumberedClauses(items=items, start=start):
                return [
                    self.paragraph(self.markup(clause_number(number)) + self.markup(item), styles["body"])
                    for number, item in enumerate(items, start)
                ]
            case PartyBlock(rows=rows):
                return [self.party_table(rows)]
            case SignatureBlock():
                return self.signatures(block)
            case KeepTogether():
                from reportlab.platypus import KeepTogether as RLKeepTogether

                return [RLKeepTogether(self.kept(block))]
            case Table():
                return [self.grid(block)]
        raise TypeError(f"unknown block {block!r}")

    def kept(self, group: KeepTogether) -> list:
        """The flowables of a group, flat: reportlab's KeepTogether cannot nest (an inner one reports an endless
        height, so the outer always breaks the page). An inner group becomes a keepWithNext chain instead, which
        still holds when the outer group is taller than a page and has to split."""
        flowables = []
        for block in group.blocks:
            if isinstance(block, KeepTogether):
                inner = self.kept(block)
                for flowable in inner[:-1]:
                    flowable.keepWithNext = 1
                flowables += inner
            else:
                flowables += self.block(block)
        return flowables

    def party_table(self, rows) -> object:
        from reportlab.platypus import Table

        label_chars = max(len(row.label) for row in rows)
        label_width = label_chars * BODY_SIZE + 4
        data = [
            [self.bold(self.markup(row.label), self.styles["label"]), self.paragraph(self.markup(row.text), self.styles["flush"])]
            for row in rows
        ]
        table = Table(data, colWidths=[label_width, self.width - label_width], hAlign="LEFT")
        table.setStyle([
            ("FONTNAME", (0, 0), (-1, -1), fonts.MAIN),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ])
        return table

    def grid(self, block: Table) -> object:
        """A ruled table whose header rows repeat on every page; header and total rows emboldened."""
        from reportlab.platypus import Table as RLTable

        columns = max(len(row) for row in block.rows)
        weights = block.widths or (1,) * columns
        widths = [self.width * weight / sum(weights) for weight in weights]
        bold_rows = set(range(block.header_rows)) | set(range(len(block.rows) - block.total_rows, len(block.rows)))
        data = []
        for index, row in enumerate(block.rows):
            cells = []
            for column, cell in enumerate(row):
                numeric = column >= block.numeric_from and index >= block.header_rows
                style = self.styles["cell_number" if numeric else "cell"]
                make = self.bold if index in bold_rows else self.paragraph
                cells.append(make(self.markup(cell), style))
            data.append(cells)
        table = RLTable(data, colWidths=widths, repeatRows=block.header_rows, hAlign="CENTER")
        table.setStyle([
            ("FONTNAME", (0, 0), (-1, -1), fonts.MAIN),
            ("GRID", (0, 0), (-1, -1), 0.5, "black"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ])
        return table

    def signatures(self, block: SignatureBlock) -> list:
        """Two columns of signature cells, the seal in the free cell after the last one: one unsplittable table."""
        from reportlab.platypus import Spacer

        styles = self.styles
        cells: list = [
            self.paragraph(
                self.markup(line.role + "：") + self.markup(line.name)
                + f'<font size="{SMALL_SIZE}">{self.markup("（" + line.hint + "）")}</font>',
                styles["sign"],
            )
            for line in block.lines
        ]
        signed = len(cells)
        if signed % 2 == 0:
            cells.append("")
        seal = block.seal
        cells.append([
            self.paragraph(self.markup(seal.committee), styles["seal"]),
            self.paragraph(self.markup(seal.hint), styles["seal_hint"]),
            self.paragraph(self.markup(seal.date), styles["seal"]),
        ])
        rows = [cells[i:i + 2] for i in range(0, len(cells), 2)]
        gap = 10 * MM
        column = (self.width - gap) / 2
        grid = _unsplittable_table()(
            [[row[0], "", row[1]] for row in rows], colWidths=[column, gap, column], hAlign="LEFT",
        )
        style = [
            ("FONTNAME", (0, 0), (-1, -1), fonts.MAIN),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 8), ("BOTTOMPADDING", (0, 0), (-1, -1), SIGN_SPACE),
            ("TOPPADDING", (2, -1), (2, -1), 12 if signed % 2 else 0), ("BOTTOMPADDING", (0, -1), (-1, -1), 0),
        ]
        for index in range(signed):
            column_index = 0 if index % 2 == 0 else 2
            style.append(("LINEBELOW", (column_index, index // 2), (column_index, index // 2), 0.6, "black"))
        grid.setStyle(style)
        spacer = Spacer(1, 10)
        spacer.keepWithNext = 1
        return [spacer, grid]
