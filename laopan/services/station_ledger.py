"""The monthly ledger per police station (警调对接月度台账): counts only, nothing personal."""

import datetime as dt

from sqlalchemy import select
from sqlmodel import Session

from laopan.clock import start_of_day
from laopan.errors import ValidationError
from laopan.models import Case, PoliceReferral
from laopan.models.enums import CaseStatus
from laopan.security.permissions import Action
from laopan.services import audit
from laopan.services.actor import Actor
from laopan.services.committee import committee_settings, load_dictionaries
from laopan.views.referrals import LedgerRow

COLUMNS = ("派出所", "移交数", "调解成功", "成功率", "应反馈", "按时反馈", "按时反馈率", "退回公安", "二次调解")


def parse_month(text: str) -> tuple[int, int]:
    try:
        year, month = (int(part) for part in text.split("-"))
        dt.date(year, month, 1)
    except ValueError:
        raise ValidationError("月份", "格式应为 2026-11") from None
    return year, month


def monthly_ledger(session: Session, *, actor: Actor, year: int, month: int) -> list[LedgerRow]:
    """One row per station for referrals made in that calendar month (committee time zone), plus a total row."""
    # Counts only, nothing personal: every role that works joint cases may read it.
    actor.require(Action.VIEW_STATION_LEDGER)
    tz = committee_settings(session, actor.committee_id).time_zone
    start = start_of_day(dt.date(year, month, 1), tz)
    end = start_of_day(dt.date(year + month // 12, month % 12 + 1, 1), tz)
    now = actor.clock.now()
    dicts = load_dictionaries(session, actor.committee_id)
    rows = session.execute(
        select(
            PoliceReferral.station_id, PoliceReferral.feedback_at, PoliceReferral.feedback_due_at,
            PoliceReferral.returned_to_police_at, PoliceReferral.second_mediation, Case.status, Case.status_before_close,
        )
        .join(Case, Case.id == PoliceReferral.case_id)
        .where(Case.committee_id == actor.committee_id, PoliceReferral.referred_at >= start, PoliceReferral.referred_at < end)
    ).all()
    tallies: dict[int, list[int]] = {station_id: [0] * 6 for station_id in dicts.station_names}
    for station_id, feedback_at, feedback_due_at, returned_at, second, status, before_close in rows:
        tally = tallies.setdefault(station_id, [0] * 6)
        tally[0] += 1
        settled = status == CaseStatus.SETTLED.value or (status == CaseStatus.CLOSED.value and before_close == CaseStatus.SETTLED.value)
        tally[1] += settled
        if feedback_at is not None or feedback_due_at <= now:
            tally[2] += 1
            tally[3] += feedback_at is not None and feedback_at <= feedback_due_at
        tally[4] += returned_at is not None
        tally[5] += bool(second)
    result = [LedgerRow(dicts.station_names.get(station_id, f"#{station_id}"), *tally) for station_id, tally in tallies.items()]
    total = [sum(row[i] for row in tallies.values()) for i in range(6)]
    result.append(LedgerRow("合计", *total))
    return result


def export_ledger(session: Session, *, actor: Actor, year: int, month: int, path: str) -> int:
    """Write the ledger to .xlsx or .csv (by the file's extension); audited. Returns the rows written."""
    from laopan.exporting import write_table

    rows = monthly_ledger(session, actor=actor, year=year, month=month)
    title = f"{year}年{month}月 警调对接月度台账"
    write_table(path, title=title, columns=COLUMNS, rows=[row.cells() for row in rows])
    audit.record(session, actor=actor, action="ledger.export", entity="committee", entity_id=actor.committee_id,
                 changes={"month": f"{year}-{month:02d}", "file": str(path)})
    return len(rows)
