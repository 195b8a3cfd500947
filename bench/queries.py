"""List and search timings: our service versus the raw sqlite3 floor for the same question."""

import sqlite3
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from laopan.desk import Desk
from laopan.services.cases import CaseFilter, CaseQuery

PAGE = 100


@dataclass(frozen=True)
class Figure:
    name: str
    ours_ms: float
    floor_ms: float
    target_ms: float | None
    rows: int

    @property
    def ratio(self) -> float:
        return self.ours_ms / self.floor_ms if self.floor_ms else float("nan")


def median_ms(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    result = run()  # warm the page cache and the statement caches once
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), result


_COLUMNS = "id, intake_no, received_at, parties_display, dispute_type_id, level, status, lead_name, due_on, community_id"


def _floor_sql(where: str) -> str:
    return f"SELECT {_COLUMNS} FROM mediation_case WHERE committee_id = ? {where} ORDER BY received_at DESC, id DESC LIMIT {PAGE}"


def sample_terms(raw: sqlite3.Connection) -> dict[str, str]:
    """Search terms taken from the data itself, so every search has answers."""
    name = raw.execute("SELECT name FROM party WHERE kind='person' AND length(name) = 3 ORDER BY id DESC LIMIT 1").fetchone()[0]
    phone = raw.execute("SELECT phone FROM party WHERE phone LIKE '1%' ORDER BY id DESC LIMIT 1").fetchone()[0]
    intake = raw.execute("SELECT intake_no FROM mediation_case ORDER BY id LIMIT 1 OFFSET 5000").fetchone()[0]
    rare = raw.execute("SELECT gram FROM name_gram WHERE length(gram)=1 GROUP BY gram HAVING count(*) BETWEEN 5 AND 50 LIMIT 1").fetchone()
    return {
        "1 char (common)": name[0],
        "1 char (rare)": rare[0] if rare else name[-1],
        "2 chars": name[:2],
        "3 chars": name,
        "phone tail": phone[-4:],
        "phone tail (Ningbo area code)": "3302",
        "intake no": intake,
    }


def run_queries(desk: Desk, db_path: str, repeat: int = 15) -> list[Figure]:
    raw = sqlite3.connect(db_path)
    committee = desk.committee_id
    figures: list[Figure] = []

    def ours(filters: CaseFilter) -> Callable[[], list]:
        def run() -> list:
            with desk.reading() as session:
                query = CaseQuery(session, actor=desk.actor, filters=filters)
                return query.page(session, offset=0, limit=PAGE)

        return run

    def floor(where: str, *params) -> Callable[[], list]:
        sql = _floor_sql(where)
        return lambda: raw.execute(sql, (committee, *params)).fetchall()

    def measure(name: str, filters: CaseFilter, floor_run: Callable[[], list], target: float | None) -> None:
        ours_ms, rows = median_ms(ours(filters), repeat)
        floor_ms, floor_rows = median_ms(floor_run, repeat)
        # Ours may find more (a digit string is also tried as an ID fragment and an intake number tail).
        assert len(rows) >= len(floor_rows), f"{name}: ours {len(rows)} rows, floor {len(floor_rows)}"
        figures.append(Figure(name, ours_ms, floor_ms, target, len(rows)))

    measure("list page", CaseFilter(), floor(""), 50)
    measure("list page, status=mediating", CaseFilter(status="mediating"), floor("AND status = ?", "mediating"), 50)
    overdue_floor = floor("AND status IN ('accepted','mediating') AND due_on < ?", desk.actor.clock.now().date().isoformat())
    measure("list page, overdue", CaseFilter(due="overdue"), overdue_floor, 50)

    for label, term in sample_terms(raw).items():
        if label.startswith("phone tail"):
            where = "AND id IN (SELECT case_id FROM party WHERE committee_id = ? AND phone_rev >= ? AND phone_rev < ?)"
            rev = term[::-1]
            run_floor = floor(where, committee, rev, rev[:-1] + chr(ord(rev[-1]) + 1))
        elif label == "intake no":
            run_floor = floor("AND intake_no = ?", term)
        elif len(term) <= 2:
            run_floor = floor("AND id IN (SELECT case_id FROM name_gram WHERE committee_id = ? AND gram = ?)", committee, term)
        else:
            run_floor = floor(
                "AND id IN (SELECT case_id FROM name_gram WHERE committee_id = ? AND gram = ?) "
                "AND EXISTS (SELECT 1 FROM party p WHERE p.case_id = mediation_case.id AND p.name LIKE ?)",
                committee, term[:2], f"%{term}%",
            )
        measure(f"search {label} “{term}”", CaseFilter(text=term), run_floor, 100)
    raw.close()
    return figures


def run_ledger(desk: Desk, db_path: str, repeat: int = 15) -> Figure:
    """The monthly station ledger (a monthly statistic, DESIGN §6 ≤ 300 ms) for the busiest month."""
    from laopan.services.station_ledger import monthly_ledger

    raw = sqlite3.connect(db_path)
    month = raw.execute(
        "SELECT strftime('%Y-%m', referred_at, '+8 hours') AS m FROM police_referral GROUP BY m ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    year, number = (int(part) for part in month.split("-"))
    start = f"{month}-01 00:00:00"
    end_year, end_month = (year + 1, 1) if number == 12 else (year, number + 1)

    def ours() -> list:
        with desk.reading() as session:
            return monthly_ledger(session, actor=desk.actor, year=year, month=number)

    floor_sql = (
        "SELECT r.station_id, count(*), sum(c.status = 'settled' OR (c.status = 'closed' AND c.status_before_close = 'settled')), "
        "sum(r.feedback_at IS NOT NULL AND r.feedback_at <= r.feedback_due_at), sum(r.returned_to_police_at IS NOT NULL) "
        "FROM police_referral r JOIN mediation_case c ON c.id = r.case_id "
        "WHERE r.referred_at >= datetime(?, '-8 hours') AND r.referred_at < datetime(?, '-8 hours') GROUP BY r.station_id"
    )
    params = (start, f"{end_year:04d}-{end_month:02d}-01 00:00:00")
    ours_ms, rows = median_ms(ours, repeat)
    floor_ms, _ = median_ms(lambda: raw.execute(floor_sql, params).fetchall(), repeat)
    raw.close()
    return Figure(f"station ledger {month} ({rows[-1].received} referrals)", ours_ms, floor_ms, 300, len(rows))


# ---------------------------------------------------------------- statistics (the monthly report, the 统计 page)

_OUTCOME = "CASE WHEN c.status = 'closed' THEN c.status_before_close ELSE c.status END"
_FIGURES = f"""count(*), sum(c.accepted_at IS NOT NULL), sum({_OUTCOME} = 'rejected'), sum({_OUTCOME} = 'settled'),
    sum({_OUTCOME} = 'settled' AND a.kind = 'written'), sum({_OUTCOME} = 'settled' AND a.kind = 'oral'),
    sum({_OUTCOME} = 'terminated'), sum({_OUTCOME} IN ('registered','accepted','mediating')),
    sum({_OUTCOME} IN ('registered','accepted','mediating') AND c.due_on < :today),
    coalesce(sum(c.amount_fen), 0), coalesce(sum(CASE WHEN {_OUTCOME} = 'settled' THEN c.amount_fen ELSE 0 END), 0),
    sum({_OUTCOME} = 'settled' AND EXISTS (SELECT 1 FROM follow_up f WHERE f.case_id = c.id AND f.performance_status = 'performed')),
    sum({_OUTCOME} = 'settled' AND EXISTS (SELECT 1 FROM judicial_confirmation j WHERE j.case_id = c.id AND j.result = 'confirmed')),
    sum(c.prevented_criminal), sum(c.prevented_group_petition),
    sum(CASE WHEN {_OUTCOME} = 'settled' AND a.signed_on IS NOT NULL AND c.accepted_at IS NOT NULL
        THEN julianday(a.signed_on) - julianday(date(c.accepted_at, '+480 minutes')) ELSE 0 END),
    sum({_OUTCOME} = 'settled' AND a.signed_on IS NOT NULL AND c.accepted_at IS NOT NULL)"""
# The same question as laopan.services.statistics: the agreement in force only, judicial confirmations counted.
_FROM = ("FROM mediation_case c LEFT JOIN agreement a ON a.case_id = c.id AND a.superseded_at IS NULL "
         "WHERE c.committee_id = :committee")
_REFERRALS = """SELECT count(*), sum(r.first_contact_at IS NOT NULL OR r.first_contact_due_at <= :now),
    sum(r.first_contact_at <= r.first_contact_due_at), sum(r.feedback_at IS NOT NULL OR r.feedback_due_at <= :now),
    sum(r.feedback_at <= r.feedback_due_at)
    FROM mediation_case c JOIN police_referral r ON r.case_id = c.id
    WHERE c.committee_id = :committee AND c.received_at >= :start AND c.received_at < :end"""


def _utc_text(day, tz: str) -> str:
    from laopan.clock import start_of_day

    return start_of_day(day, tz).strftime("%Y-%m-%d %H:%M:%S")


def run_statistics(desk: Desk, db_path: str, repeat: int = 15) -> list[Figure]:
    """The monthly report (statistics + breakdown by type) and the 统计 page's figures (statistics, 环比/同比 and a
    year of months by level) for the clock's month before; floors: the same GROUP BYs in raw sqlite3."""
    from laopan.services.reports import monthly_report
    from laopan.services.statistics import compare, last_months, month, monthly_series

    tz = "Asia/Shanghai"
    today = desk.actor.clock.now().date()
    when = month(today.year, today.month).previous_month()
    raw = sqlite3.connect(db_path)

    def params(period) -> dict:
        import datetime as dt

        return {"committee": desk.committee_id, "start": _utc_text(period.first, tz),
                "end": _utc_text(period.last + dt.timedelta(days=1), tz), "today": today.isoformat(),
                "now": desk.actor.clock.now().strftime("%Y-%m-%d %H:%M:%S")}

    def ours_report():
        with desk.reading() as session:
            return monthly_report(session, actor=desk.actor, when=when)

    def floor_report():
        p = params(when)
        window = "AND c.received_at >= :start AND c.received_at < :end"
        rows = raw.execute(f"SELECT c.dispute_type_id, {_FIGURES} {_FROM} {window} GROUP BY c.dispute_type_id", p).fetchall()
        return rows, raw.execute(_REFERRALS, p).fetchone()

    ours_ms, report = median_ms(ours_report, repeat)
    floor_ms, (floor_rows, _) = median_ms(floor_report, repeat)
    assert sum(row[1] for row in floor_rows) == report.totals.received
    figures = [Figure(f"monthly report {when.first:%Y-%m} ({report.totals.received} cases)", ours_ms, floor_ms, 300, len(report.rows))]

    months = last_months(when, 12)

    def ours_page():
        with desk.reading() as session:
            return compare(session, actor=desk.actor, when=when), monthly_series(session, actor=desk.actor, last_month=when)

    def floor_page():
        results = []
        for period in (when, when.previous_month(), when.same_month_last_year()):
            p = params(period)
            results.append(raw.execute(f"SELECT {_FIGURES} {_FROM} AND c.received_at >= :start AND c.received_at < :end", p).fetchone())
            results.append(raw.execute(_REFERRALS, p).fetchone())
        bounds = [params(period)["start"] for period in months[1:]]
        bucket = "CASE " + " ".join(f"WHEN c.received_at < '{b}' THEN {n}" for n, b in enumerate(bounds)) + f" ELSE {len(bounds)} END"
        p = {**params(months[0]), "end": params(months[-1])["end"]}
        results.append(raw.execute(
            f"SELECT {bucket} AS bucket, c.level, {_FIGURES} {_FROM} AND c.received_at >= :start AND c.received_at < :end "
            "GROUP BY bucket, c.level", p).fetchall())
        return results

    ours_ms, (comparison, series) = median_ms(ours_page, repeat)
    floor_ms, floor = median_ms(floor_page, repeat)
    assert floor[0][0] == comparison.current.totals.received
    assert sum(row[2] for row in floor[-1]) == sum(item.figures.received for item in series)
    figures.append(Figure("统计 page: month, 环比/同比, 12 months", ours_ms, floor_ms, 300, len(series)))
    raw.close()
    return figures


# The table of issue 16: every query's capped count and first page, beside raw SQL for the same question
# (the newest-first walk with EXISTS — the plan a hand-written query would use for a frequent term). The search
# indexes lead with the committee (migration 0013): {c} is the desk's committee.
ISSUE_TERMS = {
    "王": "EXISTS (SELECT 1 FROM name_gram g WHERE g.committee_id = {c} AND g.gram = '王' AND g.case_id = c.id)",
    "物业": "EXISTS (SELECT 1 FROM name_gram g WHERE g.committee_id = {c} AND g.gram = '物业' AND g.case_id = c.id)",
    "330212": "EXISTS (SELECT 1 FROM party p WHERE p.case_id = c.id AND p.id_number >= '330212' AND p.id_number < '330213')",
    # rare (a few hundred): index-first is the floor's plan too
    "138": "c.id IN (SELECT case_id FROM party WHERE committee_id = {c} AND phone_rev >= '831' AND phone_rev < '832' "
           "OR committee_id = {c} AND id_number_rev >= '831' AND id_number_rev < '832')",
    "DL2026": "c.intake_no || '' >= 'DL2026' AND c.intake_no || '' < 'DL2027'",
    "东柳人调字": "EXISTS (SELECT 1 FROM agreement a WHERE a.case_id = c.id AND a.number LIKE '%东柳人调字%')",
    # pinyin (item 5): initials match many cases, a full reading few
    "zw": "EXISTS (SELECT 1 FROM name_pinyin k WHERE k.case_id = c.id AND k.key >= 'zw' AND k.key < 'zx')",
    "zhangw": "EXISTS (SELECT 1 FROM name_pinyin k WHERE k.case_id = c.id AND k.key >= 'zhangw' AND k.key < 'zhangx')",
    "Zhang Wei": "c.id IN (SELECT case_id FROM name_pinyin WHERE committee_id = {c} AND key >= 'zhangwei' AND key < 'zhangwej')",
    "": "TRUE",
}


def run_issue_table(desk: Desk, db_path: str | None, repeat: int = 15, raw=None) -> list[tuple[str, float, float, float, float, str]]:
    """(query, our capped count ms, our first page ms, floor count ms, floor page ms, count text) per query.

    The floor runs on `raw` (a DB-API connection: PostgreSQL's, bench/pg.py) or on the SQLite file `db_path`."""
    from laopan.services.cases import COUNT_CAP

    marker = "?" if raw is None else "%s"
    raw = sqlite3.connect(db_path) if raw is None else raw
    rows = []
    for term, condition in ISSUE_TERMS.items():
        filters = CaseFilter(text=term or None)
        condition = condition.format(c=int(desk.committee_id))
        if marker == "%s":
            condition = condition.replace("%", "%%")  # psycopg's placeholders: a literal % is written twice

        def page(filters=filters) -> list:
            with desk.reading() as session:
                return CaseQuery(session, actor=desk.actor, filters=filters).page(session, limit=PAGE)

        def count(filters=filters) -> int:
            with desk.reading() as session:
                return CaseQuery(session, actor=desk.actor, filters=filters).count(session, limit=COUNT_CAP + 1)

        page_sql = f"SELECT {_COLUMNS} FROM mediation_case c WHERE committee_id = {marker} AND {condition} ORDER BY received_at DESC, id DESC LIMIT {PAGE}"
        count_sql = (f"SELECT count(*) FROM (SELECT 1 FROM mediation_case c WHERE committee_id = {marker} AND {condition} "
                     f"ORDER BY received_at DESC, id DESC LIMIT {COUNT_CAP + 1}) AS capped")
        page_ms, _ = median_ms(page, repeat)
        count_ms, counted = median_ms(count, repeat)
        floor_page_ms, _ = median_ms(lambda sql=page_sql: raw.execute(sql, (desk.committee_id,)).fetchall(), repeat)
        floor_count_ms, _ = median_ms(lambda sql=count_sql: raw.execute(sql, (desk.committee_id,)).fetchall(), repeat)
        shown = f"{COUNT_CAP:,}+" if counted > COUNT_CAP else f"{counted:,}"
        rows.append((term or "all cases", count_ms, page_ms, floor_count_ms, floor_page_ms, shown))

    def deep(offset: int) -> Callable[[], list]:
        def run() -> list:
            with desk.reading() as session:
                return CaseQuery(session, actor=desk.actor, filters=CaseFilter()).page(session, offset=offset, limit=PAGE)
        return run

    from laopan.services.cases import PageKey

    with desk.reading() as session:
        last = CaseQuery(session, actor=desk.actor, filters=CaseFilter()).page(session, offset=60_000 - 1, limit=1)[0]
    key = PageKey(last.received_at, last.id)

    def keyset() -> list:
        with desk.reading() as session:
            return CaseQuery(session, actor=desk.actor, filters=CaseFilter()).page(session, after=key, limit=PAGE)

    offset_ms, _ = median_ms(deep(60_000), repeat)
    keyset_ms, _ = median_ms(keyset, repeat)
    floor_ms, _ = median_ms(lambda: raw.execute(f"SELECT {_COLUMNS} FROM mediation_case WHERE committee_id = {marker} ORDER BY received_at DESC, id DESC LIMIT {PAGE} OFFSET 60000", (desk.committee_id,)).fetchall(), repeat)
    rows.append(("row 60,000: OFFSET | by key", offset_ms, keyset_ms, floor_ms, floor_ms, "(floor: raw OFFSET)"))
    raw.close()
    return rows
