"""Three corrections to reportlab 5.1 for Chinese text, installed once before the first font is registered.

1. **ToUnicode beyond U+FFFF.** reportlab writes each code of a subset's ToUnicode CMap as `<%04X>`: five hex
   digits for 𠮷 (U+20BB7), which PDF readers cannot decode, so the character prints but cannot be searched,
   copied or extracted. PDF wants UTF-16BE there (a surrogate pair). BMP subsets are left byte for byte as they were.
2. **Chinese punctuation at the start of a line.** reportlab's list of characters that may not begin a line is
   Japanese: it has 、。） but not ，；：？！》”. Chinese typesetting (GB/T 15834) lets none of them start a line;
   they are added, so such a character hangs at the end of the line before, as 。 already does.
3. **Justified Chinese lines.** reportlab justifies by widening spaces only; a Chinese line has none, so justified
   text came out ragged by up to a character. A line without spaces that is not a paragraph's last gets its spare
   room spread between its characters (PDF `Tc`), unless that would exceed `MAX_SPREAD` em per character (a line
   cut short before a long number stays ragged rather than letter-spaced). A line made over-full by a closing
   mark that may not start the next line is squeezed the same way (挤进, at most `MAX_SQUEEZE` em per character),
   so the mark ends at the margin instead of past it. Every other line is drawn exactly as reportlab draws it.

Each is a small wrapper around reportlab's own function, checked by tests/core/test_documents.py.
"""

import threading

__all__ = ["MAX_SPREAD", "install"]

MAX_SPREAD = 0.12
MAX_SQUEEZE = 0.05
NO_LINE_START = "，；：？！》〉」』】〕”’"

_lock = threading.Lock()
_installed = False


def install() -> None:
    global _installed
    with _lock:
        if _installed:
            return
        _fix_to_unicode()
        _fix_line_start()
        _fix_justification()
        _installed = True


def _fix_to_unicode() -> None:
    from reportlab.pdfbase import ttfonts

    original = ttfonts.makeToUnicodeCMap

    def make_to_unicode_cmap(fontname, subset):
        text = original(fontname, subset)
        if all(code <= 0xFFFF for code in subset):
            return text
        for index, code in enumerate(subset):
            if code > 0xFFFF:
                utf16 = chr(code).encode("utf-16-be").hex().upper()
                text = text.replace("<%02X> <%04X>" % (index, code), "<%02X> <%s>" % (index, utf16), 1)
        return text

    ttfonts.makeToUnicodeCMap = make_to_unicode_cmap


def _fix_line_start() -> None:
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    extra = "".join(ch for ch in NO_LINE_START if ch not in textsplit.ALL_CANNOT_START)
    textsplit.ALL_CANNOT_START += extra  # read by dumbSplit (one-font paragraphs)
    paragraph.ALL_CANNOT_START += extra  # read by cjkFragSplit (paragraphs mixing fonts)


def _fix_justification() -> None:
    from reportlab.platypus import paragraph

    plain_line, frag_line = paragraph._justifyDrawParaLine, paragraph._justifyDrawParaLineX

    def spreadable(texts: list[str], extra: float, last, font_size: float) -> int:
        if abs(extra) <= 1e-6 or any(" " in text or "\xa0" in text for text in texts):
            return 0
        count = sum(len(text) for text in texts)
        if extra < 0:  # over-full: a closing mark kept at the line's end; squeeze it in rather than past the margin
            return count if count > 1 and -extra / (count - 1) <= MAX_SQUEEZE * font_size else 0
        return count if not last and count > 1 and extra / (count - 1) <= MAX_SPREAD * font_size else 0

    def justify_plain(tx, offset, extraspace, words, last=0):
        count = 0 if getattr(tx, "preformatted", False) else spreadable(words, extraspace, last, tx._fontsize)
        if not count:
            return plain_line(tx, offset, extraspace, words, last)
        paragraph.setXPos(tx, offset)
        tx.setCharSpace(extraspace / (count - 1))
        tx._textOut("".join(words), 1)
        tx.setCharSpace(0)
        paragraph.setXPos(tx, -offset)
        return offset

    def justify_frags(tx, offset, line, last=0):
        words = line.words
        count = 0
        if not line.lineBreak and not any(hasattr(word, "cbDefn") for word in words):
            count = spreadable([word.text for word in words], line.extraSpace, last, line.fontSize)
        if not count:
            return frag_line(tx, offset, line, last)
        tx._x_offset = offset
        paragraph.setXPos(tx, offset)
        tx.setCharSpace(line.extraSpace / (count - 1))
        paragraph._putFragLine(offset, tx, line, last, "justify")
        tx.setCharSpace(0)
        paragraph.setXPos(tx, -offset)

    paragraph._justifyDrawParaLine = justify_plain
    paragraph._justifyDrawParaLineX = justify_frags
