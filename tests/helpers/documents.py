"""Content-model documents for renderer tests, built directly (not from a case): the layout checks do not depend
on how the agreement builder words things, only on the shapes an agreement has."""

import io

import pdfplumber

from laopan.documents.model import (
    Document, FinalOnly, Heading, KeepTogether, NumberedClauses, Paragraph, PartyBlock, PartyRow, SealBlock,
    SignatureBlock, SignatureLine, Span, inline,
)

COMMITTEE = "东柳街道人民调解委员会"
NUMBER = "（2026）东柳人调字第087号"
ROLES = ("申请人", "申请人", "被申请人", "第三人")
NAMES = ("张三", "王丽", "李四", "宁波安居物业服务有限公司")


def long_clause(number: int) -> str:
    return (
        f"第{number}项：被申请人李四于2026年11月{number}日前以银行转账方式向申请人张三支付人民币壹万贰仟元整"
        "（￥12000.00），收款账户为中国农业银行宁波东柳支行6228480329876543210，联系电话13812345678、"
        "0574-87654321转8008，" + "款项交接与确认均按本协议约定办理，" * 2 + "逾期未付的，按日加付万分之五。"
    )


def agreement_like(*, parties: int = 4, clauses: int = 12, draft: bool = False) -> Document:
    """A 人民调解协议书 shaped like the builder's: parties with long addresses and phones, N long clauses."""
    rows = tuple(
        PartyRow(f"{ROLES[index % 4]}：", inline(
            Span(NAMES[index % 4], f"当事人[{index + 1}].姓名"),
            "，身份证号：33021219800101000X，住址：浙江省宁波市鄞州区东柳街道安居小区"
            f"{index + 1}幢2单元1201室（东柳街道安居社区第三网格），电话：13812345678、0574-87654321转8008。",
        ))
        for index in range(parties)
    )
    items = tuple(inline(Span(long_clause(i), f"协议.条款[{i}]")) for i in range(1, clauses + 1))
    lines = tuple(SignatureLine(ROLES[i % 4], inline(NAMES[i % 4]), "签名、盖章或按指印") for i in range(parties))
    lines += (SignatureLine("人民调解员", inline("潘国强"), "签名"), SignatureLine("记录人", inline("孙记"), "签名"))
    blocks = (
        PartyBlock(rows),
        Heading(inline("纠纷主要事实：")),
        Paragraph(inline("申请人与被申请人系上下楼邻居，" * 8 + "双方协商未果。")),
        Heading(inline("经调解，各方当事人自愿达成如下协议：")),
        NumberedClauses(items[:-1]),
        KeepTogether((
            NumberedClauses(items[-1:], start=clauses),
            Paragraph(inline("以银行转账方式履行，于2026年11月30日前履行完毕。"), label="履行方式、地点、期限："),
            FinalOnly((Paragraph(inline(f"本协议一式{'五'}份，当事人各执一份，人民调解委员会留存一份。")),)),
            KeepTogether((
                Paragraph(inline("各方当事人认为有必要的，可以自本协议生效之日起三十日内共同向人民法院申请司法确认。")),
                SignatureBlock(lines, SealBlock(inline(COMMITTEE), inline("2026年10月20日"))),
            )),
        )),
    )
    return Document(title="人民调解协议书", number=inline(NUMBER), blocks=blocks, subject="人民调解协议书 DL20260087",
                    draft=draft)


MM = 72 / 25.4
TOP, BOTTOM, LEFT, RIGHT = 37 * MM, 35 * MM, 28 * MM, 26 * MM  # GB/T 9704 page, as the PDF renderer sets it


HANGING = frozenset("，。、；：！？）》」』”’")


def outside_margins(data: bytes, *, hanging: float = 0) -> list[str]:
    """Every character of a PDF whose box crosses the margins (a closing mark is squeezed into the line, never hung
    past it; the footer sits under the text block), as "page 2: '元' at x 560.1–574.1"; empty when all is inside.

    `hanging` lets closing punctuation hang that far past the right margin (标点悬挂) where a renderer path does
    not squeeze yet."""
    found = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            right = page.width - RIGHT
            for char in page.chars:
                if char["size"] > 60:  # the diagonal 草稿 / 已作废 mark is drawn across the page on purpose
                    continue
                allowance = hanging if char["text"] in HANGING else 0
                if (char["x0"] < LEFT - 0.5 or char["x1"] > right + 0.5 + allowance or char["top"] < TOP - 0.5
                        or char["bottom"] > page.height - 6 * MM):
                    found.append(f"page {number}: {char['text']!r} at x {char['x0']:.1f}–{char['x1']:.1f}, top {char['top']:.1f}")
    return found


def assert_within_margins(data: bytes, *, hanging: float = 0) -> None:
    """No character of a portrait document crosses the margins (see `outside_margins`)."""
    found = outside_margins(data, hanging=hanging)
    assert not found, "\n".join(found[:10])
