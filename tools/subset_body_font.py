"""Build resources/fonts/uming-gb.ttf: the Song (明体/宋体) face documents are set in.

A developer script, not part of the app (fontTools is needed here only). It subsets face 0 of AR PL UMing
(`uming.ttc`, "AR PL UMing CN", Debian `fonts-arphic-uming`, 20 MB for four faces) down to what Chinese official
papers use, so that the repository carries a few MB rather than 20:

* the whole of GB 2312 (6,763 hanzi and its symbols, punctuation, Latin, Greek, Cyrillic, kana, box drawing);
* every character of the 通用规范汉字表 (Unihan kTGHZ2013, 8,105 hanzi: the 2013 standard that names are checked
  against);
* name characters seen on identity cards and in PITFALLS.md (堃喆昇玥〇赟珺旻禛犇頔骉镕 …);
* ASCII, Latin-1, general punctuation, CJK symbols and punctuation, full-width forms (￥，：；).

What it lacks (Extension A/B, 婳) comes from WenQuanYi Micro Hei and the Hanazono fallback (laopan/documents/fonts.py).
AR PL UMing has no bold; titles are set in WenQuanYi Micro Hei (a Hei face) instead. To rebuild:

    cd /tmp && apt-get download fonts-arphic-uming unicode-data
    dpkg -x fonts-arphic-uming_*.deb /tmp/uming && dpkg -x unicode-data_*.deb /tmp/ucd
    .venv/bin/pip install fonttools
    .venv/bin/python tools/subset_body_font.py

Shipped from fonts-arphic-uming 0.2.20080216.2-11 and unicode-data 15.0.0 (Debian 12). The Arphic Public
License allows modified copies to be distributed under the same licence; the subset is renamed "Laopan Song"
(the licence asks a modified font not to pass as the original) and the licence text is written next to it.
"""

import argparse
import bz2
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
FAMILY = "Laopan Song"
POSTSCRIPT_NAME = "LaopanSong"
NAME_CHARACTERS = "堃喆昇玥〇䶮赟珺婳旻禛犇頔骉镕淼焱垚鑫犇燚昊晗晟曌"
RANGES = ((0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2100, 0x214F), (0x2460, 0x24FF), (0x3000, 0x303F),
          (0xFF00, 0xFFEF))


def gb2312() -> set[int]:
    codes = set()
    for first in range(0xA1, 0xF8):
        for second in range(0xA1, 0xFF):
            try:
                codes.add(ord(bytes([first, second]).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return codes


def unihan_keys(unihan_dir: Path, keys: set[str]) -> set[int]:
    found = set()
    for name in ("IRGSources", "Readings", "DictionaryLikeData", "OtherMappings"):
        with bz2.open(unihan_dir / f"Unihan_{name}.txt.bz2", "rt", encoding="utf-8") as lines:
            for line in lines:
                if line.startswith("#") or not line.strip():
                    continue
                code, key, _value = line.rstrip("\n").split("\t")
                if key in keys:
                    found.add(int(code[2:], 16))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ttc", type=Path, default=Path("/tmp/uming/usr/share/fonts/truetype/arphic/uming.ttc"))
    parser.add_argument("--unihan-dir", type=Path, default=Path("/tmp/ucd/usr/share/unicode"))
    parser.add_argument("--licence", type=Path, default=Path("/tmp/uming/usr/share/doc/fonts-arphic-uming/copyright"))
    parser.add_argument("--out", type=Path, default=ROOT / "resources/fonts/uming-gb.ttf")
    args = parser.parse_args(argv)

    font = TTFont(args.ttc, fontNumber=0, recalcTimestamp=False)
    available = set(font.getBestCmap())
    wanted = gb2312() | set(map(ord, NAME_CHARACTERS)) | unihan_keys(args.unihan_dir, {"kTGHZ2013"})
    for low, high in RANGES:
        wanted |= set(range(low, high + 1))
    codes = wanted & available

    options = subset.Options()
    options.hinting = False  # the embedded bitmaps and hints add size and nothing at print resolution
    options.layout_features = []
    options.notdef_outline = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]
    options.drop_tables += ["EBDT", "EBLC", "EBSC", "BASE", "GDEF", "GSUB", "GPOS", "vhea", "vmtx", "gasp"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codes))
    subsetter.subset(font)
    names = font["name"]
    copyright_text = names.getDebugName(0) or "Copyright 1994-1999 Arphic Technology Co., Ltd."
    for record in list(names.names):
        if record.nameID != 0:
            names.removeNames(nameID=record.nameID)
    for name_id, value in ((0, copyright_text), (1, FAMILY), (2, "Regular"), (3, f"{POSTSCRIPT_NAME}-subset"),
                           (4, FAMILY), (5, "Version 1.0 (subset of AR PL UMing CN 0.2.20080216.2)"),
                           (6, POSTSCRIPT_NAME)):
        names.setName(value, name_id, 3, 1, 0x409)
        names.setName(value, name_id, 1, 0, 0)
    font["OS/2"].fsType = 0  # installable embedding, as the original
    args.out.parent.mkdir(parents=True, exist_ok=True)
    font.save(args.out)

    covered = set(TTFont(args.out, lazy=True).getBestCmap())
    hanzi = sum(1 for code in covered if 0x4E00 <= code <= 0x9FFF)
    lacking = "".join(ch for ch in NAME_CHARACTERS if ord(ch) not in covered)
    licence = args.out.with_suffix(".LICENSE")
    licence.write_text(
        "uming-gb.ttf — a subset of AR PL UMing CN (face 0 of uming.ttc, Arphic Technology), taken from Debian's\n"
        f"fonts-arphic-uming 0.2.20080216.2-11: {len(covered)} characters ({hanzi} hanzi: GB 2312, the 通用规范汉字表\n"
        "and common name characters), renamed \"Laopan Song\" by tools/subset_body_font.py.\n\n"
        "It is distributed under the Arphic Public License, as the original; Debian's copyright file follows.\n\n"
        + args.licence.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    print(f"{args.out}: {args.out.stat().st_size / 1e6:.2f} MB, {len(covered)} characters, {hanzi} hanzi;"
          f" lacks {lacking or 'none'} of the name characters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
