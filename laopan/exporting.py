"""Writing tables to CSV (UTF-8 with BOM, so Excel shows Chinese) and .xlsx (openpyxl, imported when used)."""

import csv
from collections.abc import Sequence
from pathlib import Path

from laopan.errors import ValidationError


def write_table(path: str | Path, *, title: str, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
    """Writes the table; a folder that does not exist or cannot be written is a Chinese refusal (the caller's audit
    entry, written after this returns, then never happens)."""
    path = Path(path)
    try:
        _write(path, title=title, columns=columns, rows=rows)
    except OSError as exc:
        raise ValidationError("文件", f"无法写入 {path}（{exc.strerror or exc}）") from None


def _write(path: Path, *, title: str, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            writer.writerows(rows)
    elif suffix == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font

        book = Workbook()
        sheet = book.active
        sheet.title = title[:31]
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
        sheet["A1"].font = Font(bold=True, size=14)
        sheet["A1"].alignment = Alignment(horizontal="center")
        sheet.append(list(columns))
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(list(row))
        for index, column in enumerate(columns, 1):
            width = max(len(str(column)), *(len(str(row[index - 1])) for row in rows)) if rows else len(column)
            sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = max(8, width * 2 + 2)
        book.save(path)
    else:
        raise ValidationError("文件", f"只能导出为 .xlsx 或 .csv，不能是“{suffix or '无扩展名'}”")
