"""Reading a ledger file into rows of cell values, keeping the row numbers Excel shows.

.xlsx through openpyxl (read-only, cached values); .csv in UTF-8 (with or without BOM) or GBK, which Excel on
Chinese Windows writes — the encoding is detected and reported so the user knows how the file was read.
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from laopan.errors import ValidationError

_HEADER_SCAN_ROWS = 10


@dataclass(frozen=True)
class Table:
    """One sheet: its header texts by column and its data rows as (Excel row number, values)."""

    name: str
    headers: tuple[str, ...]
    header_row: int
    rows: tuple[tuple[int, tuple[Any, ...]], ...]
    encoding: str | None = None
    """How a CSV was decoded (e.g. "GBK"); None for .xlsx."""


def column_letter(index: int) -> str:
    """0 → "A", 26 → "AA" (as Excel names columns)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_index(letter: str) -> int:
    """"A" → 0, "AA" → 26."""
    value = 0
    for char in letter.upper():
        value = value * 26 + ord(char) - ord("A") + 1
    return value - 1


def decode_csv(data: bytes) -> tuple[str, str]:
    """(text, encoding label). A BOM means UTF-8; otherwise UTF-8 if it decodes, else GBK (GB18030, its superset)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "UTF-8（带 BOM）"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GBK"
    except UnicodeDecodeError:
        raise ValidationError("文件", "无法识别的文字编码：请在 Excel 中另存为“CSV UTF-8”或 .xlsx") from None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_row(raw: list[tuple[Any, ...]]) -> int:
    """Index of the header row: old ledgers often start with a merged title row, so take the first of the first
    few rows with at least two recognised headers, else the first row with two or more filled cells."""
    from laopan.ledger.mapping import guess_field

    candidates = raw[:_HEADER_SCAN_ROWS]
    for index, values in enumerate(candidates):
        if sum(1 for v in values if isinstance(v, str) and guess_field(v)) >= 2:
            return index
    for index, values in enumerate(candidates):
        if sum(1 for v in values if not _blank(v)) >= 2:
            return index
    return 0


def _table(name: str, raw: list[tuple[Any, ...]], encoding: str | None) -> Table:
    if not raw:
        raise ValidationError("文件", f"工作表“{name}”是空的")
    head = _header_row(raw)
    width = max(len(values) for values in raw)
    headers = tuple("" if _blank(v) else str(v).strip() for v in raw[head]) + ("",) * (width - len(raw[head]))
    rows = tuple(
        (number, tuple(values) + (None,) * (width - len(values)))
        for number, values in enumerate(raw[head + 1:], start=head + 2)
        if not all(_blank(v) for v in values)
    )
    return Table(name=name, headers=headers, header_row=head + 1, rows=rows, encoding=encoding)


def read_table(path: str | Path, *, sheet: str | None = None) -> Table:
    """The first sheet (or the one named) of an .xlsx, or a .csv file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        if sheet:
            raise ValidationError("--sheet", "CSV 文件没有工作表")
        text, encoding = decode_csv(path.read_bytes())
        raw = [tuple(row) for row in csv.reader(io.StringIO(text, newline=""))]
        return _table(path.name, raw, encoding)
    if suffix not in (".xlsx", ".xlsm"):
        raise ValidationError("文件", f"只能导入 .xlsx 或 .csv 台账，不能是“{suffix or '无扩展名'}”（旧的 .xls 请在 Excel 中另存为 .xlsx）")
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError) as exc:
        if isinstance(exc, FileNotFoundError | PermissionError | IsADirectoryError):
            raise
        raise ValidationError("文件", f"不是有效的 Excel 文件（{exc}）") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise ValidationError("--sheet", f"没有工作表“{sheet}”，可选：{'、'.join(book.sheetnames)}")
        worksheet = book[sheet] if sheet else book.worksheets[0]
        raw = [tuple(values) for values in worksheet.iter_rows(values_only=True)]
        return _table(worksheet.title, raw, None)
    finally:
        book.close()


def sheet_names(path: str | Path) -> list[str]:
    """The sheets of an .xlsx in order (a .csv has none), so the user can choose which one is the ledger."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return []
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True)
    except (ValueError, KeyError) as exc:
        raise ValidationError("文件", f"不是有效的 Excel 文件（{exc}）") from None
    try:
        return list(book.sheetnames)
    finally:
        book.close()
