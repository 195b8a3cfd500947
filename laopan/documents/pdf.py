"""PDF renderer (reportlab platypus): A4, the look of GB/T 9704 official documents, fonts embedded as subsets.

Margins 37/35/28/26 mm; body 14pt (四号) in the Song face at 24pt line pitch with a two-character first-line
indent; title 22pt (二号) and headings in the Hei face, emboldened by a thin outline (text render mode 2): the
bundled Song has no bold weight and reportlab synthesises none, and an outlined Song smears its thin strokes, while
a Hei face with a hairline outline reads as the 黑体 GB/T 9704 sets headings in. Page numbers "第 n 页 共 m 页"
centred under the text block (the total is known when the canvas saves: `_numbered_canvas`). A draft carries a
diagonal grey 草稿 on every page, no number line and no seal. "（以下无正文）" closes the text when the signatures
move to the next page. reportlab is imported when the first document is drawn, not when laopan starts.
"""

import io
from functools import cache
from html import escape as _html_escape

from laopan.documents import fonts
from laopan.documents.model import (
    Document, FinalOnly, Heading, Inline, KeepTogether, NumberedClauses, PageBreak, Paragraph, PartyBlock, SignatureBlock, Table,
    clause_number, clause_text,
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
FOOTER_SIZE = 12
WATERMARK, WATERMARK_SIZE, WATERMARK_GREY = "草稿", 150, 0.86
NO_TEXT_BELOW = "（以下无正文）"


def escape(text: str) -> str:
    """&, < and > as reportlab's paragraph markup needs them. (xml.sax.saxutils.escape does the same, but importing
    it loads urllib.request, http.client and email: ~55 ms of every window start.)"""
    return _html_escape(text, quote=False)


def page_number_text(page: int, total: int) -> str:
    return f"第 {page} 页 共 {total} 页"


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
    story = _Story(styles, plan, wide=document.landscape, draft=document.draft).flowables(document)
    buffer = io.BytesIO()
    if document.landscape:
        size, margins = (WIDE_WIDTH, WIDE_HEIGHT), (WIDE_MARGIN,) * 4
    else:
        size, margins = (PAGE_WIDTH, PAGE_HEIGHT), (TOP, BOTTOM, LEFT, RIGHT)
    template = BaseDocTemplate(
        buffer, pagesize=size, pageTemplates=[_page_template(size, margins, WATERMARK if document.draft else document.void)],
        topMargin=margins[0], bottomMargin=margins[1], leftMargin=margins[2], rightMargin=margins[3],
        title=document.title, subject=document.subject, author="", creator="老潘调解",
        initialFontName=fonts.MAIN, initialFontSize=BODY_SIZE,
    )
    template.build(story, canvasmaker=_numbered_canvas(max(margins[1] - 7 * MM - FOOTER_SIZE, 6 * MM)))
    return buffer.getvalue()


def _numbered_canvas(baseline: float):
    """A canvas class that holds its pages until it saves, then writes 第 n 页 共 m 页 on each (two-pass total)."""
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(fonts.BODY, FOOTER_SIZE)
                self.setFillGray(0)
                self.drawCentredString(self._pagesize[0] / 2, baseline, page_number_text(self._pageNumber, total))
                super().showPage()
            super().save()

    return NumberedCanvas


def _page_template(size: tuple[float, float], margins: tuple[float, float, float, float], mark: str):
    """The page: its text frame, and `mark` (草稿 on a draft, 已作废 on a void document) across it, if any."""
    from reportlab.platypus import Frame, PageTemplate

    top, bottom, left, right = margins
    # No frame padding: the text block is exactly the page less the margins.
    frame = Frame(left, bottom, size[0] - left - right, size[1] - top - bottom, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0, id="body")

    def watermark(canvas, template) -> None:
        """Drawn before the page's text, so the text stays on top of the grey."""
        canvas.saveState()
        canvas.setFont(fonts.HEI, WATERMARK_SIZE)
        canvas.setFillGray(WATERMARK_GREY)
        canvas.translate(size[0] / 2, size[1] / 2)
        canvas.rotate(45)
        canvas.drawCentredString(0, -WATERMARK_SIZE * 0.35, mark)
        canvas.restoreState()

    if mark:
        return PageTemplate(id="page", frames=[frame], onPage=watermark)
    return PageTemplate(id="page", frames=[frame])


@cache
def _styles() -> dict:
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    fonts.main_font()
    base = ParagraphStyle("body", fontName=fonts.BODY, fontSize=BODY_SIZE, leading=BODY_LEADING, wordWrap="CJK",
                          alignment=TA_JUSTIFY, firstLineIndent=INDENT)
    return {
        "title": ParagraphStyle("title", base, fontName=fonts.HEI, fontSize=TITLE_SIZE, leading=TITLE_SIZE * 1.5, alignment=TA_CENTER,
                                firstLineIndent=0, spaceAfter=6),
        "number": ParagraphStyle("number", base, alignment=TA_RIGHT, firstLineIndent=0, spaceAfter=10),
        "heading": ParagraphStyle("heading", base, fontName=fonts.HEI, alignment=TA_LEFT, spaceBefore=4),
        "body": base,
        "flush": ParagraphStyle("flush", base, firstLineIndent=0),
        "label": ParagraphStyle("label", base, fontName=fonts.HEI, alignment=TA_LEFT, firstLineIndent=0),
        "no_text_below": ParagraphStyle("no_text_below", base, alignment=TA_CENTER, firstLineIndent=0),
        "sign": ParagraphStyle("sign", base, alignment=TA_LEFT, firstLineIndent=0, leading=20),
        "seal": ParagraphStyle("seal", base, alignment=TA_CENTER, firstLineIndent=0, leading=22),
        "seal_hint": ParagraphStyle("seal_hint", base, fontSize=SMALL_SIZE, leading=16, alignment=TA_CENTER,
                                    firstLineIndent=0),
        "cell": ParagraphStyle("cell", base, fontSize=TABLE_SIZE, leading=TABLE_LEADING, alignment=TA_CENTER,
                               firstLineIndent=0),
        "cell_number": ParagraphStyle("cell_number", base, fontSize=TABLE_SIZE, leading=TABLE_LEADING,
                                      alignment=TA_RIGHT, firstLineIndent=0),
        "cell_bold": ParagraphStyle("cell_bold", base, fontName=fonts.HEI, fontSize=TABLE_SIZE,
                                    leading=TABLE_LEADING, alignment=TA_CENTER, firstLineIndent=0),
        "cell_bold_number": ParagraphStyle("cell_bold_number", base, fontName=fonts.HEI, fontSize=TABLE_SIZE,
                                           leading=TABLE_LEADING, alignment=TA_RIGHT, firstLineIndent=0),
        "form_label": ParagraphStyle("form_label", base, fontName=fonts.HEI, fontSize=12, leading=18,
                                     alignment=TA_CENTER, firstLineIndent=0),
        "form_text": ParagraphStyle("form_text", base, fontSize=12, leading=20, alignment=TA_JUSTIFY,
                                    firstLineIndent=0),
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


@cache
def _no_text_below():
    from reportlab.platypus import Flowable

    class NoTextBelow(Flowable):
        """（以下无正文）, drawn only when what follows (the signature grid) does not fit under it on this page:
        the text ends here and the signatures start the next page, with no room left to add a clause."""

        def __init__(self, paragraph, following: list):
            super().__init__()
            self.paragraph, self.following = paragraph, following
            self.shown = False

        def wrap(self, availWidth, availHeight):
            line = self.paragraph.wrap(availWidth, availHeight)[1]
            needed = sum(flowable.wrap(availWidth, FRAME_HEIGHT)[1] for flowable in self.following)
            self.shown = line <= availHeight < line + needed and needed <= FRAME_HEIGHT
            self.width, self.height = availWidth, (line if self.shown else 0)
            return self.width, self.height

        def split(self, availWidth, availHeight):
            return []

        def draw(self):
            if self.shown:
                self.paragraph.drawOn(self.canv, 0, 0)

    return NoTextBelow


def _holds_signatures(block) -> bool:
    match block:
        case SignatureBlock():
            return True
        case KeepTogether(blocks=blocks) | FinalOnly(blocks=blocks):
            return any(_holds_signatures(inner) for inner in blocks)
    return False


class _Story:
    def __init__(self, styles: dict, plan: fonts.GlyphPlan, wide: bool = False, draft: bool = False):
        from reportlab.platypus import Paragraph as RLParagraph

        self.styles = styles
        self.plan = plan
        self.paragraph = RLParagraph
        self.emboldened = _emboldened()
        self.width = WIDE_WIDTH - 2 * WIDE_MARGIN if wide else TEXT_WIDTH
        self.draft = draft

    def bold(self, markup: str, style):
        return self.emboldened(markup, style)

    def markup(self, spans: Inline | str, primary: str = fonts.BODY) -> str:
        """Escaped text with <font> tags wherever a character is drawn from another face than `primary`."""
        text = spans if isinstance(spans, str) else "".join(span.text for span in spans)
        return "".join(
            escape(run).replace("\n", "<br/>") if name == primary else f'<font name="{name}">{escape(run)}</font>'
            for name, run in fonts.font_runs(text, self.plan, primary)
        )

    def hei(self, spans: Inline | str) -> str:
        return self.markup(spans, fonts.HEI)

    def flowables(self, document: Document) -> list:
        story = [self.bold(self.hei(document.title), self.styles["title"])]
        if document.number and not self.draft:  # a report has no number line, a draft none yet
            story.append(self.paragraph(self.markup(document.number), self.styles["number"]))
        elif self.draft and document.number:
            story.append(self.paragraph("", self.styles["number"]))  # keep the title's distance from the text
        for block in document.blocks:
            story += self.block(block)
        return story

    def block(self, block) -> list:
        styles = self.styles
        match block:
            case Heading(text=text):
                heading = self.bold(self.hei(text), styles["heading"])
                heading.keepWithNext = 1  # a heading never ends a page: it goes over with its first line
                return [heading]
            case Paragraph(text=text, label=label, indent=indent):
                return [self.paragraph(self.markup(label) + self.markup(text), styles["body" if indent else "flush"])]
            case NumberedClauses(items=items, start=start):
                return [
                    self.paragraph(self.markup(clause_number(number)) + self.markup(clause_text(item)), styles["body"])
                    for number, item in enumerate(items, start)
                ]
            case PartyBlock(rows=rows):
                return [self.party_table(rows)]
            case SignatureBlock():
                return self.signatures(block)
            case FinalOnly(blocks=blocks):
                return [] if self.draft else [flowable for inner in blocks for flowable in self.block(inner)]
            case KeepTogether() if _holds_signatures(block):
                # The text flows to its end; the signatures follow on the same page if they fit, else they
                # start the next one and the text is closed by （以下无正文） (DESIGN §5) — no page left 3/4 blank.
                return [flowable for inner in block.blocks for flowable in self.block(inner)]
            case KeepTogether():
                from reportlab.platypus import KeepTogether as RLKeepTogether

                return [RLKeepTogether(self.kept(block))]
            case Table():
                return [self.grid(block)]
            case PageBreak():
                from reportlab.platypus import PageBreak as RLPageBreak

                return [RLPageBreak()]
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
            [self.bold(self.hei(row.label), self.styles["label"]),
             self.paragraph(self.markup(row.text), self.styles["flush"])]
            for row in rows
        ]
        table = Table(data, colWidths=[label_width, self.width - label_width], hAlign="LEFT")
        table.setStyle([
            ("FONTNAME", (0, 0), (-1, -1), fonts.BODY),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ])
        return table

    def grid(self, block: Table) -> object:
        """A ruled table whose header rows repeat on every page; header, total and label cells in bold Hei."""
        from reportlab.platypus import Table as RLTable

        columns = max(len(row) for row in block.rows)
        weights = block.widths or (1,) * columns
        widths = [self.width * weight / sum(weights) for weight in weights]
        bold_rows = set(range(block.header_rows)) | set(range(len(block.rows) - block.total_rows, len(block.rows)))
        data = []
        for index, row in enumerate(block.rows):
            cells = []
            for column, cell in enumerate(row):
                if column < block.label_columns:
                    cells.append(self.bold(self.hei(cell), self.styles["form_label"]))
                    continue
                if block.align == "left":
                    cells.append(self.paragraph(self.markup(cell), self.styles["form_text"]))
                    continue
                numeric = column >= block.numeric_from and index >= block.header_rows
                if index in bold_rows:
                    cells.append(self.bold(self.hei(cell), self.styles["cell_bold_number" if numeric else "cell_bold"]))
                else:
                    cells.append(self.paragraph(self.markup(cell), self.styles["cell_number" if numeric else "cell"]))
            data.append(cells)
        table = RLTable(data, colWidths=widths, repeatRows=block.header_rows, hAlign="CENTER")
        padding = 4 if block.align == "left" else 2
        table.setStyle([
            ("FONTNAME", (0, 0), (-1, -1), fonts.BODY),
            ("GRID", (0, 0), (-1, -1), 0.5, "black"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), padding), ("RIGHTPADDING", (0, 0), (-1, -1), padding),
            ("TOPPADDING", (0, 0), (-1, -1), 1 + padding - 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5 + padding - 2),
        ])
        return table

    def signatures(self, block: SignatureBlock) -> list:
        """Two columns of signature cells, the seal in the free cell after the last one (not on a draft): one
        unsplittable table, after （以下无正文） when it has to start a new page."""
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
        seal = None if self.draft else block.seal
        if seal is not None:
            if signed % 2 == 0:
                cells.append("")
            cells.append([
                self.paragraph(self.markup(seal.committee), styles["seal"]),
                self.paragraph(self.markup(seal.hint), styles["seal_hint"]),
                self.paragraph(self.markup(seal.date), styles["seal"]),
            ])
        elif signed % 2:
            cells.append("")
        rows = [cells[i:i + 2] for i in range(0, len(cells), 2)]
        gap = 10 * MM
        column = (self.width - gap) / 2
        grid = _unsplittable_table()(
            [[row[0], "", row[1]] for row in rows], colWidths=[column, gap, column], hAlign="LEFT",
        )
        style = [
            ("FONTNAME", (0, 0), (-1, -1), fonts.BODY),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 8), ("BOTTOMPADDING", (0, 0), (-1, -1), SIGN_SPACE),
        ]
        if seal is not None:
            style += [("TOPPADDING", (2, -1), (2, -1), 12 if signed % 2 else 0),
                      ("BOTTOMPADDING", (0, -1), (-1, -1), 0)]
        for index in range(signed):
            column_index = 0 if index % 2 == 0 else 2
            style.append(("LINEBELOW", (column_index, index // 2), (column_index, index // 2), 0.6, "black"))
        grid.setStyle(style)
        spacer = Spacer(1, 10)
        spacer.keepWithNext = 1
        marker = _no_text_below()(self.paragraph(NO_TEXT_BELOW, styles["no_text_below"]), [spacer, grid])
        return [marker, spacer, grid]
