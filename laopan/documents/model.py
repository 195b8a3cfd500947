"""The content model of a document: written once by a builder (e.g. `agreement.py`), drawn by two renderers.

A small tree of frozen dataclasses. Every piece of text is a `Span` that remembers which field it came from,
so that a character no bundled font can draw is reported against the field the user has to correct.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

__all__ = [
    "Block", "Document", "FinalOnly", "Heading", "Inline", "KeepTogether", "NumberedClauses", "PageBreak",
    "Paragraph", "PartyBlock", "PartyRow", "SealBlock", "SignatureBlock", "SignatureLine", "Span", "Table", "chinese_numeral",
    "clause_number", "clause_text", "inline", "spans_of", "text_of",
]


@dataclass(frozen=True)
class Span:
    """A run of text; `field` names its source in Chinese (当事人[1].姓名), empty for the document's own wording."""

    text: str
    field: str = ""


Inline = tuple[Span, ...]


def inline(*parts: str | Span) -> Inline:
    """Spans from strings (the document's own wording) and spans (data), dropping empty ones."""
    spans = (part if isinstance(part, Span) else Span(part) for part in parts)
    return tuple(span for span in spans if span.text)


def text_of(spans: Inline) -> str:
    return "".join(span.text for span in spans)


@dataclass(frozen=True)
class Heading:
    """A section heading on its own line, e.g. 纠纷主要事实："""

    text: Inline


@dataclass(frozen=True)
class Paragraph:
    """Body text; `label` is set in the heading style before it on the same line (履行期限：…)."""

    text: Inline
    label: str = ""
    indent: bool = True


@dataclass(frozen=True)
class NumberedClauses:
    """一、二、三、… ; `start` lets a list continue after a split (the last clause kept with the signatures)."""

    items: tuple[Inline, ...]
    start: int = 1


@dataclass(frozen=True)
class PartyRow:
    """One line of the parties block: a role label (申请人) and that party's particulars."""

    label: str
    text: Inline


@dataclass(frozen=True)
class PartyBlock:
    rows: tuple[PartyRow, ...]


@dataclass(frozen=True)
class SignatureLine:
    """Where one person signs: 申请人 张三 （签名、盖章或按指印）. `name` is empty for a blank to fill by hand."""

    role: str
    name: Inline
    hint: str


@dataclass(frozen=True)
class SealBlock:
    """The committee's name, the place of its seal, and the date the seal covers."""

    committee: Inline
    date: Inline
    hint: str = "（人民调解委员会印章）"


@dataclass(frozen=True)
class SignatureBlock:
    lines: tuple[SignatureLine, ...]
    seal: SealBlock


@dataclass(frozen=True)
class KeepTogether:
    """Blocks that must share a page (the last clause and the signatures: a signature page never stands alone)."""

    blocks: tuple["Block", ...]


@dataclass(frozen=True)
class Table:
    """A ruled grid (a report's figures): the first `header_rows` rows repeat on every page and are set bold,
    and so are the last `total_rows` (合计). `widths` are relative column widths (equal when empty); columns
    from `numeric_from` on are right-aligned. A form (登记表) sets `label_columns` (those columns bold, centred)
    and `align="left"` (its other cells flush left, text that wraps)."""

    rows: tuple[tuple[Inline, ...], ...]
    header_rows: int = 1
    total_rows: int = 0
    widths: tuple[float, ...] = ()
    numeric_from: int = 1
    label_columns: int = 0
    align: str = "center"


@dataclass(frozen=True)
class FinalOnly:
    """Blocks printed on the final document only, left out of a draft (`Document.draft`): e.g. a sentence that
    is true only once the agreement is numbered and sealed."""

    blocks: tuple["Block", ...]


@dataclass(frozen=True)
class PageBreak:
    """The next block starts a new page (a dossier's cover, then its 卷内目录)."""


Block = Heading | Paragraph | NumberedClauses | PartyBlock | SignatureBlock | KeepTogether | Table | FinalOnly | PageBreak


@dataclass(frozen=True)
class Document:
    """`number` is the line under the title (（2026）东柳人调字第087号, or 编号：待定稿).

    `draft`: an unfinalised document. Both renderers then draw a diagonal grey 草稿 across every page and leave
    out the number line, every `SealBlock` (the committee's name, seal place and date; the signature lines stay)
    and every `FinalOnly` block. A builder sets `draft` and need not remove anything itself.

    `void`: a document no longer in force (a superseded agreement) carries this word (已作废) across every page
    the same way, so no single page of it passes for the one in force; it keeps its number and seal.
    """

    title: str
    number: Inline
    blocks: tuple[Block, ...]
    subject: str = ""
    landscape: bool = False
    """A4 turned sideways with narrower margins (a wide report table), instead of the GB/T 9704 portrait page."""
    draft: bool = False
    void: str = ""


def spans_of(document: Document) -> Iterator[Span]:
    """Every piece of text the renderers will draw, labels and fixed wording included."""
    yield Span(document.title)
    yield from document.number
    stack = list(reversed(document.blocks))
    while stack:
        block = stack.pop()
        match block:
            case Heading(text=text):
                yield from text
            case Paragraph(text=text, label=label):
                yield Span(label)
                yield from text
            case NumberedClauses(items=items, start=start):
                for number, item in enumerate(items, start):
                    yield Span(clause_number(number))
                    yield from clause_text(item)
            case PartyBlock(rows=rows):
                for row in rows:
                    yield Span(row.label)
                    yield from row.text
            case SignatureBlock(lines=lines, seal=seal):
                for line in lines:
                    yield Span(line.role)
                    yield from line.name
                    yield Span(line.hint)
                yield from seal.committee
                yield Span(seal.hint)
                yield from seal.date
            case KeepTogether(blocks=blocks) | FinalOnly(blocks=blocks):
                stack.extend(reversed(blocks))
            case Table(rows=rows):
                for row in rows:
                    for cell in row:
                        yield from cell
            case PageBreak():
                pass
            case _:
                raise TypeError(f"unknown block {block!r}")


_NUMERALS = "零一二三四五六七八九"


def chinese_numeral(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (counts and clause numbers up to 99)."""
    if not 0 < number < 100:
        raise ValueError(f"out of range: {number}")
    tens, ones = divmod(number, 10)
    if tens == 0:
        return _NUMERALS[ones]
    return ("" if tens == 1 else _NUMERALS[tens]) + "十" + (_NUMERALS[ones] if ones else "")


def clause_number(number: int) -> str:
    """一、 … 九十九、 (beyond that, 100、 — an agreement never gets there, but nothing breaks if it does)."""
    return f"{chinese_numeral(number)}、" if number < 100 else f"{number}、"


# A number the clause text brings itself: 第1项： 第二条、 一、 1. 1、 （一） — the renderer's 一、 is the only one.
_OWN_NUMBER = re.compile(
    r"^\s*(?:第[0-9一二三四五六七八九十百]+[项条款][：:、，,.．\s]*|[一二三四五六七八九十]+[、.．]\s*"
    r"|[0-9]+(?:[、．]|\.(?![0-9]))\s*|[（(][0-9一二三四五六七八九十]+[）)]\s*)"
)


def clause_text(item: Inline) -> Inline:
    """A clause without a number of its own at the start (it is printed after 一、 … by the renderers)."""
    if not item:
        return item
    first = item[0]
    stripped = _OWN_NUMBER.sub("", first.text, count=1)
    if stripped == first.text:
        return item
    return inline(replace(first, text=stripped), *item[1:])
