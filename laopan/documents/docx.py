"""DOCX renderer (python-docx): the same content model, for a desk that wants to edit before printing.

Word does not get our bundled fonts, so the DOCX names the fonts a Chinese Windows has, matching the PDF's faces:
宋体 for text (it covers CJK Extension A as well), 黑体 (bold) for the title, headings and table labels,
SimSun-ExtB for characters beyond U+FFFF, Times New Roman for Latin letters and digits. The footer reads
"第 n 页 共 m 页" from PAGE and NUMPAGES fields; a draft (`Document.draft`) gets a grey diagonal 草稿 text shape
(VML, which Word and LibreOffice both draw behind the text) in its header, so every page carries it.
The East Asian font is set on the styles and on every run (`w:rFonts w:eastAsia`), or Word and LibreOffice fall
back to a Latin font for Chinese (PITFALLS). Table widths are set on the grid and on every cell, autofit off:
LibreOffice reads `w:tblGrid`, Word the cells.

Speed: the page set-up, styles and footer live in a lean template built once per process (python-docx's default
carries 780 KB of unused styles and a thumbnail that every open and save would parse and compress again), and
paragraphs and runs are written as WordprocessingML elements directly rather than through python-docx's
property setters. python-docx is imported on first use.
"""

import io
import threading
from functools import cache

from laopan.documents import fonts
from laopan.documents.model import (
    Document, FinalOnly, Heading, Inline, KeepTogether, NumberedClauses, PageBreak, Paragraph, PartyBlock, SignatureBlock, Table,
    clause_number, clause_text,
)
from laopan.errors import Refused

__all__ = ["BODY_FONT", "EXT_B_FONT", "HEADING_FONT", "LATIN_FONT", "WATERMARK", "render_docx"]

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
WATERMARK = "草稿"
EXT_B_FONT = "SimSun-ExtB"
LATIN_FONT = "Times New Roman"
BODY_SIZE, BODY_LEADING, TITLE_SIZE, SMALL_SIZE, FOOTER_SIZE = 14, 24, 22, 10.5, 12
TOP_MM, BOTTOM_MM, LEFT_MM, RIGHT_MM = 37, 35, 28, 26
TEXT_WIDTH_MM = 210 - LEFT_MM - RIGHT_MM
WIDE_MARGIN_MM = 20  # a landscape page (a report's wide table): A4 sideways, 20 mm margins
WIDE_TEXT_WIDTH_MM = 297 - 2 * WIDE_MARGIN_MM
TABLE_SIZE = 10.5
SIGN_GAP_MM = 10
SIGN_SPACE_PT = 30  # room to sign between the label and the line
KEPT_STYLES = {
    "Normal", "DefaultParagraphFont", "TableNormal", "NoList", "Header", "HeaderChar", "Footer", "FooterChar",
}
DROPPED_PARTS = ("stylesWithEffects", "customXml", "thumbnail")

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def twips(points: float) -> str:
    return str(round(points * 20))


def render_docx(document: Document) -> bytes:
    """The document as DOCX bytes.

    Raises:
        Refused: some text holds a character no bundled font can draw (the same check as the PDF).
    """
    plan, errors = fonts.plan_glyphs(document)
    if errors:
        raise Refused(errors)
    import docx

    doc = docx.Document(io.BytesIO(_template()))
    if document.landscape:
        from docx.enum.section import WD_ORIENT
        from docx.shared import Mm

        section = doc.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin = section.bottom_margin = section.left_margin = section.right_margin = Mm(WIDE_MARGIN_MM)
        section.footer_distance = Mm(8)
    writer = _Writer(doc, frozenset(ch for ch in plan.fallback if ord(ch) > 0xFFFF))
    writer.text_width_mm = WIDE_TEXT_WIDTH_MM if document.landscape else TEXT_WIDTH_MM
    writer.draft = document.draft
    writer.write(document)
    if document.draft or document.void:
        _add_watermark(doc, WATERMARK if document.draft else document.void)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


_template_lock = threading.Lock()


@cache
def _template() -> bytes:
    """A4 with GB/T 9704 margins, the Normal style in 宋体 14pt at 24pt line pitch, a "— N —" footer; nothing else."""
    import docx
    from docx.shared import Mm, Pt

    with _template_lock:
        doc = docx.Document()
        for rel in list(doc.part.rels.values()):
            if rel.reltype.rsplit("/", 1)[-1] in DROPPED_PARTS:
                doc.part.drop_rel(rel.rId)
        package_rels = doc.part.package.rels
        for rel_id, rel in list(package_rels.items()):
            if rel.reltype.rsplit("/", 1)[-1] in DROPPED_PARTS:
                del package_rels[rel_id]

        styles = doc.styles.element
        for child in list(styles):
            unused_style = child.tag == w("style") and child.get(w("styleId")) not in KEPT_STYLES
            if child.tag == w("latentStyles") or unused_style:
                styles.remove(child)
        defaults = styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('rFonts')}")
        if defaults is not None:  # explicit fonts: a theme attribute here would win over the style's names
            for key in list(defaults.keys()):
                del defaults.attrib[key]
            _set_fonts(defaults, BODY_FONT)

        theme_lang = doc.settings.element.find(w("themeFontLang"))
        if theme_lang is not None:
            theme_lang.set(w("eastAsia"), "zh-CN")  # python-docx's default says ja-JP

        section = doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(TOP_MM), Mm(BOTTOM_MM)
        section.left_margin, section.right_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
        section.footer_distance = Mm(BOTTOM_MM - 12)

        normal = doc.styles["Normal"]
        normal.font.size = Pt(BODY_SIZE)
        rpr = normal.element.get_or_add_rPr()
        _set_fonts(rpr.get_or_add_rFonts(), BODY_FONT)
        lang = rpr.makeelement(w("lang"), {w("val"): "en-US", w("eastAsia"): "zh-CN"})
        rpr.append(lang)
        paragraph_format = normal.paragraph_format
        paragraph_format.line_spacing = Pt(BODY_LEADING)
        paragraph_format.space_before = paragraph_format.space_after = Pt(0)
        paragraph_format.widow_control = True

        footer = section.footer.paragraphs[0]._p
        _paragraph_properties(footer, jc="center", first_line=0)
        _run(footer, "第 ", size=FOOTER_SIZE)
        _field(footer, "PAGE")
        _run(footer, " 页 共 ", size=FOOTER_SIZE)
        _field(footer, "NUMPAGES")
        _run(footer, " 页", size=FOOTER_SIZE)

        buffer = io.BytesIO()
        doc.save(buffer)
        return buffer.getvalue()


def _field(paragraph, instruction: str) -> None:
    """A simple field (PAGE, NUMPAGES) as begin / instruction / separate / cached "1" / end runs."""
    field = _run(paragraph, "", size=FOOTER_SIZE)
    field.remove(field.find(w("t")))
    for kind in ("begin", "instr", "separate", "1", "end"):
        if kind == "instr":
            field.append(field.makeelement(w("instrText"), {XML_SPACE: "preserve"}))
            field[-1].text = f" {instruction} "
        elif kind == "1":
            field.append(field.makeelement(w("t"), {}))
            field[-1].text = "1"
        else:
            field.append(field.makeelement(w("fldChar"), {w("fldCharType"): kind}))


_WATERMARK_XML = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
    '<w:pict><v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:path textpathok="t" o:connecttype="custom"/>'
    '<v:textpath on="t" fitshape="t"/><o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
    '<v:shape id="LaopanDraftWatermark" o:spid="_x0000_s1025" type="#_x0000_t136" '
    'style="position:absolute;margin-left:0;margin-top:0;width:360pt;height:180pt;rotation:315;z-index:-251657216;'
    'mso-position-horizontal:center;mso-position-horizontal-relative:margin;'
    'mso-position-vertical:center;mso-position-vertical-relative:margin" fillcolor="#d9d9d9" stroked="f">'
    '<v:fill opacity=".6"/><v:textpath style="font-family:&quot;黑体&quot;;font-size:1pt" string="草稿"/>'
    '</v:shape></w:pict></w:r>'
)


def _add_watermark(doc, mark: str = WATERMARK) -> None:
    """The grey diagonal 草稿 (or 已作废) in the header of every section, so it is on every page."""
    from lxml import etree

    for section in doc.sections:
        header = section.header
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0]._p
        paragraph.append(etree.fromstring(_WATERMARK_XML.replace('string="草稿"', f'string="{mark}"')))


def _set_fonts(r_fonts, east_asia: str, latin: str = LATIN_FONT) -> None:
    r_fonts.set(w("ascii"), latin)
    r_fonts.set(w("hAnsi"), latin)
    r_fonts.set(w("eastAsia"), east_asia)
    r_fonts.set(w("cs"), latin)


def _run(paragraph, text: str, *, bold: bool = False, size: float | None = None, east_asia: str = BODY_FONT):
    """Append `<w:r>` with its fonts (East Asian one always set), weight, size and text to a `<w:p>`."""
    run = paragraph.makeelement(w("r"), {})
    properties = run.makeelement(w("rPr"), {})
    r_fonts = properties.makeelement(w("rFonts"), {w("eastAsia"): east_asia})
    if east_asia == EXT_B_FONT:
        r_fonts.set(w("hAnsi"), east_asia)  # a surrogate pair may be classed as hAnsi by some readers
    properties.append(r_fonts)
    if bold:
        properties.append(properties.makeelement(w("b"), {}))
        properties.append(properties.makeelement(w("bCs"), {}))
    if size:
        half_points = str(round(size * 2))
        properties.append(properties.makeelement(w("sz"), {w("val"): half_points}))
        properties.append(properties.makeelement(w("szCs"), {w("val"): half_points}))
    run.append(properties)
    element = run.makeelement(w("t"), {XML_SPACE: "preserve"} if text != text.strip() else {})
    element.text = text
    run.append(element)
    paragraph.append(run)
    return run


def _paragraph_properties(
    paragraph, *, keep: bool = False, line: float | None = None, before: float = 0, after: float = 0,
    first_line: float | None = None, jc: str | None = None,
) -> None:
    """`<w:pPr>` in schema order: keepNext, spacing, ind, jc."""
    properties = paragraph.makeelement(w("pPr"), {})
    if keep:
        properties.append(properties.makeelement(w("keepNext"), {}))
    if line is not None or before or after:
        spacing = properties.makeelement(w("spacing"), {})
        if before:
            spacing.set(w("before"), twips(before))
        if after:
            spacing.set(w("after"), twips(after))
        if line is not None:
            spacing.set(w("line"), twips(line))
            spacing.set(w("lineRule"), "exact")
        properties.append(spacing)
    if first_line is not None:
        properties.append(properties.makeelement(w("ind"), {w("firstLine"): twips(first_line)}))
    if jc:
        properties.append(properties.makeelement(w("jc"), {w("val"): jc}))
    existing = paragraph.find(w("pPr"))
    if existing is not None:
        paragraph.remove(existing)
    paragraph.insert(0, properties)


class _Writer:
    def __init__(self, doc, ext_b: frozenset[str]):
        from docx.shared import Mm

        self.doc = doc
        self.Mm = Mm
        self.ext_b = ext_b
        self.body = doc.element.body
        self.section_properties = self.body.find(w("sectPr"))
        self.text_width_mm = TEXT_WIDTH_MM
        self.draft = False

    def new_paragraph(self, **properties):
        """A `<w:p>` appended to the body, before the section properties."""
        paragraph = self.body.makeelement(w("p"), {})
        _paragraph_properties(paragraph, **properties)
        self.section_properties.addprevious(paragraph)
        return paragraph

    def spans(
        self, paragraph, spans: Inline | str, *, bold: bool = False, size: float | None = None, hei: bool = False,
    ) -> None:
        """Runs in 宋体 (or 黑体 for `hei`), plane-two characters in SimSun-ExtB."""
        text = spans if isinstance(spans, str) else "".join(span.text for span in spans)
        face = HEADING_FONT if hei else BODY_FONT
        for is_ext_b, piece in fonts.runs(text, self.ext_b):
            _run(paragraph, piece, bold=bold, size=size, east_asia=EXT_B_FONT if is_ext_b else face)

    # ------------------------------------------------------------------ blocks

    def write(self, document: Document) -> None:
        properties = self.doc.core_properties
        properties.title, properties.subject, properties.author = document.title, document.subject, ""
        title = self.new_paragraph(jc="center", line=TITLE_SIZE * 1.5, after=6, first_line=0)
        self.spans(title, document.title, bold=True, size=TITLE_SIZE, hei=True)
        if document.number and not self.draft:  # a report has no number line, a draft none yet
            number = self.new_paragraph(jc="right", after=10, first_line=0)
            self.spans(number, document.number)
        for block in document.blocks:
            self.block(block, keep=False)

    def block(self, block, *, keep: bool) -> None:
        indent = 2 * BODY_SIZE
        match block:
            case Heading(text=text):
                self.spans(self.new_paragraph(keep=True, before=4, first_line=indent), text, bold=True, hei=True)
            case Paragraph(text=text, label=label, indent=indented):
                paragraph = self.new_paragraph(keep=keep, first_line=indent if indented else 0, jc="both")
                self.spans(paragraph, label + "".join(span.text for span in text))
            case NumberedClauses(items=items, start=start):
                for number, item in enumerate(items, start):
                    paragraph = self.new_paragraph(keep=keep, first_line=indent, jc="both")
                    self.spans(paragraph, clause_number(number) + "".join(span.text for span in clause_text(item)))
            case PartyBlock(rows=rows):
                self.party_table(rows)
            case SignatureBlock():
                self.signatures(block)
            case KeepTogether(blocks=blocks):
                for inner in blocks:
                    self.block(inner, keep=True)
            case FinalOnly(blocks=blocks):
                for inner in () if self.draft else blocks:
                    self.block(inner, keep=keep)
            case Table():
                self.grid(block)
            case PageBreak():
                self.doc.add_page_break()
            case _:
                raise TypeError(f"unknown block {block!r}")

    def table(self, rows: int, widths_mm: list[float]):
        table = self.doc.add_table(rows=rows, cols=len(widths_mm))
        table.autofit = False
        for column, width in zip(table.columns, widths_mm):
            column.width = self.Mm(width)  # w:tblGrid, read by LibreOffice
        for row in table.rows:
            for cell, width in zip(row.cells, widths_mm):
                cell.width = self.Mm(width)  # w:tcW, read by Word
        margins = table._tbl.tblPr.makeelement(w("tblCellMar"), {})
        for side in ("left", "right"):
            margins.append(margins.makeelement(w(side), {w("w"): "0", w("type"): "dxa"}))
        look = table._tbl.tblPr.find(w("tblLook"))
        if look is not None:
            look.addprevious(margins)  # schema order: … w:tblLayout, w:tblCellMar, w:tblLook
        else:
            table._tbl.tblPr.append(margins)
        return table

    def grid(self, block: Table) -> None:
        """A ruled table: header rows repeat on each page (w:tblHeader), header and total rows bold."""
        columns = max(len(row) for row in block.rows)
        weights = block.widths or (1,) * columns
        table = self.table(len(block.rows), [self.text_width_mm * weight / sum(weights) for weight in weights])
        borders = table._tbl.tblPr.makeelement(w("tblBorders"), {})
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            borders.append(borders.makeelement(w(side), {w("val"): "single", w("sz"): "4", w("space"): "0", w("color"): "000000"}))
        properties = table._tbl.tblPr
        later = next((child for child in properties if child.tag in {w("shd"), w("tblLayout"), w("tblCellMar"), w("tblLook")}), None)
        if later is not None:  # schema order: … tblInd, tblBorders, shd, tblLayout, tblCellMar, tblLook
            later.addprevious(borders)
        else:
            properties.append(borders)
        bold_rows = set(range(block.header_rows)) | set(range(len(block.rows) - block.total_rows, len(block.rows)))
        for index, (row, cells) in enumerate(zip(block.rows, table.rows)):
            if index < block.header_rows:
                tr_pr = cells._tr.get_or_add_trPr()
                tr_pr.append(tr_pr.makeelement(w("tblHeader"), {}))
            for column, (cell, spans) in enumerate(zip(cells.cells, row)):
                paragraph = cell._tc.p_lst[0]
                if column < block.label_columns:  # a form's labels
                    _paragraph_properties(paragraph, first_line=0, before=3, after=3, jc="center")
                    self.spans(paragraph, spans, bold=True, size=12, hei=True)
                    continue
                if block.align == "left":  # a form's entries
                    _paragraph_properties(paragraph, first_line=0, before=3, after=3, jc="both")
                    self.spans(paragraph, spans, size=12)
                    continue
                numeric = column >= block.numeric_from and index >= block.header_rows
                _paragraph_properties(paragraph, first_line=0, line=TABLE_SIZE * 1.4, jc="right" if numeric else "center")
                self.spans(paragraph, spans, bold=index in bold_rows, size=TABLE_SIZE, hei=index in bold_rows)

    def party_table(self, rows) -> None:
        label_mm = max(len(row.label) for row in rows) * BODY_SIZE * 25.4 / 72 + 1.5
        table = self.table(len(rows), [label_mm, TEXT_WIDTH_MM - label_mm])
        for row, cells in zip(rows, table.rows):
            label_cell, text_cell = cells.cells
            label = label_cell._tc.p_lst[0]
            _paragraph_properties(label, first_line=0)
            self.spans(label, row.label, bold=True, hei=True)
            text = text_cell._tc.p_lst[0]
            _paragraph_properties(text, first_line=0)  # ragged: a long ID number would spread a justified line
            self.spans(text, row.text)

    def signatures(self, block: SignatureBlock) -> None:
        """Two columns of signature cells with a line to sign on; the seal in the free cell after the last one."""
        lines = list(block.lines)
        column = (TEXT_WIDTH_MM - SIGN_GAP_MM) / 2
        self.new_paragraph(keep=True, line=10, first_line=0)
        if self.draft:  # no seal on a draft
            slots = len(lines) + len(lines) % 2
        else:
            slots = len(lines) + 1 + (len(lines) + 1) % 2  # the seal takes the next free cell, on the right
        table = self.table(slots // 2, [column, SIGN_GAP_MM, column])
        for row in table.rows:
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(tr_pr.makeelement(w("cantSplit"), {}))
            for cell in row.cells:
                _paragraph_properties(cell._tc.p_lst[0], keep=True, first_line=0)
        for index, line in enumerate(lines):
            tc = table.rows[index // 2].cells[0 if index % 2 == 0 else 2]._tc
            label = tc.p_lst[0]
            _paragraph_properties(label, keep=True, before=8, after=SIGN_SPACE_PT, first_line=0)
            self.spans(label, line.role + "：")
            self.spans(label, line.name)
            self.spans(label, f"（{line.hint}）", size=SMALL_SIZE)
            self._bottom_border(tc)
        if self.draft:
            return

        seal = block.seal
        tc = table.rows[-1].cells[2]._tc
        parts = ((seal.committee, None, 12 if len(lines) % 2 else 0), (seal.hint, SMALL_SIZE, 0), (seal.date, None, 0))
        for number, (spans, size, before) in enumerate(parts):
            paragraph = tc.p_lst[0] if number == 0 else tc.makeelement(w("p"), {})
            _paragraph_properties(paragraph, keep=number < len(parts) - 1, before=before, first_line=0, jc="center",
                                  line=16 if size else None)
            self.spans(paragraph, spans, size=size)
            if number:
                tc.append(paragraph)

    @staticmethod
    def _bottom_border(tc) -> None:
        """The line to sign on: the cell's bottom border (w:tcBorders follows w:tcW in w:tcPr)."""
        borders = tc.makeelement(w("tcBorders"), {})
        bottom = {w("val"): "single", w("sz"): "6", w("space"): "0", w("color"): "000000"}
        borders.append(borders.makeelement(w("bottom"), bottom))
        tc_pr = tc.get_or_add_tcPr()
        width = tc_pr.find(w("tcW"))
        if width is not None:
            width.addnext(borders)
        else:
            tc_pr.insert(0, borders)
