"""The 人民调解协议书 as PDF and DOCX (DESIGN §4 agreement content, §5 documents): every required element is in
both files, the fonts are embedded subsets, rare name characters use the bundled fallback, a character no bundled
font has is reported by field before anything is written, and the signatures never stand alone on a page."""

import dataclasses
import datetime as dt
import io
import re
import subprocess
import sys

import pdfplumber
import pytest
from docx import Document as read_docx
from docx.oxml.ns import qn
from pypdf import PdfReader

from laopan import resources
from laopan.documents import agreement_document, check_glyphs, render_docx, render_pdf
from laopan.documents.agreement import EFFECTIVENESS, JUDICIAL_CONFIRMATION, copies_sentence
from laopan.documents.model import Document, Paragraph, Span, chinese_numeral, inline
from laopan.errors import Refused
from laopan.views.cases import AgentView, AgreementView, CaseDetail, CaseMediatorView, PartyView

COMMITTEE = "东柳街道人民调解委员会"
NUMBER = "（2026）东柳人调字第087号"
CLAUSES = (
    "被申请人李四于2026年10月30日前以银行转账方式一次性向申请人张三支付人民币捌仟元整（￥8000.00），用于赔偿房屋漏水造成的装修损失。",
    "申请人张三收到上述款项后，不再就本次漏水事件向被申请人李四主张其他任何权利。",
    "被申请人李四应于2026年11月15日前自行维修其卫生间防水层，维修期间申请人张三应予以配合。",
)
FACTS = (
    "申请人张三与被申请人李四系上下楼邻居。2026年9月，被申请人李四家卫生间防水层老化漏水，导致申请人张三家卫生间及"
    "客厅吊顶、墙面受损。双方就赔偿金额多次协商未果，申请人于2026年10月1日向本委员会申请调解。"
)


def person(seq: int, role: str, name: str, *, sex: str = "male", agent: AgentView | None = None) -> PartyView:
    return PartyView(
        id=seq, role=role, kind="person", name=name, sex=sex, ethnicity="汉族", birth_date=dt.date(1980, 1, seq),
        id_type="resident_id", id_number=f"3302121980010{seq:04d}X", occupation="个体经营", phone=f"1381234{seq:04d}",
        address=f"浙江省宁波市鄞州区东柳街道安居小区{seq}幢201室", credit_code=None, representative=None, agent=agent,
    )


def organization(seq: int, role: str, name: str) -> PartyView:
    return PartyView(
        id=seq, role=role, kind="organization", name=name, sex=None, ethnicity=None, birth_date=None, id_type=None,
        id_number=None, occupation=None, phone="0574-87654321", address="浙江省宁波市鄞州区东柳街道华光城商务楼5层",
        credit_code="91330212MA2AB1C3X0", representative="王建国",
        agent=AgentView(name="陈律", relation="公司员工", phone="13900001111", id_number=None, address=None),
    )


def detail(parties, *, clauses=CLAUSES, number: str | None = NUMBER, signed_on=dt.date(2026, 10, 20), kind="written") -> CaseDetail:
    return CaseDetail(
        id=1, intake_no="DL20260087", received_at=dt.datetime(2026, 10, 1, 2, tzinfo=dt.UTC), source="party_application",
        source_label="当事人申请", dispute_type="neighbour", dispute_type_label="邻里纠纷", level="street", community="安居",
        grid=None, summary="漏水", claims=(), amount_yuan="8000.00", status="settled", status_before_close=None,
        accepted_at=None, due_on=None, days_left=None, closed_at=None, version=1, revealed=True, parties=tuple(parties),
        mediators=(
            CaseMediatorView(1, "潘国强", "lead", "senior"), CaseMediatorView(2, "赵小潘", "assistant", "junior"),
            CaseMediatorView(3, "孙记", "recorder", "unknown"),
        ),
        referral=None,
        agreement=AgreementView(
            kind=kind, number=number, facts=FACTS, matters="被申请人是否应当赔偿申请人的装修损失及赔偿数额。",
            responsibilities="被申请人对其专有部分的防水设施负有维护义务，应承担赔偿责任。", clauses=tuple(clauses),
            performance_method="银行转账", performance_place="东柳街道人民调解委员会",
            performance_deadline=dt.date(2026, 10, 30), signed_on=signed_on, effective_on=signed_on, finalised=True,
            imported=False, revision=1,
        ),
    )


TWO = (person(1, "applicant", "张三"), person(2, "respondent", "李四"))
FOUR = (
    person(1, "applicant", "张三", agent=AgentView(name="张小明", relation="父子", phone="13700001111", id_number=None, address=None)),
    person(2, "applicant", "王丽", sex="female"),
    person(3, "respondent", "李四"),
    organization(4, "third_party", "宁波安居物业服务有限公司"),
)
MANY_CLAUSES = tuple(
    f"第{i}项：各方当事人同意，" + "本项所涉款项的支付、交接与确认均按本协议约定办理，" * 3
    + f"本条款所涉款项人民币壹仟元整（￥1000.00）由被申请人于2026年11月{i}日前支付。"
    for i in range(1, 13)
)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_pages(data: bytes, *, footer: bool = False) -> list[str]:
    """Each page's text, squeezed; without its 第n页共m页 footer unless asked (text runs on across pages)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = [squeeze(page.extract_text() or "") for page in pdf.pages]
    return pages if footer else [re.sub(r"第\d+页共\d+页$", "", text) for text in pages]


def pdf_signature_columns(data: bytes) -> str:
    """The last page read column by column (left half, then right half): the signature grid has two columns."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[-1]
        middle = page.width * (28 + (210 - 28 - 26) / 2) / 210
        halves = (page.crop((0, 0, middle, page.height)), page.crop((middle, 0, page.width, page.height)))
        return "".join(squeeze(half.extract_text() or "") for half in halves)


def pdf_fonts(data: bytes) -> list[dict]:
    fonts = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    return list(fonts.values())


def docx_text(data: bytes) -> str:
    document = read_docx(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return squeeze("".join(parts))


@pytest.fixture(scope="module")
def two_party():
    document = agreement_document(detail(TWO), COMMITTEE)
    return document, render_pdf(document), render_docx(document)


@pytest.fixture(scope="module")
def four_party():
    document = agreement_document(detail(FOUR, clauses=MANY_CLAUSES), COMMITTEE)
    return document, render_pdf(document), render_docx(document)


# ---------------------------------------------------------------- content in both formats


def required_texts(parties, clauses) -> list[str]:
    count = len(parties)
    notice = JUDICIAL_CONFIRMATION if count == 2 else JUDICIAL_CONFIRMATION.replace("双方", "各方")
    return [
        "人民调解协议书", NUMBER, *(p.name for p in parties), *(squeeze(re.sub(r"^第\d+项：", "", c)) for c in clauses),
        copies_sentence(count), EFFECTIVENESS, notice, "纠纷主要事实", "争议事项", "各方责任",
        "以银行转账方式履行", "于2026年10月30日前履行完毕", "2026年10月20日", COMMITTEE, "（人民调解委员会印章）",
        "人民调解员：潘国强", "人民调解员：赵小潘", "记录人：孙记",
    ]


def test_two_party_pdf_carries_every_required_element(two_party):
    _, pdf, _ = two_party
    text = "".join(pdf_pages(pdf))
    for expected in required_texts(TWO, CLAUSES):
        assert squeeze(expected) in text, expected
    assert "本协议一式三份，当事人各执一份，人民调解委员会留存一份。" in text
    for party in TWO:  # particulars in full: the caller passed a revealed detail
        assert party.id_number in text and party.phone in text and squeeze(party.address) in text
    columns = pdf_signature_columns(pdf)
    assert "申请人：张三（签名、盖章或按指印）" in columns and "被申请人：李四（签名、盖章或按指印）" in columns


def test_two_party_docx_carries_the_same_elements(two_party):
    _, _, docx = two_party
    text = docx_text(docx)
    for expected in required_texts(TWO, CLAUSES):
        assert squeeze(expected) in text, expected
    assert "本协议一式三份" in text


def test_four_parties_get_five_copies_and_every_signature_line(four_party):
    _, pdf, docx = four_party
    for text in ("".join(pdf_pages(pdf)), docx_text(docx)):
        for expected in required_texts(FOUR, MANY_CLAUSES):
            assert squeeze(expected) in text, expected
        assert "本协议一式五份" in text
        assert "统一社会信用代码：91330212MA2AB1C3X0" in text and "法定代表人：王建国" in text
        assert "委托代理人：张小明（父子），电话：13700001111。" in text
    assert "第三人：宁波安居物业服务有限公司（盖章）" in pdf_signature_columns(pdf)
    assert "第三人：宁波安居物业服务有限公司（盖章）" in docx_text(docx)


@pytest.mark.parametrize(("count", "words"), [(1, "一"), (3, "三"), (5, "五"), (10, "十"), (11, "十一"), (20, "二十"), (36, "三十六")])
def test_counts_read_as_chinese_numerals(count, words):
    assert chinese_numeral(count) == words


def test_clauses_are_numbered_in_chinese(four_party):
    _, pdf, _ = four_party
    text = "".join(pdf_pages(pdf))
    assert "一、各方当事人同意" in text and "十、各方当事人同意" in text and "十二、各方当事人同意" in text
    assert "第1项" not in text and "第12项" not in text  # the clause's own number is not printed twice


def test_a_draft_prints_without_number_seal_or_date():
    document = agreement_document(detail(TWO, number=None, signed_on=None), COMMITTEE)
    assert document.draft
    text = "".join(pdf_pages(render_pdf(document)))
    assert "待定稿" not in text and "人调字" not in text
    assert "（人民调解委员会印章）" not in text and "2026年10月20日" not in text


def test_mediator_names_can_be_given_by_the_caller():
    document = agreement_document(detail(TWO), COMMITTEE, mediators=["钱一", "钱二", "钱三"], recorder="")
    text = docx_text(render_docx(document))
    assert "人民调解员：钱一" in text and "人民调解员：钱三" in text and "记录人：（签名）" in text


def test_oral_agreements_and_cases_without_agreement_are_refused():
    with pytest.raises(Refused, match="口头协议"):
        agreement_document(detail(TWO, kind="oral"), COMMITTEE)
    with pytest.raises(Refused, match="尚无调解协议"):
        agreement_document(dataclasses.replace(detail(TWO), agreement=None), COMMITTEE)


def test_markup_characters_in_data_are_printed_literally():
    clauses = ("甲方<b>不得</b>再以 A&B 名义 & 主张 &amp; 权利。",)
    document = agreement_document(detail(TWO, clauses=clauses), COMMITTEE)
    assert squeeze(clauses[0]) in "".join(pdf_pages(render_pdf(document)))
    assert squeeze(clauses[0]) in docx_text(render_docx(document))


# ---------------------------------------------------------------- PDF fonts and layout


def test_pdf_embeds_subsets_of_its_truetype_fonts_and_nothing_else(two_party):
    _, pdf, _ = two_party
    fonts = pdf_fonts(pdf)
    assert fonts
    for font in fonts:
        assert re.fullmatch(r"/[A-Z]{6}\+\S+", font["/BaseFont"]), font["/BaseFont"]
        assert "/FontFile2" in font["/FontDescriptor"].get_object()
        assert "/ToUnicode" in font
    assert not any("Helvetica" in font["/BaseFont"] for font in fonts)


def test_a_rare_name_character_is_drawn_with_the_bundled_fallback_font():
    parties = (dataclasses.replace(TWO[0], name="吉𠮷"), dataclasses.replace(TWO[1], name="王䶮"))
    document = agreement_document(detail(parties), COMMITTEE)
    assert check_glyphs(document) == []
    pdf = render_pdf(document)
    names = [font["/BaseFont"] for font in pdf_fonts(pdf)]
    assert any(name.endswith("+LaopanExtFallback") for name in names), names
    assert any("WenQuanYi" in name for name in names)
    text = "".join(pdf_pages(pdf))
    assert "申请人：吉𠮷" in text and "被申请人：王䶮" in text  # U+20BB7 extracts: its ToUnicode entry is UTF-16
    assert "吉𠮷" in squeeze(PdfReader(io.BytesIO(pdf)).pages[0].extract_text())


def test_the_main_font_stays_in_use_when_nothing_is_missing(two_party):
    _, pdf, _ = two_party
    assert not any("Fallback" in font["/BaseFont"] for font in pdf_fonts(pdf))


def test_four_party_agreement_flows_over_pages_and_keeps_the_signature_grid_whole(four_party):
    _, pdf, _ = four_party
    pages = pdf_pages(pdf, footer=True)
    assert len(pages) >= 3
    seal_page = next(index for index, text in enumerate(pages) if "（人民调解委员会印章）" in text)
    for signature_part in ("（签名、盖章或按指印）", "（盖章）", "人民调解员：潘国强", "记录人：孙记", "2026年10月20日"):
        (page,) = [index for index, text in enumerate(pages) if signature_part in text]
        assert page == seal_page, signature_part
    for number, text in enumerate(pages, 1):
        assert text.endswith(f"第{number}页共{len(pages)}页")


def test_text_ends_with_no_text_below_when_the_signatures_start_a_page():
    """DESIGN §5: the signatures follow the text on its page when they fit; else they start the next page and the
    text is closed by （以下无正文）, so nothing can be added above them — and no page is left mostly blank."""
    for count in range(1, len(MANY_CLAUSES) + 1):
        clauses = MANY_CLAUSES[:count]
        pages = pdf_pages(render_pdf(agreement_document(detail(FOUR, clauses=clauses), COMMITTEE)))
        seal_page = next(index for index, text in enumerate(pages) if "（人民调解委员会印章）" in text)
        notice_page = next(index for index, text in enumerate(pages) if "申请司法确认" in text)
        if notice_page == seal_page:
            assert "（以下无正文）" not in "".join(pages), count
        else:
            assert notice_page == seal_page - 1 and pages[notice_page].endswith("（以下无正文）"), count
            assert pages[seal_page].startswith("申请人：张三"), count


def test_chinese_punctuation_never_starts_a_line(four_party):
    _, pdf, _ = four_party
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        lines = [line.strip() for page in document.pages for line in (page.extract_text() or "").splitlines()]
    assert lines
    offending = [line for line in lines if line[:1] in "，。、；：？！）》”"]
    assert offending == []


def test_body_lines_are_justified_to_the_right_margin(two_party):
    _, pdf, _ = two_party
    right_edge = (210 - 26) * 72 / 25.4
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        chars = document.pages[0].chars
    rows: dict[int, list] = {}
    for char in chars:
        rows.setdefault(round(char["top"]), []).append(char)
    lines = [sorted(row, key=lambda c: c["x0"]) for _, row in sorted(rows.items())]
    texts = ["".join(c["text"] for c in line) for line in lines]
    facts = lines[texts.index("纠纷主要事实：") + 1:texts.index("争议事项：") - 1]  # all but the paragraph's last line
    assert len(facts) >= 2
    for line in facts:
        end = line[-1]
        assert end["x1"] == pytest.approx(right_edge, abs=1.0) or (end["text"] in "，。、" and end["x0"] < right_edge)


# ---------------------------------------------------------------- characters no bundled font has


def test_a_character_outside_every_bundled_font_is_reported_with_its_field():
    parties = (TWO[0], dataclasses.replace(TWO[1], name="张\U00030EDE", address="宁波市\ue000路"))
    document = agreement_document(detail(parties), COMMITTEE)
    errors = check_glyphs(document)
    assert [(e.field, e.message) for e in errors] == [
        ("当事人[2].姓名", '"张\U00030EDE" 字体缺字：\U00030EDE（U+30EDE）'),
        ("当事人[2].住址", '"宁波市\ue000路" 字体缺字：\ue000（U+E000）'),
    ]
    assert str(errors[0]) == '当事人[2].姓名: "张\U00030EDE" 字体缺字：\U00030EDE（U+30EDE）'
    for render in (render_pdf, render_docx):
        with pytest.raises(Refused) as refused:
            render(document)
        assert [e.field for e in refused.value.errors] == ["当事人[2].姓名", "当事人[2].住址"]


def test_a_long_text_is_quoted_around_the_missing_character():
    text = "甲" * 40 + "\U00030EDE" + "乙" * 40
    document = Document(title="测试", number=inline("编号"), blocks=(Paragraph(inline(Span(text, "协议.纠纷主要事实"))),))
    (error,) = check_glyphs(document)
    assert error.field == "协议.纠纷主要事实"
    assert error.message.startswith('"…' + "甲" * 12 + "\U00030EDE" + "乙" * 12 + '…"')


def test_a_clean_document_has_nothing_to_report(two_party):
    document, _, _ = two_party
    assert check_glyphs(document) == []


# ---------------------------------------------------------------- DOCX structure


def test_docx_is_a4_with_east_asian_fonts_on_styles_and_runs(two_party):
    _, _, data = two_party
    document = read_docx(io.BytesIO(data))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "宋体"
    runs = document.element.body.iter(qn("w:r"))
    def east_asian_font(run) -> str | None:
        fonts = run.rPr.rFonts if run.rPr is not None else None
        return fonts.get(qn("w:eastAsia")) if fonts is not None else None

    missing = [r for r in runs if r.find(qn("w:t")) is not None and not east_asian_font(r)]
    assert missing == []


def test_docx_tables_set_widths_on_the_grid_and_on_every_cell(two_party):
    _, _, data = two_party
    document = read_docx(io.BytesIO(data))
    assert len(document.tables) == 2  # parties, signatures
    for table in document.tables:
        grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert len(set(grid)) > 1  # not LibreOffice's equal columns
        for row in table.rows:
            assert [cell.width for cell in row.cells] == [column.width for column in table.columns]
        layout = table._tbl.tblPr.find(qn("w:tblLayout"))
        assert layout is not None and layout.get(qn("w:type")) == "fixed"  # autofit off


def test_docx_keeps_the_last_clause_with_the_signatures(two_party):
    _, _, data = two_party
    document = read_docx(io.BytesIO(data))
    paragraphs = document.paragraphs
    (last_clause,) = [p for p in paragraphs if p.text.startswith("三、")]
    assert last_clause.paragraph_format.keep_with_next
    following = paragraphs[paragraphs.index(last_clause):]
    assert all(p.paragraph_format.keep_with_next for p in following[:-3])
    signatures = document.tables[1]
    for row in signatures.rows:
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None
        assert all(cell.paragraphs[0].paragraph_format.keep_with_next for cell in row.cells)


def test_docx_footer_has_a_page_number_field(two_party):
    _, _, data = two_party
    footer = read_docx(io.BytesIO(data)).sections[0].footer
    xml = footer._element.xml
    assert " PAGE " in xml and " NUMPAGES " in xml and 'w:fldCharType="begin"' in xml
    assert footer.paragraphs[0].text == "第 1 页 共 1 页"  # the fields' cached values until Word updates them


def test_docx_sets_an_ext_b_font_on_plane_two_characters():
    parties = (dataclasses.replace(TWO[0], name="吉𠮷"), TWO[1])
    data = render_docx(agreement_document(detail(parties), COMMITTEE))
    document = read_docx(io.BytesIO(data))
    runs = [r for p in document.tables[0].rows[0].cells[1].paragraphs for r in p.runs]
    (rare,) = [r for r in runs if r.text == "𠮷"]
    assert rare._r.rPr.rFonts.get(qn("w:eastAsia")) == "SimSun-ExtB"
    assert "吉𠮷" in docx_text(data)


# ---------------------------------------------------------------- packaging


def test_fonts_ship_with_their_licences():
    assert resources.path("fonts/hanamin-ext.ttf").stat().st_size < 8_000_000
    licence = resources.path("fonts/hanamin-ext.LICENSE").read_text(encoding="utf-8")
    assert "Hanazono Font License" in licence and "GlyphWiki" in licence
    assert resources.path("fonts/wqy-microhei.COPYING").exists()


def test_importing_the_documents_package_loads_neither_reportlab_nor_python_docx():
    code = "import sys, laopan.documents; print(sorted(m for m in ('reportlab', 'docx') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
