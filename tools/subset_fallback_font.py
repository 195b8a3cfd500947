"""Build resources/fonts/hanamin-ext.ttf: the fallback font for characters WenQuanYi Micro Hei lacks.

A developer script, not part of the app (fontTools is needed here only). It subsets the Hanazono Mincho fonts
(Debian `fonts-hanazono`, 22 MB + 30 MB) down to what a mediation desk needs beside the main font, and merges
the result into one TrueType file that reportlab can embed:

* CJK Extension A (U+3400–U+4DBF) whole, from HanaMinA;
* the CJK Unified / Compatibility ideographs the main font lacks (newer URO additions such as 鿍 鿎 鿏);
* from Extension B (HanaMinB) the characters real names and addresses use: every character of the
  通用规范汉字表 (Unihan kTGHZ2013), the IRG core sets (kIICore, kUnihanCore2020), every character with a
  mainland source other than the two historical dictionaries (kIRG_GSource not GKX/GHZ: GB 18030, 公安部
  identity-card system, 辞海, place-name sets …), every Hong Kong (HKSCS), Macau and Japanese JIS X 0213
  character, the Extension B characters HanaMinA itself carries (its Adobe-Japan1 set, with 𠮷) and a few
  known name characters — about 4,400 of Extension B's 42,711. `--all-ext-b` takes them all (≈ +15 MB);
* from Extensions C–F the 通用规范汉字表 characters, the 公安部 identity-card ones (GIDC) and the core sets.

The selection reads the Unihan database of Debian's `unicode-data` package. To rebuild:

    cd /tmp && apt-get download fonts-hanazono unicode-data
    dpkg -x fonts-hanazono_*.deb /tmp/hana && dpkg -x unicode-data_*.deb /tmp/ucd
    .venv/bin/pip install fonttools
    .venv/bin/python tools/subset_fallback_font.py

Shipped from fonts-hanazono 20170904 and unicode-data 15.0.0 (Debian 12). The font is dual-licensed (Hanazono
Font License or OFL 1.1 with Reserved Font Names); a modified version may not carry the reserved names under
the OFL, so the subset is renamed "Laopan Ext Fallback" and distributed under the Hanazono Font License, whose
text is written next to it.
"""

import argparse
import bz2
import io
import re
import sys
from pathlib import Path

from fontTools import subset
from fontTools.merge import Merger
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
FAMILY = "Laopan Ext Fallback"
POSTSCRIPT_NAME = "LaopanExtFallback"

EXT_A = (0x3400, 0x4DBF)
URO = (0x4E00, 0x9FFF)
COMPAT = (0xF900, 0xFAFF)
EXT_B = (0x20000, 0x2A6DF)
EXT_C_TO_F = (0x2A700, 0x2EBEF)
DICTIONARY_SOURCES = ("GKX", "GHZ")
# Seen in names and in PITFALLS.md, but only Taiwan- or dictionary-sourced in Unihan: taken explicitly.
KNOWN_NAME_CHARACTERS = "𠮷𡒄𪚥"


def unihan(unihan_dir: Path, files: tuple[str, ...], keys: set[str]) -> dict[str, dict[int, str]]:
    """{field: {code point: value}} for the Unihan fields asked for."""
    found: dict[str, dict[int, str]] = {key: {} for key in keys}
    for name in files:
        with bz2.open(unihan_dir / f"Unihan_{name}.txt.bz2", "rt", encoding="utf-8") as lines:
            for line in lines:
                if line.startswith("#") or not line.strip():
                    continue
                code, key, value = line.rstrip("\n").split("\t")
                if key in found:
                    found[key][int(code[2:], 16)] = value
    return found


def within(code: int, block: tuple[int, int]) -> bool:
    return block[0] <= code <= block[1]


def select_characters(
    data: dict[str, dict[int, str]], main: set[int], hana_a: set[int], hana_b: set[int], all_ext_b: bool,
) -> tuple[set[int], set[int]]:
    """The code points to take from HanaMinA and from HanaMinB."""
    core = set(data["kTGHZ2013"]) | set(data["kIICore"]) | set(data["kUnihanCore2020"])
    core |= {code for code, value in data["kIRG_GSource"].items() if value.startswith("GIDC")}
    wanted_ext_b = core | set(data["kIRG_HSource"]) | set(data["kIRG_MSource"]) | set(data["kIRG_JSource"])
    wanted_ext_b |= {code for code, value in data["kIRG_GSource"].items() if not value.startswith(DICTIONARY_SOURCES)}
    wanted_ext_b |= {code for code in hana_a if within(code, EXT_B)}  # HanaMinA's own Extension B set (Adobe-Japan1)
    wanted_ext_b |= set(map(ord, KNOWN_NAME_CHARACTERS))

    from_a = {code for code in hana_a if within(code, EXT_A)}
    from_a |= {code for code in hana_a - main if within(code, URO) or within(code, COMPAT)}
    from_b = set()
    for code in hana_b | hana_a:
        if code in main or code in from_a:
            continue
        if within(code, EXT_B) and (all_ext_b or code in wanted_ext_b):
            pass
        elif within(code, EXT_C_TO_F) and code in core:
            pass
        else:
            continue
        (from_b if code in hana_b else from_a).add(code)
    return from_a, from_b


def subset_font(path: Path, codes: set[int]) -> TTFont:
    options = subset.Options()
    options.hinting = False  # the Hanazono hints add size and nothing at print resolution
    options.layout_features = []
    options.notdef_outline = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]
    options.drop_tables += ["BASE", "FFTM", "GDEF", "GSUB", "prop", "vhea", "vmtx", "gasp"]
    font = TTFont(path, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codes))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    buffer.seek(0)
    return TTFont(buffer, recalcTimestamp=False)


def rename(font: TTFont, note: str) -> None:
    names = font["name"]
    copyright_text = names.getDebugName(0) or "Copyright 2008-2017 GlyphWiki Project."
    for record in list(names.names):
        if record.nameID not in (0,):
            names.removeNames(nameID=record.nameID)
    for name_id, value in (
        (0, copyright_text), (1, FAMILY), (2, "Regular"), (3, f"{POSTSCRIPT_NAME}-{note}"),
        (4, FAMILY), (5, "Version 1.0 (subset of Hanazono Mincho 20170904)"), (6, POSTSCRIPT_NAME),
    ):
        names.setName(value, name_id, 3, 1, 0x409)
        names.setName(value, name_id, 1, 0, 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hana-dir", type=Path, default=Path("/tmp/hana/usr/share/fonts/truetype/hanazono"))
    parser.add_argument("--unihan-dir", type=Path, default=Path("/tmp/ucd/usr/share/unicode"))
    parser.add_argument("--licence", type=Path, default=Path("/tmp/hana/usr/share/doc/fonts-hanazono/copyright"))
    parser.add_argument("--main-font", type=Path, default=ROOT / "resources/fonts/wqy-microhei.ttc")
    parser.add_argument("--out", type=Path, default=ROOT / "resources/fonts/hanamin-ext.ttf")
    parser.add_argument("--all-ext-b", action="store_true", help="take the whole of Extension B (about 17 MB more)")
    args = parser.parse_args(argv)

    data = unihan(
        args.unihan_dir, ("IRGSources", "Readings", "DictionaryLikeData"),
        {"kTGHZ2013", "kIICore", "kUnihanCore2020", "kIRG_GSource", "kIRG_HSource", "kIRG_MSource", "kIRG_JSource"},
    )
    main_codes = set(TTFont(args.main_font, fontNumber=0, lazy=True).getBestCmap())
    hana_a_path, hana_b_path = args.hana_dir / "HanaMinA.ttf", args.hana_dir / "HanaMinB.ttf"
    hana_a = set(TTFont(hana_a_path, lazy=True).getBestCmap())
    hana_b = set(TTFont(hana_b_path, lazy=True).getBestCmap())
    from_a, from_b = select_characters(data, main_codes, hana_a, hana_b, args.all_ext_b)

    part_a = subset_font(hana_a_path, from_a)
    part_b = subset_font(hana_b_path, from_b)
    parts = []
    for font in (part_a, part_b):
        buffer = io.BytesIO()
        font.save(buffer)
        buffer.seek(0)
        parts.append(buffer)
    merged = Merger().merge(parts)
    merged.recalcTimestamp = False  # keep HanaMinA's dates: the same inputs give the same bytes
    merged["head"].created, merged["head"].modified = part_a["head"].created, part_a["head"].modified
    rename(merged, "subset")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    merged.save(args.out)

    covered = set(TTFont(args.out, lazy=True).getBestCmap())
    missing = (from_a | from_b) - covered
    if missing:
        print(f"merge lost {len(missing)} characters, e.g. {''.join(map(chr, sorted(missing)[:10]))}", file=sys.stderr)
        return 1
    write_licence(args.licence, args.out.with_suffix(".LICENSE"), len(from_a), len(from_b))
    counts = {
        name: sum(1 for code in covered if within(code, block))
        for name, block in (
            ("Ext A", EXT_A), ("URO", URO), ("Compat", COMPAT), ("Ext B", EXT_B), ("Ext C-F", EXT_C_TO_F),
        )
    }
    print(f"{args.out}: {args.out.stat().st_size / 1e6:.2f} MB, {len(covered)} characters {counts}")
    return 0


def write_licence(debian_copyright: Path, target: Path, count_a: int, count_b: int) -> None:
    text = debian_copyright.read_text(encoding="utf-8")
    header = (
        "hanamin-ext.ttf — a subset of the Hanazono Mincho fonts (HanaMinA, HanaMinB; GlyphWiki Project),\n"
        f"taken from Debian's fonts-hanazono 20170904: {count_a} characters of HanaMinA (CJK Extension A and the\n"
        f"ideographs WenQuanYi Micro Hei lacks) and {count_b} of HanaMinB (Extensions B–F, characters used in names\n"
        "and addresses), merged and renamed \"Laopan Ext Fallback\" by tools/subset_fallback_font.py.\n\n"
        "The original fonts are offered under the Hanazono Font License or the SIL Open Font License 1.1. This\n"
        "modified version is distributed under the Hanazono Font License (below), which allows modification and\n"
        "redistribution without restriction; it does not use the OFL's Reserved Font Names.\n\n"
        "Debian's copyright file for fonts-hanazono follows.\n\n"
    )
    target.write_text(header + re.sub(r"\n{3,}", "\n\n", text), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
