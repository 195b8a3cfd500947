"""Pinyin keys of a party's name, so `zw`, `zhangw` and `zhangwei` find 张伟 (issue 16 item 5).

Each name gives two keys, written beside the case at write time (the `name_pinyin` table, like `name_gram`):
the full reading run together ("zhangwei") and the initials ("zw"). A search matches a key by prefix.

The readings come from pypinyin's own character table (pinyin_dict.json), read directly: importing the pypinyin
package loads its phrase dictionary (~0.9 s, PITFALLS "start-up") and segmenting a name as phrases costs
~300 µs, where a table lookup costs ~2 µs a name — the demo writes 250,000 names. Names are not phrases anyway;
what matters is the surname, whose reading often differs from the character's commonest one (单 is shàn as a
surname, not dān), so a name that may be a person's (2–4 Han characters) is indexed with its first character(s)
read as a surname (SURNAMES) and also as usual: the names alone cannot tell 单雄信 from 单位食堂, and a clerk
unsure of the surname's reading types the common one. A character's other readings are not indexed (重 is zhong,
not chong, outside a surname).
"""

import json
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib.util import find_spec
from pathlib import Path

KEY_LENGTH = 60  # long organisation names are cut: a search types the start of a name

# Surname readings where the character's commonest reading is another one (the rest read as usual).
SURNAMES: dict[str, str] = {
    "单": "shan", "曾": "zeng", "区": "ou", "解": "xie", "仇": "qiu", "朴": "piao", "查": "zha", "盖": "ge",
    "乐": "yue", "缪": "miao", "翟": "zhai", "覃": "qin", "种": "chong", "秘": "bi", "折": "she", "召": "shao",
    "隗": "wei", "繁": "po", "员": "yun", "卜": "bu", "句": "gou", "阚": "kan", "宓": "fu", "沈": "shen",
    "燕": "yan", "薄": "bo", "柏": "bai", "祭": "zhai", "藏": "zang", "褚": "chu", "殷": "yin", "都": "du",
    "长": "chang", "重": "chong", "能": "nai", "车": "che", "贲": "ben", "冼": "xian", "蕃": "pi", "纪": "ji",
    "任": "ren", "占": "zhan", "居": "ju", "过": "guo",
}
COMPOUND_SURNAMES: dict[str, str] = {
    "尉迟": "yu chi", "万俟": "mo qi", "长孙": "zhang sun", "澹台": "tan tai", "单于": "chan yu", "乐正": "yue zheng",
    "令狐": "ling hu", "欧阳": "ou yang", "上官": "shang guan", "司马": "si ma", "诸葛": "zhu ge", "皇甫": "huang fu",
}


@cache
def _table() -> dict[str, str]:
    """Code point (as a decimal string) → its readings with tone marks, "dān,chán,shàn" (~0.1 s, once)."""
    spec = find_spec("pypinyin")  # locates the package without running its __init__
    assert spec is not None and spec.submodule_search_locations, "pypinyin is a dependency (pyproject.toml)"
    path = Path(next(iter(spec.submodule_search_locations))) / "pinyin_dict.json"
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1 << 14)
def _reading(ch: str) -> str:
    """The character's commonest reading without tone marks (ü written v, as typed: 吕 → lv); "" if unknown."""
    readings = _table().get(str(ord(ch)))
    return _plain(readings.split(",", 1)[0]) if readings else ""


def _plain(reading: str) -> str:
    text = unicodedata.normalize("NFD", reading.replace("ü", "v").replace("ǖ", "v").replace("ǘ", "v")
                                 .replace("ǚ", "v").replace("ǜ", "v"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\U00020000" <= ch <= "\U0003134f"


def readings(name: str) -> list[list[str]]:
    """The name read syllable by syllable: as a person's name (surname reading first) and, when that differs, as
    ordinary text."""
    text = "".join(name.split())
    ordinary = syllables(text)
    if 2 <= len(text) <= 4 and all(_is_han(ch) for ch in text):  # may be a person's name
        if len(text) >= 3 and text[:2] in COMPOUND_SURNAMES:
            return _distinct([COMPOUND_SURNAMES[text[:2]].split() + syllables(text[2:]), ordinary])
        if text[0] in SURNAMES:
            return _distinct([[SURNAMES[text[0]]] + ordinary[1:], ordinary])
    return [ordinary]


def _distinct(options: list[list[str]]) -> list[list[str]]:
    return [option for i, option in enumerate(options) if option not in options[:i]]


def syllables(name: str) -> list[str]:
    """Text read syllable by syllable, each character by its commonest reading; a run of Latin letters or digits
    stays one token ("ABC物业" → abc wu ye), other marks (·, brackets, spaces) are dropped."""
    text = "".join(name.split())
    out: list[str] = []
    start = 0
    latin = ""
    for ch in text[start:]:
        if ch.isascii() and ch.isalnum():
            latin += ch.lower()
            continue
        if latin:
            out.append(latin)
            latin = ""
        reading = _reading(ch)
        if reading:
            out.append(reading)
    if latin:
        out.append(latin)
    return out


@lru_cache(maxsize=1 << 16)  # names repeat (the demo's pools, a party in many cases): bulk writes hit the cache
def name_keys(name: str) -> frozenset[str]:
    """{"zhangwei", "zw"} for 张伟 (and 单雄信 gives shanxiongxin, sxx, danxiongxin, dxx); nothing for a name with
    no readable character. A name with no Han character (a Latin name) gives its letters only: its initials would
    be noise."""
    keys: set[str] = set()
    han = any(_is_han(ch) for ch in name)
    for parts in readings(name):
        if parts:
            keys.add("".join(parts)[:KEY_LENGTH])
            if han:
                keys.add("".join(part[0] for part in parts)[:KEY_LENGTH])
    return frozenset(keys)


def case_keys(names: Iterable[str]) -> set[str]:
    keys: set[str] = set()
    for name in names:
        keys |= name_keys(name)
    return keys


def query_key(text: str) -> str | None:
    """A search typed in Latin letters (spaces and apostrophes allowed: "Zhang Wei", "xi'an") as the key prefix it
    asks for, else None. Letters followed by digits are an intake or 警情 number (DL2026…), not pinyin."""
    key = "".join(ch for ch in text.lower() if not ch.isspace() and ch != "'")
    if key and key.isascii() and key.isalpha():
        return key[:KEY_LENGTH]
    return None
