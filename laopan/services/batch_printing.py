"""Printing many at once (issue 14): every agreement signed on a day or in a month, or the packets of chosen cases.

    rows = agreements_signed(session, actor=actor, first=day, last=day)
    data = render_item(session, actor=actor, item=rows[0], what="agreement", purpose="export")

`agreements_signed` lists the agreements in force signed in the period (finalised written ones and confirmed oral
ones), by signing date and number. `render_item` renders one — the 协议书, the 口头协议登记表, or the case's whole
卷宗 — through the same service a single print uses, so each is audited exactly like a single print or export. The
caller (`laopan doc agreements`, the window's print centre) writes or prints them one at a time, so a batch may
stop between two items and say how many were done.
"""

import calendar
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy import select
from sqlmodel import Session

from laopan.errors import PermissionDenied, ValidationError
from laopan.models import Agreement, Case
from laopan.models.enums import AgreementKind
from laopan.services.actor import Actor

__all__ = ["BatchItem", "agreements_signed", "cases_by_id", "file_name", "month_range", "render_item", "write_whole"]

What = Literal["agreement", "packet"]


@dataclass(frozen=True)
class BatchItem:
    case_id: int
    intake_no: str
    number: str  # the agreement's number (口头协议登记表编号 for an oral one); "" for a packet of a case without one
    kind: str  # AgreementKind code; "" without an agreement
    signed_on: dt.date | None


def month_range(text: str, option: str = "--month") -> tuple[dt.date, dt.date]:
    """"2026-11" → (2026-11-01, 2026-11-30); refused naming the option otherwise."""
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        first = dt.date(year, month, 1)
    except ValueError:
        raise ValidationError(option, "月份格式应为 2026-11") from None
    return month_bounds(first)


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and the last day of the month `day` falls in."""
    return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])


def agreements_signed(session: Session, *, actor: Actor, first: dt.date, last: dt.date) -> list[BatchItem]:
    """The agreements in force of the committee signed between `first` and `last` (inclusive), oldest first."""
    if not actor.may_reveal:
        raise PermissionDenied("当前角色无权批量打印协议书（含完整个人信息）")
    statement = (
        select(Case.id, Case.intake_no, Agreement.number, Agreement.oral_register_no, Agreement.kind, Agreement.signed_on)
        .join(Case, Case.id == Agreement.case_id)
        .where(Case.committee_id == actor.committee_id, Agreement.superseded_at.is_(None), Agreement.finalised_at.is_not(None),
               Agreement.signed_on >= first, Agreement.signed_on <= last)
        .order_by(Agreement.signed_on, Agreement.number, Case.id)
    )
    return [BatchItem(case_id, intake_no, number or oral_no or "", kind, signed_on)
            for case_id, intake_no, number, oral_no, kind, signed_on in session.execute(statement)]


def cases_by_id(session: Session, *, actor: Actor, case_ids: list[int]) -> list[BatchItem]:
    """The chosen cases (the window's selection), in the order given, with their agreement in force if any."""
    if not actor.may_reveal:
        raise PermissionDenied("当前角色无权批量打印（含完整个人信息）")
    rows = {row[0]: row for row in session.execute(
        select(Case.id, Case.intake_no, Agreement.number, Agreement.oral_register_no, Agreement.kind, Agreement.signed_on)
        .outerjoin(Agreement, (Agreement.case_id == Case.id) & Agreement.superseded_at.is_(None))
        .where(Case.committee_id == actor.committee_id, Case.id.in_(case_ids)))}
    return [BatchItem(c, rows[c][1], rows[c][2] or rows[c][3] or "", rows[c][4] or "", rows[c][5]) for c in case_ids if c in rows]


def render_item(session: Session, *, actor: Actor, item: BatchItem, what: What, purpose: str = "export") -> bytes:
    """One item's PDF, audited as a single print or export is."""
    if what == "packet":
        from laopan.services.packet import render_packet

        return render_packet(session, actor=actor, case_id=item.case_id, purpose=purpose)
    if item.kind == AgreementKind.ORAL.value:
        from laopan.services.oral_agreements import render_oral

        return render_oral(session, actor=actor, case_id=item.case_id, fmt="pdf")
    from laopan.services.agreements import render_agreement

    return render_agreement(session, actor=actor, case_id=item.case_id, fmt="pdf", purpose=purpose)


def file_name(item: BatchItem, what: What) -> str:
    """协议书_DL2026-00087_（2026）东柳人调字第087号.pdf — safe on Windows (no / \\ : * ? " < > |)."""
    head = "卷宗" if what == "packet" else "口头协议登记表" if item.kind == AgreementKind.ORAL.value else "协议书"
    name = "_".join(part for part in (head, item.intake_no, item.number) if part)
    return "".join("_" if ch in '/\\:*?"<>|' else ch for ch in name) + ".pdf"


def write_whole(path: Path, data: bytes) -> None:
    """Write via a temporary name and rename, so an interrupted write never leaves half a PDF under `path`."""
    part = path.with_name(path.name + ".part")
    try:
        part.write_bytes(data)
        part.replace(path)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise ValidationError("输出文件", f"无法写入 {path}：{exc.strerror}") from None
