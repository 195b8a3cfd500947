"""Importing a ledger: each row becomes a `laopan.case/1` case and is checked by the intake service's own rules
(`check_case`), its error paths mapped back to the row and column Excel shows. Then all valid rows or none are
written in one transaction, in bulk (laopan.ledger.writing); a row already in the database is skipped.
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from laopan.security.permissions import Action
from laopan.clock import local_date, start_of_day
from laopan.errors import Refused, ValidationError
from laopan.ledger import parsing as P
from laopan.ledger.mapping import FIELDS, Mapping
from laopan.ledger.reading import Table, column_letter
from laopan.models import Case
from laopan.services import derived
from laopan.services.actor import Actor
from laopan.services.agreement_numbers import taken_numbers
from laopan.services.committee import committee_settings, load_dictionaries
from laopan.services.intake import check_case
from laopan.inputs import parse_case


@dataclass(frozen=True)
class Problem:
    """One finding about one cell (or the whole row when `column` is empty), as the dry run lists it."""

    row: int
    column: str
    header: str
    value: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = f"第{self.row}行" + (f" {self.column}列（{self.header}）" if self.column else "")
        shown = f"“{self.value}”" if self.value else "（空）"
        kind = "警告" if self.warning else "错误"
        return f"{where} {shown}：{kind}：{self.message}" if self.column else f"{where}：{kind}：{self.message}"


@dataclass
class PlannedRow:
    row: int
    checked: Any = None
    """The intake's checked case (laopan.services.intake._Checked) when the row has no error."""
    problems: list[Problem] = field(default_factory=list)
    duplicate_of: str | None = None
    key: tuple | None = None

    @property
    def valid(self) -> bool:
        return self.checked is not None and not any(not p.warning for p in self.problems) and self.duplicate_of is None


@dataclass
class LedgerPlan:
    table: Table
    mapping: Mapping
    rows: list[PlannedRow]

    @property
    def problems(self) -> list[Problem]:
        return [p for r in self.rows for p in r.problems]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def invalid_rows(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.duplicate_of is None and not r.valid]

    @property
    def duplicates(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.duplicate_of is not None]

    @property
    def valid_rows(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.valid]


@dataclass(frozen=True)
class LedgerReport:
    imported: list[tuple[int, str]]
    """(Excel row, intake number) of every case written."""
    skipped_duplicates: list[tuple[int, str]]
    skipped_invalid: list[int]
    warnings: list[Problem]
    seconds: float = 0.0


class Cancelled(Exception):
    """The user cancelled; the transaction is rolled back, nothing is written."""


def _text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if (value.hour or value.minute) else value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return P.squeeze(value)


class _RowConverter:
    """One ledger row → (case dict for `laopan.case/1`, JSON path → field, problems found while reading cells)."""

    def __init__(self, mapping: Mapping, table: Table, labels: dict[str, str], tz: str):
        self.mapping, self.table, self.labels, self.tz = mapping, table, labels, tz
        self.columns = {code: index for index, code in mapping.columns.items()}

    def value(self, values: tuple, name: str) -> Any:
        index = self.columns.get(name)
        return values[index] if index is not None and index < len(values) else None

    def convert(self, values: tuple) -> tuple[dict, dict[str, str], list[tuple[str, str]]]:
        found: list[tuple[str, str]] = []
        paths: dict[str, str] = {}

        def read(name: str, parse: Callable[[Any], Any]) -> Any:
            try:
                return parse(self.value(values, name))
            except ValidationError as exc:
                found.append((name, exc.message if hasattr(exc, "message") else str(exc)))
                return None

        def text(name: str) -> str | None:
            raw = self.value(values, name)
            return P.squeeze(raw) or self.mapping.defaults.get(name) or None

        case: dict[str, Any] = {
            "source": text("source"), "level": text("level"), "community": text("community"), "grid": text("grid"),
            "summary": text("summary"),
        }
        for name in ("source", "level", "community", "grid", "summary"):
            paths[name] = name
        received = read("received_on", P.parse_date)
        if received is None and not any(n == "received_on" for n, _m in found):
            found.append(("received_on", "缺少受理日期"))
        if received is not None:
            case["received_at"] = start_of_day(received, self.tz).isoformat()
        paths["received_at"] = "received_on"
        dispute = read("dispute_type", lambda v: P.dispute_type_code(v, self.labels))
        case["dispute_type"] = dispute or ("other" if any(n == "dispute_type" for n, _m in found) else "")
        paths["dispute_type"] = "dispute_type"
        amount = read("amount", P.parse_amount)
        if amount is not None:
            case["amount_yuan"] = amount
        paths["amount_yuan"] = "amount"
        status = read("result", P.result_status) or "accepted"
        case["status"] = status
        paths["status"] = paths["agreement"] = "result"

        parties: list[dict] = []
        combined = "parties" in self.columns
        for side, role in (("applicant", "applicant"), ("respondent", "respondent")):
            if f"{side}_name" in self.columns or not combined:
                names = [P.squeeze(self.value(values, f"{side}_name"))]
                name_field = f"{side}_name"
            else:
                applicants, respondents = P.split_parties(self.value(values, "parties"))
                names = (applicants if side == "applicant" else respondents) or [""]
                name_field = "parties"
            for position, name in enumerate(names):
                index = len(parties)
                party: dict[str, Any] = {"role": role, "name": name}
                prefix = f"parties[{index}]"
                paths[prefix] = paths[f"{prefix}.name"] = name_field
                if position == 0:  # the side's columns describe its first-named party
                    organisation = P.looks_like_organisation(name)
                    party["kind"] = "organization" if organisation else "person"
                    number = P.id_text(self.value(values, f"{side}_id_number"))
                    if number:
                        party["credit_code" if organisation else "id_number"] = number
                    party["phone"] = P.id_text(self.value(values, f"{side}_phone"))
                    party["address"] = P.squeeze(self.value(values, f"{side}_address")) or None
                    for part in ("id_number", "credit_code", "id_type", "sex", "birth_date"):
                        paths[f"{prefix}.{part}"] = f"{side}_id_number"
                    paths[f"{prefix}.phone"] = f"{side}_phone"
                    paths[f"{prefix}.address"] = f"{side}_address"
                parties.append({k: v for k, v in party.items() if v is not None})
        case["parties"] = parties
        paths["parties"] = "parties" if combined else "applicant_name"

        mediator = P.squeeze(self.value(values, "mediator"))
        if mediator:
            case["mediators"] = [{"name": name, "role": "lead" if i == 0 else "assistant"} for i, name in enumerate(P._names(mediator))]
        paths["mediators"] = "mediator"
        number = P.squeeze(self.value(values, "agreement_no"))
        if status in ("settled", "closed"):
            case["agreement"] = {"kind": "written" if number else "oral", "number": number or None}
        elif number:
            found.append(("agreement_no", "只有调解成功的案件才有协议书编号"))
        paths["agreement.number"] = "agreement_no"
        return {k: v for k, v in case.items() if v is not None}, paths, found


def _split_message(text: str) -> tuple[str, str]:
    """"parties[0].id_number: 15位旧身份证号…" → (path, message)."""
    path, _sep, message = text.partition(": ")
    return (path, message) if message else ("", text)


def plan_import(session: Session, *, actor: Actor, table: Table, mapping: Mapping,
                progress: Callable[[int, int], None] | None = None) -> LedgerPlan:
    """Check every row (nothing written): problems per cell, duplicates of cases already in the database."""
    settings = committee_settings(session, actor.committee_id)
    dicts = load_dictionaries(session, actor.committee_id)
    labels = P.dispute_labels(dicts.dispute_type_codes, dicts.dispute_type_labels)
    converter = _RowConverter(mapping, table, labels, settings.time_zone)
    planned: list[PlannedRow] = []
    numbers = taken_numbers(session, committee_id=actor.committee_id, template=settings.agreement_no_format)

    def problem(row: int, values: tuple, name: str | None, message: str, warning: bool = False) -> Problem:
        index = converter.columns.get(name) if name else None
        if index is None:
            label = f"（{FIELDS[name]}，表中无此列，默认值 {mapping.defaults.get(name, '空')}）" if name in FIELDS else ""
            return Problem(row, "", "", "", f"{label}{message}" if label else message, warning)
        return Problem(row, column_letter(index), table.headers[index], _text(values[index]), message, warning)

    def field_of(paths: dict[str, str], path: str) -> str | None:
        while path:
            if path in paths:
                return paths[path]
            path = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", path)
        return None

    total = len(table.rows)
    for done, (row_number, values) in enumerate(table.rows, 1):
        case, paths, found = converter.convert(values)
        row = PlannedRow(row=row_number)
        row.problems += [problem(row_number, values, name, message) for name, message in found]
        try:
            case_in = parse_case(case)
        except Refused as exc:
            for error in exc.errors:
                row.problems.append(problem(row_number, values, field_of(paths, error.field), error.message))
        else:
            errors, warnings, checked = check_case(session, actor=actor, data=case_in, dicts=dicts, settings=settings,
                                                   numbers_in_file=numbers)
            for error in errors:
                row.problems.append(problem(row_number, values, field_of(paths, error.field), error.message))
            for text in warnings:
                path, message = _split_message(text)
                row.problems.append(problem(row_number, values, field_of(paths, path), message, warning=True))
            if case_in.status.value == "settled" and case_in.agreement and not case_in.agreement.number:
                row.problems.append(problem(row_number, values, "agreement_no", "调解成功但无协议书编号：导入时按口头协议登记并编号", True))
            row.checked = None if errors else checked
            if not errors:
                names = [p.name for p in case_in.parties]
                display = derived.parties_display([p.name for p in case_in.parties if p.role.value == "applicant"],
                                                  [p.name for p in case_in.parties if p.role.value == "respondent"])
                day = local_date(case_in.received_at, settings.time_zone) if case_in.received_at else None
                row.key = (day, display, case_in.summary) if names else None
        planned.append(row)
        if progress is not None and done % 500 == 0:
            progress(done, total)
    _mark_duplicates(session, actor=actor, rows=planned, tz=settings.time_zone)
    return LedgerPlan(table=table, mapping=mapping, rows=planned)


def _mark_duplicates(session: Session, *, actor: Actor, rows: list[PlannedRow], tz: str) -> None:
    """Same intake date, parties and summary as a case already in the database (or an earlier row): skip it."""
    keyed = [r for r in rows if r.key is not None and r.key[0] is not None]
    if not keyed:
        return
    first = min(r.key[0] for r in keyed)
    last = max(r.key[0] for r in keyed)
    existing: dict[tuple, str] = {}
    for received_at, display, summary, intake_no in session.execute(
        select(Case.received_at, Case.parties_display, Case.summary, Case.intake_no).where(
            Case.committee_id == actor.committee_id,
            Case.received_at >= start_of_day(first, tz),
            Case.received_at < start_of_day(last + dt.timedelta(days=1), tz),
        )
    ):
        existing.setdefault((local_date(received_at, tz), display, summary), intake_no)
    seen: dict[tuple, int] = {}
    for row in keyed:
        if row.key in existing:
            row.duplicate_of = f"已导入（{existing[row.key]}）"
        elif row.key in seen:
            row.duplicate_of = f"与第{seen[row.key]}行重复"
        else:
            seen[row.key] = row.row
            continue
        row.problems.append(Problem(row.row, "", "", "", f"跳过：{row.duplicate_of}，受理日期、当事人和简要情况相同", True))


def import_ledger(session: Session, *, actor: Actor, plan: LedgerPlan, valid_only: bool = False,
                  progress: Callable[[int, int], None] | None = None,
                  cancelled: Callable[[], bool] | None = None, skip_duplicates: bool = True) -> LedgerReport:
    """Write the plan's valid rows in the caller's transaction: all of them, or — unless `valid_only` — nothing
    when any row has an error (Refused lists them). Rows already imported are skipped and listed, or with
    `skip_duplicates=False` refuse the whole import (issue 10 item 5: the user chooses, as with
    `laopan case import --on-duplicate`). Raises Cancelled if `cancelled()` turns true midway."""
    import time

    from laopan.ledger.writing import bulk_register

    actor.require(Action.IMPORT_LEDGER)
    started = time.perf_counter()
    invalid = plan.invalid_rows
    if invalid and not valid_only:
        errors = [ValidationError(f"第{p.row}行" + (f" {p.column}列（{p.header}）" if p.column else ""),
                                  (f"“{p.value}”：" if p.value else "") + p.message) for p in plan.errors]
        errors.append(ValidationError("台账", f"{len(invalid)} 行有错误，未导入任何案件；改正后重试，或选择只导入无误的 {len(plan.valid_rows)} 行"))
        raise Refused(errors)
    if plan.duplicates and not skip_duplicates:
        errors = [ValidationError(f"第{r.row}行", f"{r.duplicate_of}，受理日期、当事人和简要情况相同") for r in plan.duplicates]
        errors.append(ValidationError("台账", f"{len(plan.duplicates)} 行已导入过，未导入任何案件；如需跳过这些行，请选择“跳过已导入的行”"))
        raise Refused(errors)
    valid = plan.valid_rows
    numbers = bulk_register(session, actor=actor, checked=[r.checked for r in valid], progress=progress, cancelled=cancelled)
    return LedgerReport(
        imported=[(r.row, number) for r, number in zip(valid, numbers, strict=True)],
        skipped_duplicates=[(r.row, r.duplicate_of or "") for r in plan.duplicates],
        skipped_invalid=[r.row for r in invalid],
        warnings=[p for r in valid for p in r.problems if p.warning],
        seconds=time.perf_counter() - started,
    )
