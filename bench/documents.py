"""Agreement rendering (DESIGN §6: one PDF ≤ 150 ms, DOCX ≤ 100 ms) against floors measured in the same run.

Ours: content model + glyph check + renderer (`agreement_document` then `render_pdf` / `render_docx`). The floor
lays out the same strings with bare reportlab platypus in the same registered font — same page, styles, tables
and page numbers, no content model, no glyph check, no markup — and with bare python-docx for DOCX. Fonts are
registered before timing (once per process in both cases). Run standalone: `python -m bench.documents`.
"""

import argparse
import datetime as dt
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from laopan.documents import agreement_document, render_docx, render_pdf
from laopan.documents.model import (
    Document, Heading, KeepTogether, NumberedClauses, Paragraph, PartyBlock, SignatureBlock, clause_number, text_of,
)
from laopan.views.cases import AgentView, AgreementView, CaseDetail, CaseMediatorView, PartyView

COMMITTEE = "东柳街道人民调解委员会"
TARGETS_MS = {"pdf": 150.0, "docx": 100.0}
MAX_RATIO = 1.3


# ---------------------------------------------------------------- sample agreements


def _resident_id(born: dt.date, seq: int, sex: str) -> str:
    """A well-formed GB 11643 number for the sample (鄞州区 330212, sequence, sex digit, check character)."""
    first17 = f"330212{born:%Y%m%d}{seq:02d}{(1 if sex == 'male' else 2) + 2 * seq % 8}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]


def _person(seq: int, role: str, name: str, sex: str, agent: AgentView | None = None) -> PartyView:
    born = dt.date(1975 + seq, 3, seq)
    return PartyView(
        id=seq, role=role, kind="person", name=name, sex=sex, ethnicity="汉族",
        birth_date=born, id_type="resident_id", id_number=_resident_id(born, seq, sex),
        occupation="个体经营", phone=f"1385740{seq:04d}", address=f"浙江省宁波市鄞州区东柳街道幸福苑{seq}幢{seq}02室",
        credit_code=None, representative=None, agent=agent,
    )


TWO_PARTY_CLAUSES = (
    "被申请人李四于2026年10月30日前以银行转账方式一次性向申请人张三支付房屋漏水损失赔偿款人民币捌仟元整（￥8000.00）。",
    "被申请人李四应于2026年11月15日前委托具有资质的施工单位重做其卫生间防水层，施工期间申请人张三应予以配合。",
    "申请人张三收到上述款项后，应向被申请人出具收条，并不再就本次漏水事件向被申请人主张其他权利。",
    "双方应本着睦邻友好的原则相处，本协议履行完毕后，双方就本纠纷再无其他争议。",
)
FOUR_PARTY_CLAUSES = (
    "被申请人李四于2026年10月30日前以银行转账方式向申请人张三支付房屋漏水损失赔偿款人民币捌仟元整（￥8000.00）。",
    "被申请人李四于2026年10月30日前以银行转账方式向申请人王丽支付房屋漏水损失赔偿款人民币叁仟伍佰元整（￥3500.00）。",
    "第三人宁波安居物业服务有限公司于2026年11月10日前对3幢公共排水立管进行检修，检修费用由第三人承担。",
    "被申请人李四应于2026年11月15日前委托具有资质的施工单位重做其卫生间防水层，并做闭水试验不少于48小时；"
    "施工期间申请人张三、王丽应予以配合。",
    "闭水试验由第三人派员见证，试验合格后由第三人出具书面确认，交各方各执一份。",
    "申请人张三、王丽收到本协议第一、二条约定的款项后，应分别向被申请人李四出具收条。",
    "防水层重做完成之日起一年内，如因同一原因再次漏水，被申请人李四应负责修复并赔偿由此造成的直接损失。",
    "第三人应于2026年12月31日前在3幢各单元张贴公共管道使用须知，提醒业主规范使用排水设施。",
    "各方应本着睦邻友好的原则相处，不得因本纠纷相互辱骂、骚扰，不得在小区公共区域张贴涉及对方的文字。",
    "申请人张三、王丽放弃其他调解请求。本协议履行完毕后，各方就本次漏水事件再无其他争议。",
    "任何一方不履行本协议的，其他各方可以向人民调解委员会反映，也可以就履行问题依法向人民法院提起诉讼。",
    "本协议未尽事宜，由各方另行协商；协商不成的，可以再次申请调解。",
)


def sample_detail(parties: int) -> CaseDetail:
    """A settled case with a finalised written agreement: 2 parties fill 2 pages, 4 parties with 12 clauses 3."""
    people = [_person(1, "applicant", "张三", "male"), _person(2, "respondent", "李四", "male")]
    if parties >= 3:
        people.insert(1, _person(3, "applicant", "王丽", "female", AgentView("王小明", "母子", "13700001111", None, None)))
    if parties >= 4:
        people.append(PartyView(
            id=4, role="third_party", kind="organization", name="宁波安居物业服务有限公司", sex=None, ethnicity=None,
            birth_date=None, id_type=None, id_number=None, occupation=None, phone="0574-87654321",
            address="浙江省宁波市鄞州区东柳街道华光城商务楼5层", credit_code="91330212MA2AB1C3X0", representative="王建国",
            agent=AgentView("陈律", "公司员工", "13900001111", None, None),
        ))
    terms = TWO_PARTY_CLAUSES if parties <= 2 else FOUR_PARTY_CLAUSES
    who = "申请人张三" if parties <= 2 else "申请人张三、王丽"
    return CaseDetail(
        id=1, intake_no="DL20260087", received_at=dt.datetime(2026, 10, 1, 2, tzinfo=dt.UTC), source="party_application",
        source_label="当事人申请", dispute_type="neighbour", dispute_type_label="邻里纠纷", level="street", community="幸福苑",
        grid=None, summary="漏水", claims=(), amount_yuan="8000.00", status="settled", status_before_close=None,
        accepted_at=None, due_on=None, days_left=None, closed_at=None, version=1, revealed=True, parties=tuple(people),
        mediators=(CaseMediatorView(1, "潘国强", "lead", "senior"), CaseMediatorView(2, "赵小潘", "assistant", "junior"),
                   CaseMediatorView(3, "孙记", "recorder", "unknown")),
        referral=None,
        agreement=AgreementView(
            kind="written", number="（2026）东柳人调字第087号",
            facts=f"{who}与被申请人李四系幸福苑3幢上下楼邻居。2026年9月，被申请人李四家卫生间防水层老化漏水，"
                  f"导致{who}家卫生间及客厅吊顶、墙面受损。各方就赔偿金额和维修责任多次协商未果，"
                  "申请人于2026年10月1日向本委员会申请调解。",
            matters="被申请人是否应当赔偿申请人的装修损失及赔偿数额；漏水源及公共排水设施的维修责任。",
            responsibilities="被申请人对其专有部分的防水设施负有维护义务，对漏水造成的损失应承担赔偿责任；"
                             "申请人发现漏水后及时告知，无过错。",
            clauses=terms, performance_method="银行转账", performance_place="东柳街道人民调解委员会",
            performance_deadline=dt.date(2026, 11, 30), signed_on=dt.date(2026, 10, 20), effective_on=dt.date(2026, 10, 20),
            finalised=True, imported=False, revision=1,
        ),
    )


CASES = {"2 parties": 2, "4 parties, 3 pages": 4}


# ---------------------------------------------------------------- floors


def plain_items(document: Document) -> list[tuple]:
    """The document's strings in reading order, for the floors (taken outside the timed part)."""
    items: list[tuple] = [("title", document.title), ("number", text_of(document.number))]

    def walk(blocks) -> None:
        for block in blocks:
            match block:
                case Heading(text=text):
                    items.append(("heading", text_of(text)))
                case Paragraph(text=text, label=label):
                    items.append(("body", label + text_of(text)))
                case NumberedClauses(items=clauses, start=start):
                    items.extend(("body", clause_number(n) + text_of(c)) for n, c in enumerate(clauses, start))
                case PartyBlock(rows=rows):
                    items.append(("parties", [(row.label, text_of(row.text)) for row in rows]))
                case SignatureBlock(lines=lines, seal=seal):
                    items.append(("signatures", [(f"{line.role}：{text_of(line.name)}", f"（{line.hint}）") for line in lines],
                                  (text_of(seal.committee), seal.hint, text_of(seal.date))))
                case KeepTogether(blocks=inner):
                    walk(inner)

    walk(document.blocks)
    return items


def floor_pdf(items: list[tuple]) -> bytes:
    """The same strings through bare platypus: Paragraphs and Tables in the registered main font."""
    from reportlab.platypus import KeepTogether as RLKeepTogether
    from reportlab.platypus import Paragraph as RLParagraph
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table

    from laopan.documents import fonts, pdf

    styles = pdf._styles()
    width = pdf.TEXT_WIDTH
    story: list = []
    tail: list = []
    for item in items:
        kind = item[0]
        if kind in ("title", "number", "heading", "body"):
            target = tail if tail or item[1].startswith("履行方式") else story
            target.append(RLParagraph(item[1], styles[kind]))
        elif kind == "parties":
            table = Table([[RLParagraph(label, styles["label"]), RLParagraph(text, styles["flush"])] for label, text in item[1]],
                          colWidths=[88, width - 88])
            table.setStyle([("FONTNAME", (0, 0), (-1, -1), fonts.MAIN), ("VALIGN", (0, 0), (-1, -1), "TOP")])
            story.append(table)
        elif kind == "signatures":
            cells = [RLParagraph(f'{label}<font size="10.5">{hint}</font>', styles["sign"]) for label, hint in item[1]]
            if len(cells) % 2 == 0:
                cells.append("")
            cells.append([RLParagraph(text, styles["seal"]) for text in item[2]])
            column = (width - 28) / 2
            grid = Table([[cells[i], "", cells[i + 1]] for i in range(0, len(cells), 2)], colWidths=[column, 28, column])
            grid.setStyle([("FONTNAME", (0, 0), (-1, -1), fonts.MAIN), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 30), ("LINEBELOW", (0, 0), (0, -1), 0.6, "black")])
            tail += [Spacer(1, 10), grid]
    story.append(RLKeepTogether(tail))
    buffer = io.BytesIO()
    template = SimpleDocTemplate(buffer, pagesize=(pdf.PAGE_WIDTH, pdf.PAGE_HEIGHT), topMargin=pdf.TOP,
                                 bottomMargin=pdf.BOTTOM, leftMargin=pdf.LEFT, rightMargin=pdf.RIGHT,
                                 initialFontName=fonts.MAIN)
    # The same 第 n 页 共 m 页 canvas as ours: the floor pays for the page count too.
    template.build(story, canvasmaker=pdf._numbered_canvas(max(pdf.BOTTOM - 7 * pdf.MM - pdf.FOOTER_SIZE, 6 * pdf.MM)))
    return buffer.getvalue()


def floor_docx(items: list[tuple]) -> bytes:
    """The same strings through bare python-docx: A4, paragraphs, two tables with set widths, East Asian font on runs."""
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    normal = document.styles["Normal"]
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")

    def add(container, text: str, bold: bool = False) -> None:
        run = container.add_paragraph().add_run(text)
        run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
        run.bold = bold

    def table(rows: list[list[str]], widths: list[float]) -> None:
        grid = document.add_table(rows=len(rows), cols=len(widths))
        grid.autofit = False
        for column, width in zip(grid.columns, widths):
            column.width = Mm(width)
        for row, texts in zip(grid.rows, rows):
            for cell, width, text in zip(row.cells, widths, texts):
                cell.width = Mm(width)
                run = cell.paragraphs[0].add_run(text)
                run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")

    for item in items:
        kind = item[0]
        if kind in ("title", "number", "heading", "body"):
            add(document, item[1], bold=kind in ("title", "heading"))
        elif kind == "parties":
            table([list(row) for row in item[1]], [31, 125])
        elif kind == "signatures":
            cells = [f"{label}\n{hint}" for label, hint in item[1]] + ["\n".join(item[2])]
            cells += [""] * (len(cells) % 2)
            table([[cells[i], "", cells[i + 1]] for i in range(0, len(cells), 2)], [73, 10, 73])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- timing


def median_ms(run: Callable[[], object], repeat: int) -> float:
    run()  # warm: fonts registered, template read, caches filled
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def run_documents(repeat: int = 10) -> list[tuple[str, float, float]]:
    """(name, ours_ms, floor_ms) for each sample agreement as PDF and as DOCX."""
    figures = []
    for label, parties in CASES.items():
        detail = sample_detail(parties)
        items = plain_items(agreement_document(detail, COMMITTEE))
        ours_pdf = median_ms(lambda: render_pdf(agreement_document(detail, COMMITTEE)), repeat)
        floor_pdf_ms = median_ms(lambda: floor_pdf(items), repeat)
        figures.append((f"agreement PDF, {label}", ours_pdf, floor_pdf_ms))
        ours_docx = median_ms(lambda: render_docx(agreement_document(detail, COMMITTEE)), repeat)
        floor_docx_ms = median_ms(lambda: floor_docx(items), repeat)
        figures.append((f"agreement DOCX, {label}", ours_docx, floor_docx_ms))
    return figures


def target_of(name: str) -> float:
    return TARGETS_MS["pdf" if " PDF" in name else "docx"]


def write_samples(directory: Path) -> list[Path]:
    """The sample agreements as PDF and DOCX, for looking at (docs/screenshots/agreement-*.png come from these)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for parties in CASES.values():
        document = agreement_document(sample_detail(parties), COMMITTEE)
        for suffix, render in ((".pdf", render_pdf), (".docx", render_docx)):
            path = directory / f"agreement-{parties}-parties{suffix}"
            path.write_bytes(render(document))
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Agreement rendering against bare reportlab / python-docx floors")
    parser.add_argument("repeat", nargs="?", type=int, default=10)
    parser.add_argument("--samples", type=Path, help="also write the sample agreements (PDF, DOCX) to this directory")
    args = parser.parse_args(argv)
    if args.samples:
        for path in write_samples(args.samples):
            print(path)
    figures = run_documents(args.repeat)
    print(f"{'document':<34} {'ours ms':>8} {'floor ms':>9} {'ratio':>6} {'target':>7}")
    failed = False
    for name, ours, floor in figures:
        ratio = ours / floor if floor else float("nan")
        ok = ours <= target_of(name) and ratio <= MAX_RATIO
        failed |= not ok
        print(f"{name:<34} {ours:8.1f} {floor:9.1f} {ratio:6.2f} {target_of(name):7.0f} {'' if ok else '  MISSED'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
