"""Reading an interchange file's bytes into a JSON document, refusing in Chinese what the parser would crash on.

Everything a crafted or mis-saved file can do to `json.loads` and the layers after it — another encoding, a
byte-order mark, nesting deep enough to exhaust the stack, a number of thousands of digits, 1e400, a lone
surrogate that the database cannot store — is answered here with a `ValidationError` naming the file or the
JSON path (issue 10). The document that comes out holds only what the model classes can check.
"""

import codecs
import json
import math
import re
import sys
from pathlib import Path
from typing import Any

from laopan.errors import ValidationError

SAVE_AS_UTF8 = "请将文件另存为 UTF-8 编码（记事本：另存为 → 编码选 UTF-8）"
MAX_DEPTH = 32  # the format nests five levels; anything far deeper is not an interchange file
MAX_INTEGER = 10**15  # above every count, year or sequence in the format; beyond it, 64-bit columns overflow
_UTF16_32_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"),
)


def read_document(source: str) -> Any:
    """The document in the file `source` ("-" for standard input)."""
    if source == "-":
        stdin = sys.stdin
        raw = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read().encode("utf-8", "surrogatepass")
        return parse_document(raw, name="标准输入")
    return parse_document(Path(source).read_bytes(), name=source)


def parse_document(raw: bytes, *, name: str) -> Any:
    text = _decode(raw, name)
    try:
        document = json.loads(text, parse_constant=_refuse_constant(name))
    except json.JSONDecodeError as exc:
        raise ValidationError(name, f"不是有效的 JSON（第{exc.lineno}行第{exc.colno}列：{exc.msg}）") from None
    except ValidationError:
        raise  # NaN / Infinity, refused by _refuse_constant
    except RecursionError:
        raise ValidationError(name, f"嵌套层数过多（交换文件最多 {MAX_DEPTH} 层），不是本程序导出的文件") from None
    except ValueError:
        # int() refuses numbers of more than 4,300 digits (CVE-2020-10735 guard) with a ValueError.
        raise ValidationError(name, "含有位数过多的数字，不是本程序导出的文件") from None
    _check_values(document, name)
    return document


def _decode(raw: bytes, name: str) -> str:
    for bom, encoding in _UTF16_32_BOMS:
        if raw.startswith(bom):
            raise ValidationError(name, f"文件是 {encoding} 编码：{SAVE_AS_UTF8}")
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]  # what Windows Notepad writes; harmless
    elif b"\x00" in raw[:256]:
        sample = raw[:256]
        if max(sample[0::2].count(0), sample[1::2].count(0)) * 4 >= len(sample):
            raise ValidationError(name, f"文件似乎是 UTF-16 编码（每隔一个字节为空）：{SAVE_AS_UTF8}")
        raise ValidationError(name, "不是文本文件（含有二进制内容），请选择本程序导出的 JSON 文件")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ValidationError(name, f"第{line}行不是 UTF-8 编码（可能是 GBK）：{SAVE_AS_UTF8}") from None


def _refuse_constant(name: str):
    def refuse(constant: str) -> None:
        raise ValidationError(name, f"含有 {constant}，不是数字：金额请写成 \"12000.00\"")

    return refuse


def _looks_clean(document: Any) -> bool:
    """The quick walk: True when nothing in the document would be refused. A ten-year import holds a million
    values; building each one's JSON path costs more than checking it, so paths are built only to name a problem."""
    from laopan.storage.limits import CONTROL

    bad_text = re.compile(CONTROL.pattern[:-1] + "\ud800-\udfff]").search
    stack: list[tuple[Any, int]] = [(document, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        kind = type(value)
        if kind is str:
            if bad_text(value):
                return False
        elif kind is dict:
            for key, item in value.items():
                if bad_text(key):
                    return False
                stack.append((item, depth + 1))
        elif kind is list:
            stack.extend((item, depth + 1) for item in value)
        elif kind is int:
            if abs(value) > MAX_INTEGER:
                return False
        elif kind is float:
            if not math.isfinite(value) or abs(value) > MAX_INTEGER:
                return False
        elif not (kind is bool or value is None):
            return False
    return True


def _check_values(document: Any, name: str) -> None:
    """Walk the document without recursion (it may be deep) and refuse what no field of the format accepts."""
    if _looks_clean(document):
        return
    stack: list[tuple[Any, str, int]] = [(document, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        where = path or name
        if depth > MAX_DEPTH:
            raise ValidationError(where, f"嵌套层数过多（交换文件最多 {MAX_DEPTH} 层）")
        if isinstance(value, dict):
            for key, item in value.items():
                _check_text(key, where)
                stack.append((item, f"{path}.{key}" if path else key, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{index}]", depth + 1) for index, item in enumerate(value))
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, int):
            if abs(value) > MAX_INTEGER:
                raise ValidationError(where, "数字过大")
        elif isinstance(value, float):
            if not math.isfinite(value) or abs(value) > MAX_INTEGER:
                raise ValidationError(where, "数字超出范围")
        elif isinstance(value, str):
            _check_text(value, where)


def _check_text(text: str, where: str) -> None:
    from laopan.storage.limits import refuse_control

    refuse_control(where, text)  # here too, so an import names the JSON path rather than the column
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # A "\udc80" escape decodes to a lone surrogate, which no database column can store.
        raise ValidationError(where, "含有无效的 Unicode 字符（孤立的代理项 \\udXXX），请检查文件来源") from None
