"""台账 export: any filtered case list (a CaseFilter, as the list page and `laopan cases` use) to Excel.

ID numbers, phones and addresses are masked (DESIGN §4) unless the exporter asks to reveal them and their role
may (as for the case detail); the export is audited only once the file exists, so a failed write leaves no
claim that personal data left the desk."""

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session

from laopan.security.permissions import Action
from laopan.clock import local_date
from laopan.errors import ValidationError
from laopan.labels import label
from laopan.models import Agreement, Case, Party
from laopan.models.enums import CaseStatus, Level
from laopan.services import audit
from laopan.services.actor import Actor
from laopan.services.cases import CaseFilter, CaseQuery
from laopan.validation import mask_address, mask_id_number, mask_phone

COLUMNS = ("受理编号", "受理日期", "当事人", "申请人身份证号", "申请人电话", "申请人住址", "纠纷类型", "来源", "层级", "社区",
           "网格", "状态", "主调", "协议编号", "标的额（元）", "纠纷简要情况")
WIDTHS = (20, 12, 24, 21, 15, 26, 12, 14, 6, 10, 16, 10, 8, 26, 12, 50)
_CHUNK = 900  # below SQLite's bound-parameter limit for the IN (…) of parties


def export_cases_xlsx(session: Session, *, actor: Actor, filters: CaseFilter, path: str | Path,
                      reveal: bool = False, progress: Callable[[int, int], None] | None = None) -> int:
    """Write every case matching `filters` (newest first) to `path` (.xlsx); returns the number of cases."""
    if reveal:
        actor.require(Action.EXPORT)  # a masked ledger (the default) is open to every role
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ValidationError("文件", f"台账只能导出为 .xlsx，不能是“{path.suffix or '无扩展名'}”")
    if not path.parent.is_dir():
        raise ValidationError("文件", f"文件夹不存在：{path.parent}")
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    query = CaseQuery(session, actor=actor, filters=filters)
    dicts, tz = query.dicts, query.tz
    statement = (
        select(Case.id, Case.intake_no, Case.received_at, Case.parties_display, Case.dispute_type_id, Case.source_id,
               Case.level, Case.community_id, Case.grid_id, Case.status, Case.lead_name, Case.amount_fen, Case.summary,
               Agreement.number)
        .outerjoin(Agreement, (Agreement.case_id == Case.id) & Agreement.superseded_at.is_(None))
        .where(query.where)
        .order_by(Case.received_at.desc(), Case.id.desc())
    )
    rows = session.execute(statement).all()

    book = Workbook()
    sheet = book.active
    sheet.title = "案件台账"
    sheet.append([f"{label_committee(session, actor)} 人民调解案件台账（{len(rows)} 件）"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(COLUMNS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start:start + _CHUNK]
        applicants: dict[int, Party] = {}
        for party in session.execute(
            select(Party).where(Party.case_id.in_([r.id for r in chunk]), Party.role == "applicant").order_by(Party.seq.desc())
        ).scalars():
            applicants[party.case_id] = party  # descending, so the first-named applicant is kept

        def personal(value, mask):
            return value if (reveal or not value) else mask(value)

        for r in chunk:
            applicant = applicants.get(r.id)
            sheet.append([
                r.intake_no, local_date(r.received_at, tz), r.parties_display,
                personal(applicant.id_number, mask_id_number) if applicant else None,
                personal(applicant.phone, mask_phone) if applicant else None,
                personal(applicant.address, mask_address) if applicant else None,
                dicts.dispute_type_labels.get(r.dispute_type_id, ""), dicts.source_labels.get(r.source_id, ""),
                label(Level, r.level), dicts.community_names.get(r.community_id, ""),
                dicts.grid_names.get(r.grid_id, "") if r.grid_id else None, label(CaseStatus, r.status), r.lead_name,
                r.number, r.amount_fen / 100 if r.amount_fen is not None else None, r.summary,
            ])
        if progress is not None:
            progress(min(start + _CHUNK, len(rows)), len(rows))
    for index, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for cells in sheet.iter_rows(min_row=3, min_col=2, max_col=2):
        cells[0].number_format = "yyyy-mm-dd"
    for cells in sheet.iter_rows(min_row=3, min_col=15, max_col=15):
        cells[0].number_format = "#,##0.00"
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "1:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    try:
        book.save(path)
    except OSError as exc:
        raise ValidationError("文件", f"无法写入 {path}（{exc.strerror or exc}）") from None
    audit.record(session, actor=actor, action="cases.export_ledger", entity="committee", entity_id=actor.committee_id,
                 changes={"file": str(path), "cases": len(rows), "revealed": reveal,
                          "filters": {k: v for k, v in vars(filters).items() if v is not None}})
    return len(rows)


def label_committee(session: Session, actor: Actor) -> str:
    from laopan.models import Committee

    committee = session.get(Committee, actor.committee_id)
    return committee.name if committee else ""
