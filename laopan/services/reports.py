"""The monthly report to the 司法所 (人民调解工作月报): rows by dispute type (or community / level / mediator), the
figures of `statistics` as columns, a 合计 row, and the header a 司法所 expects (committee, period, 填报人,
审核人, 填报日期). Written to Excel (openpyxl) and to PDF / DOCX through the document pipeline; every file
written is audited.
"""

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session

from laopan.clock import format_date_cn
from laopan.documents.model import Document, Paragraph, Table, inline
from laopan.errors import ValidationError
from laopan.models import Committee
from laopan.services import audit, cached
from laopan.services.actor import Actor
from laopan.services.statistics import (
    Figures, Period, Row, Scope, Statistics, rate_text, statistics_with_breakdown, time_zone, total,
)

TITLE = "人民调解工作月报表"
ROW_HEADINGS = {"dispute_type": "纠纷类型", "community": "社区", "level": "调解层级", "mediator": "主持调解员", "source": "案件来源"}
REPORT_BY = ("dispute_type", "community", "level", "mediator")
INTEGER, PERCENT, MONEY = "0", "0.0%", "#,##0.00"


@dataclass(frozen=True)
class Column:
    heading: str
    value: Callable[[Figures], int | float | None]
    number_format: str = INTEGER

    def text(self, figures: Figures) -> str:
        value = self.value(figures)
        if self.number_format == PERCENT:
            return rate_text(value)
        if self.number_format == MONEY:
            return f"{value:,.2f}"
        return str(value)


COLUMNS: tuple[Column, ...] = (
    Column("登记", lambda f: f.received),
    Column("受理", lambda f: f.accepted),
    Column("调解成功", lambda f: f.settled),
    Column("成功率", lambda f: f.success_rate, PERCENT),
    Column("书面协议", lambda f: f.settled_written),
    Column("口头协议", lambda f: f.settled_oral),
    Column("调解终止", lambda f: f.terminated),
    Column("在办", lambda f: f.pending),
    Column("涉及金额（元）", lambda f: f.amount_involved_fen / 100, MONEY),
    Column("协议金额（元）", lambda f: f.amount_agreed_fen / 100, MONEY),
    Column("履行", lambda f: f.performed),
    Column("司法确认", lambda f: f.judicially_confirmed),
    Column("防止民转刑", lambda f: f.prevented_criminal),
    Column("防止群体性上访", lambda f: f.prevented_group_petition),
)


@dataclass(frozen=True)
class MonthlyReport:
    committee: str
    period: Period
    by: str
    rows: tuple[Row, ...]
    totals: Figures
    statistics: Statistics
    preparer: str
    reviewer: str
    prepared_on: dt.date

    @property
    def title(self) -> str:
        return TITLE

    def header_lines(self) -> tuple[str, ...]:
        return (
            f"填报单位：{self.committee}　　统计期间：{self.period.label}",
            f"填报人：{self.preparer}　　审核人：{self.reviewer or '　　　　'}　　填报日期：{format_date_cn(self.prepared_on)}",
        )

    def table_rows(self) -> list[tuple[str, ...]]:
        """Every row as text, the heading row first and 合计 last."""
        rows = [(ROW_HEADINGS[self.by], *(column.heading for column in COLUMNS))]
        rows += [(row.label, *(column.text(row.figures) for column in COLUMNS)) for row in self.rows]
        rows.append(("合计", *(column.text(self.totals) for column in COLUMNS)))
        return rows

    def notes(self) -> tuple[str, ...]:
        referrals = self.statistics.referrals
        days = self.totals.average_days_to_settle
        return (
            f"平均调解天数：{'—' if days is None else f'{days:.1f}'}　　逾期在办：{self.totals.overdue} 件　　"
            f"警调移交：{referrals.referrals} 件（按时首次联系率 {rate_text(referrals.first_contact_rate)}，"
            f"按时反馈率 {rate_text(referrals.feedback_rate)}）",
            "说明：按本期登记的案件统计；成功率＝调解成功÷受理；协议金额为调解成功案件的涉及金额；"
            "司法确认暂未登记，记为 0。",
        )


def monthly_report(
    session: Session, *, actor: Actor, when: Period, by: str = "dispute_type", scope: Scope | None = None, reviewer: str = "",
) -> MonthlyReport:
    if by not in REPORT_BY:
        raise ValidationError("--by", f"应为{'、'.join(REPORT_BY)}之一")
    stats, found = statistics_with_breakdown(session, actor=actor, when=when, by=by, scope=scope)
    rows = tuple(found)
    # The 合计 row is the period's own total: a case without a lead mediator still counts in it.
    totals = stats.totals if by != "mediator" else total(found)
    return MonthlyReport(
        committee=committee_name(session, actor.committee_id), period=when, by=by, rows=rows, totals=totals, statistics=stats,
        preparer=actor.display_name or actor.login, reviewer=reviewer.strip(), prepared_on=actor.today(time_zone(session, actor.committee_id)),
    )


def committee_name(session: Session, committee_id: int) -> str:
    """The committee's name, read once per desk (laopan.services.cached)."""
    return cached.memo(session, committee_id, "name", lambda s: s.connection().execute(
        select(Committee.name).where(Committee.id == committee_id)).scalar_one())


# ---------------------------------------------------------------- files


@dataclass(frozen=True)
class Sheet:
    """What a report sheet holds: the title, header lines, column headings and formats, rows of real values
    (the last `total_rows` of them totals), and notes under the table."""

    title: str
    header: tuple[str, ...]
    headings: tuple[str, ...]
    formats: tuple[str, ...]
    rows: tuple[tuple, ...]
    total_rows: int = 1
    notes: tuple[str, ...] = ()


def monthly_sheet(report: MonthlyReport) -> Sheet:
    values = [(row.label, *(column.value(row.figures) for column in COLUMNS)) for row in report.rows]
    values.append(("合计", *(column.value(report.totals) for column in COLUMNS)))
    return Sheet(
        title=f"{report.committee}{report.period.label}{TITLE}", header=report.header_lines(),
        headings=(ROW_HEADINGS[report.by], *(column.heading for column in COLUMNS)),
        formats=("@", *(column.number_format for column in COLUMNS)), rows=tuple(values), notes=report.notes(),
    )


def sheet_xlsx(sheet: Sheet) -> bytes:
    """An .xlsx of one sheet: real numbers with number formats, a frozen heading, A4 landscape fitted to width."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    book = Workbook()
    ws = book.active
    ws.title = sheet.title[-31:] if len(sheet.title) > 31 else sheet.title
    width = len(sheet.headings)
    ws.append([sheet.title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    for line in sheet.header:
        ws.append([line])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
    heading_row = ws.max_row + 1
    ws.append(list(sheet.headings))
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in ws[heading_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = box
    first_total = len(sheet.rows) - sheet.total_rows
    for index, values in enumerate(sheet.rows):
        ws.append(["" if value is None else value for value in values])
        for cell, number_format in zip(ws[ws.max_row], sheet.formats, strict=True):
            cell.number_format = number_format
            cell.border = box
            if index >= first_total:
                cell.font = Font(bold=True)
    for line in sheet.notes:
        ws.append([line])
    for column in range(1, width + 1):
        longest = max(len(str(sheet.headings[column - 1])), *(len(_shown(row[column - 1])) for row in sheet.rows))
        ws.column_dimensions[get_column_letter(column)].width = min(max(8, longest * 2 + 2), 30)
    ws.freeze_panes = ws.cell(row=heading_row + 1, column=2)
    ws.print_title_rows = f"{heading_row}:{heading_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _shown(value) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    return "" if value is None else str(value)


def sheet_document(sheet: Sheet, texts: Sequence[Sequence[str]], widths: tuple[float, ...] = ()) -> Document:
    """The same sheet as a landscape document for the PDF / DOCX renderers; `texts` are the rows as shown."""
    rows = tuple(tuple(inline(cell) or inline("0") for cell in row) for row in texts)
    blocks = [Paragraph(inline(line), indent=False) for line in sheet.header]
    blocks.append(Table(rows, header_rows=1, total_rows=sheet.total_rows, widths=widths))
    blocks += [Paragraph(inline(line), indent=False) for line in sheet.notes]
    return Document(title=sheet.title, number=(), blocks=tuple(blocks), subject=sheet.title, landscape=True)


# Headings broken on purpose where a narrow column would otherwise break them anywhere (涉及金额（ / 元）).
PRINTED_HEADINGS = {"涉及金额（元）": "涉及金额\n（元）", "协议金额（元）": "协议金额\n（元）",
                    "防止民转刑": "防止\n民转刑", "防止群体性上访": "防止群体\n性上访"}


def monthly_document(report: MonthlyReport) -> Document:
    # Relative widths: the longest type (道路交通事故), a four-character heading, 100.0% and a month's sums on
    # a 100k-case desk (33,257,530.00) each on one line.
    widths = (2.4, 1.0, 1.0, 1.5, 1.4, 1.5, 1.5, 1.5, 0.9, 2.6, 2.6, 0.9, 1.5, 1.2, 1.5)
    heading, *rows = report.table_rows()
    heading = tuple(PRINTED_HEADINGS.get(text, text) for text in heading)
    return sheet_document(monthly_sheet(report), [heading, *rows], widths)


def write_report_files(
    session: Session, *, actor: Actor, sheet: Sheet, document: Callable[[], Document], what: str, period: Period,
    xlsx: str | Path | None = None, pdf: str | Path | None = None, docx: str | Path | None = None,
) -> list[Path]:
    """Write the files asked for, each audited (a report carries no personal data, but leaving the desk is logged)."""
    from laopan.documents import render_docx, render_pdf

    written = []
    for path, fmt in ((xlsx, "xlsx"), (pdf, "pdf"), (docx, "docx")):
        if not path:
            continue
        path = Path(path)
        if path.suffix.lower() != f".{fmt}":
            raise ValidationError(f"--{fmt}", f"文件扩展名应为 .{fmt}")
        data = sheet_xlsx(sheet) if fmt == "xlsx" else (render_pdf if fmt == "pdf" else render_docx)(document())
        path.write_bytes(data)
        audit.record(session, actor=actor, action=f"report.{what}", entity="committee", entity_id=actor.committee_id,
                     changes={"period": period.label, "format": fmt, "file": str(path)})
        written.append(path)
    return written


def export_monthly(session: Session, *, actor: Actor, report: MonthlyReport, xlsx=None, pdf=None, docx=None) -> list[Path]:
    return write_report_files(session, actor=actor, sheet=monthly_sheet(report), document=lambda: monthly_document(report),
                              what="monthly", period=report.period, xlsx=xlsx, pdf=pdf, docx=docx)
