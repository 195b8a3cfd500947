"""Layout and typography of printed documents (issue 12 items 2, 6, 7; DESIGN §5): the Song face embedded as a
subset, nothing past the margins, a heading never ends a page, 第 n 页 共 m 页 on every page, drafts marked 草稿
on every page without number or seal, the oral agreement register, and the DOCX naming the same faces."""

import datetime as dt
import io
import re

import pdfplumber
import pytest
from docx import Document as read_docx
from pypdf import PdfReader

from laopan.documents import render_docx, render_pdf
from laopan.documents.model import Document, Heading, NumberedClauses, Span, inline
from laopan.documents.oral import OralParty, OralRegister, build_oral_register
from tests.helpers.documents import NUMBER, agreement_like, outside_margins

HEADING = "经调解，各方当事人自愿达成如下协议："


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pages_text(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [squeeze(page.extract_text() or "") for page in pdf.pages]


@pytest.fixture(scope="module")
def final_pdf() -> bytes:
    return render_pdf(agreement_like(parties=4, clauses=12))


@pytest.fixture(scope="module")
def draft_pdf() -> bytes:
    return render_pdf(agreement_like(parties=4, clauses=12, draft=True))


def oral_register(**changes) -> OralRegister:
    values = dict(
        committee="东柳街道人民调解委员会",
        parties=(
            OralParty("申请人", "张三", "男", "汉族", "46岁", "330212198001010015", "个体经营",
                      "浙江省宁波市鄞州区东柳街道安居小区1幢201室", "13812340001"),
            OralParty("被申请人", "李四", "男", "汉族", "52岁", phone="13812340002"),
        ),
        facts="双方系上下楼邻居，被申请人家空调外机滴水落在申请人阳台，双方发生争执。",
        clauses=("被申请人于2026年12月10日前为空调外机加装接水管。", "申请人不再就此事主张其他权利。"),
        performance="被申请人自行加装接水管，于2026年12月10日前完成。",
        mediators=("潘国强", "赵小潘"), registrar="孙记", registered_on=dt.date(2026, 12, 4),
    )
    values.update(changes)
    return OralRegister(**values)


def test_the_body_is_set_in_the_bundled_song_face_embedded_as_a_subset(final_pdf):
    fonts = {}
    for page in PdfReader(io.BytesIO(final_pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    song = [name for name in fonts if "LaopanSong" in name]
    assert song and all(re.match(r"/?[A-Z]{6}\+", name) for name in song)  # a subset tag: AAAAAA+LaopanSong
    for name in song:
        descriptor = fonts[name]["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor  # TrueType outlines embedded
    assert any("WenQuanYi" in name for name in fonts)  # the Hei title


def test_nothing_crosses_the_margins(final_pdf):
    assert outside_margins(final_pdf) == []


def test_the_clause_heading_never_ends_a_page():
    for clauses in range(1, 13):
        pages = pages_text(render_pdf(agreement_like(parties=4, clauses=clauses)))
        heading_page = next(index for index, text in enumerate(pages) if squeeze(HEADING) in text)
        assert "一、" in pages[heading_page].split(squeeze(HEADING), 1)[1], clauses


def test_a_heading_goes_over_with_its_first_line_even_in_a_plain_document():
    filler = tuple(inline("条款内容" * 30) for _ in range(8))
    blocks = (NumberedClauses(filler), Heading(inline("小标题：")), NumberedClauses(filler, start=9))
    pages = pages_text(render_pdf(Document("测试", (), blocks)))
    page = next(index for index, text in enumerate(pages) if "小标题：" in text)
    assert "九、" in pages[page]


def test_every_page_says_page_n_of_m(final_pdf):
    pages = pages_text(final_pdf)
    assert len(pages) >= 3
    for number, text in enumerate(pages, 1):
        assert text.endswith(f"第{number}页共{len(pages)}页")


def test_the_text_is_closed_when_the_signatures_start_a_page(final_pdf):
    pages = pages_text(final_pdf)
    seal = next(index for index, text in enumerate(pages) if "（人民调解委员会印章）" in text)
    text_end = next(index for index, text in enumerate(pages) if "申请司法确认" in text)
    if text_end < seal:
        assert re.sub(r"第\d+页共\d+页$", "", pages[text_end]).endswith("（以下无正文）")
    else:
        assert "（以下无正文）" not in "".join(pages)


def test_a_clause_is_numbered_once():
    pages = "".join(pages_text(render_pdf(agreement_like(parties=2, clauses=3))))
    assert "一、被申请人李四" in pages and "第1项" not in pages and "一、第" not in pages


def test_a_draft_carries_the_watermark_on_every_page_and_no_number_or_seal(draft_pdf, final_pdf):
    with pdfplumber.open(io.BytesIO(draft_pdf)) as pdf:
        assert len(pdf.pages) >= 2
        for page in pdf.pages:
            marks = [char for char in page.chars if char["text"] in "草稿" and char["size"] > 60]
            assert {char["text"] for char in marks} == {"草", "稿"}
            assert all(abs(char["matrix"][1]) > 0.5 for char in marks)  # turned: diagonal
    text = "".join(pages_text(draft_pdf))
    assert NUMBER not in text and "人民调解委员会印章" not in text and "2026年10月20日" not in text
    assert "一式五份" not in text  # a FinalOnly block
    assert "申请人：张三" in text and "人民调解员：潘国强" in text  # the signature lines stay
    final = "".join(pages_text(final_pdf))
    assert NUMBER in final and "人民调解委员会印章" in final and "一式五份" in final and "草稿" not in final


def test_the_oral_register_reads_back_with_its_headings():
    data = render_pdf(build_oral_register(oral_register(register_number="东柳口登〔2026〕12号")))
    text = "".join(pages_text(data))
    for expected in ("人民调解口头协议登记表", "当事人基本情况", "纠纷简要情况", "协议内容", "履行方式及期限",
                     "调解员", "登记人", "登记日期", "2026年12月4日", "当事人确认（签名）", "一、被申请人于",
                     "二、申请人不再", "潘国强、赵小潘", "孙记", "编号：东柳口登〔2026〕12号", "张三", "330212198001010015"):
        assert expected in text, expected
    assert "人调字" not in text and "一式" not in text and "第1页共1页" in text


def test_the_oral_register_without_a_register_number_has_no_number():
    text = "".join(pages_text(render_pdf(build_oral_register(oral_register()))))
    assert "编号" not in text and "东柳街道人民调解委员会" in text


def test_the_oral_register_docx_carries_the_same_form():
    document = read_docx(io.BytesIO(render_docx(build_oral_register(oral_register()))))
    (table,) = document.tables
    labels = [row.cells[0].text for row in table.rows]
    assert labels[:4] == ["当事人\n基本情况", "纠纷简要情况", "协议内容", "履行方式及期限"]
    assert "2026年12月4日" in table.rows[6].cells[1].text


def docx_xml(data: bytes) -> tuple[str, str, str]:
    document = read_docx(io.BytesIO(data))
    section = document.sections[0]
    return document.element.xml, section.header._element.xml, section.footer._element.xml


def test_docx_names_song_for_text_and_hei_for_title_as_east_asian_fonts():
    body, _, _ = docx_xml(render_docx(agreement_like(parties=2, clauses=2)))
    assert 'w:eastAsia="宋体"' in body and 'w:eastAsia="黑体"' in body


def test_docx_footer_counts_pages_with_fields():
    _, _, footer = docx_xml(render_docx(agreement_like(parties=2, clauses=2)))
    assert " PAGE " in footer and " NUMPAGES " in footer and "共" in footer


def test_docx_draft_has_the_watermark_in_its_header_and_no_number_or_seal():
    data = render_docx(agreement_like(parties=2, clauses=2, draft=True))
    body, header, _ = docx_xml(data)
    assert 'string="草稿"' in header and "rotation:315" in header
    assert NUMBER not in body and "人民调解委员会印章" not in body and "一式五份" not in body
    final_body, final_header, _ = docx_xml(render_docx(agreement_like(parties=2, clauses=2)))
    assert "草稿" not in final_header and NUMBER in final_body


def test_an_own_number_in_clause_text_is_dropped_in_docx_as_well():
    body, _, _ = docx_xml(render_docx(agreement_like(parties=2, clauses=2)))
    assert "第1项" not in body and "一、被申请人李四" in body


def test_a_span_field_survives_when_its_number_is_dropped():
    from laopan.documents.model import clause_text

    (span,) = clause_text((Span("第3项：甲支付乙", "协议.条款[3]"),))
    assert span == Span("甲支付乙", "协议.条款[3]")
    assert clause_text(inline("1.5万元由甲支付")) == inline("1.5万元由甲支付")
