"""The fonts documents are drawn with, and the check that every character has a glyph before anything is written.

WenQuanYi Micro Hei (`resources/fonts/wqy-microhei.ttc`) draws the text; the bundled Hanazono subset
(`resources/fonts/hanamin-ext.ttf`, built by tools/subset_fallback_font.py) draws what it lacks — CJK Extension A,
the name characters of Extensions B–F. reportlab never warns about a missing glyph (PITFALLS.md), so a character
neither font has is reported with its field and nothing is rendered.

Fonts are read and registered on first use (not at import), once per process, under a lock so that two workers
cannot register twice. The fallback (5.7 MB) is only read when a document needs it. Call `main_font()` on a worker
at start-up to take the ~60 ms of the first read off the first print.
"""

import threading
from collections.abc import Iterable
from dataclasses import dataclass

from laopan import resources
from laopan.documents import reportlab_chinese
from laopan.documents.model import Document, Span, spans_of
from laopan.validation import ValidationError

__all__ = [
    "FALLBACK", "FALLBACK_FONT", "MAIN", "GlyphPlan", "check_glyphs", "fallback_font", "main_font", "plan_glyphs",
    "runs",
]

MAIN = "LaopanMain"  # reportlab names of the registered fonts
FALLBACK = "LaopanFallback"
FALLBACK_FONT = resources.FALLBACK_FONT
NOT_DRAWN = frozenset("\n")  # a line break is layout, not a glyph
EXCERPT = 12  # characters of context quoted around a missing one

_lock = threading.Lock()
_fonts: dict[str, object] = {}


def _load(name: str, relative: str, subfont: int = 0):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    with _lock:
        font = _fonts.get(name)
        if font is None:
            reportlab_chinese.install()
            font = TTFont(name, str(resources.path(relative)), subfontIndex=subfont)
            pdfmetrics.registerFont(font)
            _fonts[name] = font
        return font


def main_font():
    """The registered reportlab TTFont for body and titles (WenQuanYi Micro Hei, first face of the TTC)."""
    return _fonts.get(MAIN) or _load(MAIN, resources.MAIN_FONT, subfont=0)


def fallback_font():
    """The registered reportlab TTFont for characters the main font lacks."""
    return _fonts.get(FALLBACK) or _load(FALLBACK, FALLBACK_FONT)


@dataclass(frozen=True, slots=True)
class GlyphPlan:
    """Which characters of a document go to the fallback font, and which no bundled font can draw."""

    fallback: frozenset[str]
    missing: frozenset[str]


def _plan_characters(characters: set[str]) -> GlyphPlan:
    main = main_font().face.charToGlyph
    lacking = {ch for ch in characters if not main.get(ord(ch)) and ch not in NOT_DRAWN}
    if not lacking:
        return GlyphPlan(frozenset(), frozenset())
    fallback = fallback_font().face.charToGlyph
    drawn = frozenset(ch for ch in lacking if fallback.get(ord(ch)))
    return GlyphPlan(drawn, frozenset(lacking - drawn))


def plan_glyphs(document: Document) -> tuple[GlyphPlan, list[ValidationError]]:
    """The fallback characters of `document`, and one error per field holding a character no font can draw."""
    spans = list(spans_of(document))
    characters: set[str] = set()
    for span in spans:
        characters.update(span.text)
    plan = _plan_characters(characters)
    return plan, _errors(spans, plan.missing) if plan.missing else []


def check_glyphs(document: Document) -> list[ValidationError]:
    """One `ValidationError` per field whose text holds a character no bundled font can draw (empty when printable).

    The field is the span's Chinese label (当事人[2].姓名); the message quotes the text and names the characters:
    `当事人[2].姓名: "张𰻞" 字体缺字：𰻞（U+30EDE）`.
    """
    return plan_glyphs(document)[1]


def _errors(spans: Iterable[Span], missing: frozenset[str]) -> list[ValidationError]:
    errors = []
    seen: set[tuple[str, str]] = set()
    for span in spans:
        lacking = [ch for ch in dict.fromkeys(span.text) if ch in missing]
        key = (span.field, span.text)
        if not lacking or key in seen:
            continue
        seen.add(key)
        names = "、".join(f"{ch}（U+{ord(ch):04X}）" for ch in lacking)
        errors.append(ValidationError(span.field or "文书文字", f'"{_excerpt(span.text, lacking[0])}" 字体缺字：{names}'))
    return errors


def _excerpt(text: str, character: str) -> str:
    if len(text) <= 2 * EXCERPT:
        return text
    at = text.index(character)
    start, end = max(0, at - EXCERPT), min(len(text), at + EXCERPT + 1)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def runs(text: str, fallback: frozenset[str]) -> list[tuple[bool, str]]:
    """`text` cut into (uses_fallback, run) pieces; one piece when no fallback character occurs."""
    if not fallback or fallback.isdisjoint(text):
        return [(False, text)]
    pieces: list[tuple[bool, str]] = []
    current: list[str] = []
    state = text[0] in fallback
    for ch in text:
        is_fallback = ch in fallback
        if is_fallback != state and current:
            pieces.append((state, "".join(current)))
            current = []
        state = is_fallback
        current.append(ch)
    pieces.append((state, "".join(current)))
    return pieces
