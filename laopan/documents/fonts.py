"""The fonts documents are drawn with, and the check that every character has a glyph before anything is written.

Three bundled faces, tried in this order for body text:

1. **Song** (`resources/fonts/uming-gb.ttf`, a subset of AR PL UMing CN built by tools/subset_body_font.py): the
   body face, as official papers are set (GB 2312, the 通用规范汉字表 and common name characters);
2. **Hei** (WenQuanYi Micro Hei, `resources/fonts/wqy-microhei.ttc`): titles and headings (黑体, as GB/T 9704
   sets headings), and any character the Song subset lacks (婳 …);
3. **fallback** (the Hanazono subset `resources/fonts/hanamin-ext.ttf`, tools/subset_fallback_font.py): CJK
   Extension A and the name characters of Extensions B–F.

Heading text starts at Hei and takes what Hei lacks from Song, then the fallback. reportlab never warns about a
missing glyph (PITFALLS.md), so a character no face has is reported with its field and nothing is rendered.

Fonts are read and registered on first use (not at import), once per process, under a lock so that two workers
cannot register twice. The fallback (5.7 MB) is only read when a document needs it. Call `main_font()` on a worker
at start-up to take the first read off the first print.
"""

import threading
from collections.abc import Iterable
from dataclasses import dataclass

from laopan import resources
from laopan.documents import reportlab_chinese
from laopan.documents.model import Document, Span, spans_of
from laopan.validation import ValidationError

__all__ = [
    "BODY", "FALLBACK", "FALLBACK_FONT", "HEI", "MAIN", "GlyphPlan", "body_font", "check_glyphs", "fallback_font",
    "font_runs", "hei_font", "main_font", "plan_glyphs", "runs",
]

BODY = "LaopanSong"  # reportlab names of the registered fonts
HEI = "LaopanHei"
MAIN = BODY  # the face a page starts in
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


def body_font():
    """The registered reportlab TTFont for body text (the Song subset)."""
    return _fonts.get(BODY) or _load(BODY, resources.BODY_FONT)


def hei_font():
    """The registered reportlab TTFont for titles and headings (WenQuanYi Micro Hei, first face of the TTC)."""
    return _fonts.get(HEI) or _load(HEI, resources.MAIN_FONT, subfont=0)


def main_font():
    """Both faces every document uses, registered (the body face is returned)."""
    hei_font()
    return body_font()


def fallback_font():
    """The registered reportlab TTFont for characters neither the Song nor the Hei face has."""
    return _fonts.get(FALLBACK) or _load(FALLBACK, FALLBACK_FONT)


@dataclass(frozen=True, slots=True)
class GlyphPlan:
    """Which characters of a document leave their paragraph's face, and which no bundled font can draw.

    `fallback`: drawn from the Hanazono subset (neither Song nor Hei has them); `hei_only`: the Song face lacks
    them, Hei has them; `song_only`: the other way round; `missing`: no face has them.
    """

    fallback: frozenset[str]
    missing: frozenset[str]
    hei_only: frozenset[str] = frozenset()
    song_only: frozenset[str] = frozenset()


def _plan_characters(characters: set[str]) -> GlyphPlan:
    song = body_font().face.charToGlyph
    hei = hei_font().face.charToGlyph
    drawn = {ch for ch in characters if ch not in NOT_DRAWN}
    hei_only = frozenset(ch for ch in drawn if not song.get(ord(ch)) and hei.get(ord(ch)))
    song_only = frozenset(ch for ch in drawn if song.get(ord(ch)) and not hei.get(ord(ch)))
    lacking = {ch for ch in drawn if not song.get(ord(ch)) and not hei.get(ord(ch))}
    if not lacking:
        return GlyphPlan(frozenset(), frozenset(), hei_only, song_only)
    fallback = fallback_font().face.charToGlyph
    from_fallback = frozenset(ch for ch in lacking if fallback.get(ord(ch)))
    return GlyphPlan(from_fallback, frozenset(lacking - from_fallback), hei_only, song_only)


def plan_glyphs(document: Document) -> tuple[GlyphPlan, list[ValidationError]]:
    """The font plan of `document`, and one error per field holding a character no font can draw."""
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


def font_runs(text: str, plan: GlyphPlan, primary: str = BODY) -> list[tuple[str, str]]:
    """`text` cut into (font name, run) pieces for a paragraph set in `primary` (BODY or HEI)."""
    other, leaving = (HEI, plan.hei_only) if primary == BODY else (BODY, plan.song_only)

    def face(ch: str) -> str:
        if ch in plan.fallback:
            return FALLBACK
        return other if ch in leaving else primary

    if (not plan.fallback or plan.fallback.isdisjoint(text)) and (not leaving or leaving.isdisjoint(text)):
        return [(primary, text)]
    pieces: list[tuple[str, str]] = []
    for ch in text:
        name = face(ch)
        if pieces and pieces[-1][0] == name:
            pieces[-1] = (name, pieces[-1][1] + ch)
        else:
            pieces.append((name, ch))
    return pieces


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
