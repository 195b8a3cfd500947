"""The issue 16 table on PostgreSQL (`LAOPAN_BENCH_PG`, a server URL such as
postgresql+psycopg://postgres@127.0.0.1:5432/postgres): a 100k-case demo database built once on that server
(`laopan_bench_100k`, kept for the next run; drop it by hand) and the same questions as on SQLite, each beside
raw SQL for the same question on the same server. Target: first page ≤ 10 ms p50 at 100k.

A district (`laopan_bench_1000k_district`, `make bench` with `--pg-district`): 10 committees — the committee is the tenant —
of 100k cases each on one server, the same questions asked by the first committee's admin. Target ≤ 30 ms."""

import time

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench import BENCH_PASSWORD
from laopan.clock import Clock


def _built_desk(server_url: str, name: str, *, cases: int, clock: Clock):
    """(url of the database `name` on the server, created when missing; its first committee's desk if it holds
    `cases` cases, else None when it is empty). A partial one is an error: drop it and run again."""
    from laopan.desk import NotInitialised, open_desk
    from laopan.models.enums import DEFAULT_COMMITTEE

    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first() is None:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    try:
        desk = open_desk(url=url, login="admin", password=BENCH_PASSWORD, committee=DEFAULT_COMMITTEE, clock=clock)
    except NotInitialised:
        return url, None
    with desk.reading() as session:
        if session.execute(text("SELECT count(*) FROM mediation_case")).scalar_one() == cases:
            return url, desk
    raise RuntimeError(f"{name} holds another count of cases: drop it (DROP DATABASE {name}) and run again")


def _analyse(desk) -> None:
    with desk.engine.connect() as connection:  # index-only scans need the visibility map
        connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")


def pg_bench_desk(server_url: str, *, cases: int, clock: Clock):
    """The bench desk on `server_url`'s server, built (demo through COPY, then VACUUM ANALYZE) when missing."""
    from laopan.demo import generate_demo
    from laopan.desk import create_desk

    name = f"laopan_bench_{cases // 1000}k"
    url, desk = _built_desk(server_url, name, cases=cases, clock=clock)
    if desk is not None:
        return desk
    print(f"building the {cases:,}-case demo database {name} on PostgreSQL (once)…", flush=True)
    desk = create_desk(url, admin_password=BENCH_PASSWORD, clock=clock)
    started = time.perf_counter()
    generate_demo(desk.engine, committee_id=desk.committee_id, cases=cases, seed=1, clock=clock)
    _analyse(desk)
    print(f"built by `demo` (COPY) in {time.perf_counter() - started:.1f} s", flush=True)
    return desk


def run_pg_table(server_url: str, *, cases: int, clock: Clock, repeat: int, district: bool = False):
    """The issue table on `cases` cases of one committee, or (`district`) on the first of a district's committees
    of `cases` cases each."""
    from bench.queries import run_issue_table

    if district:
        desk = pg_district_desk(server_url, cases_each=cases, clock=clock)
    else:
        desk = pg_bench_desk(server_url, cases=cases, clock=clock)
    floors = create_engine(desk.engine.url, isolation_level="AUTOCOMMIT")  # the raw SQL: a connection of its own
    try:
        return run_issue_table(desk, None, repeat=repeat, raw=floors.raw_connection().driver_connection)
    finally:
        floors.dispose()
        desk.engine.dispose()


# Streets of a district besides 东柳 (the demo's committee): one committee each, 100k cases each in the 1M bench.
DISTRICT_STREETS = ("白鹤街道", "福明街道", "明楼街道", "东胜街道", "百丈街道", "新明街道", "东郊街道", "梅墟街道", "中河街道")


def _add_dictionaries(desk, like) -> None:
    """Give a new committee the communities, grids and station of `like` (the demo draws from them)."""
    from laopan.services.dictionaries import add_entry, list_entries

    with desk.session() as session:
        for kind in ("community", "station"):
            for entry in list_entries(session, actor=like.actor, kind=kind):
                add_entry(session, actor=desk.actor, kind=kind, name=entry.name)
        for entry in list_entries(session, actor=like.actor, kind="grid"):
            add_entry(session, actor=desk.actor, kind="grid", name=entry.name, community=entry.parent)


def pg_district_desk(server_url: str, *, cases_each: int, clock: Clock):
    """The first committee's desk on a district database of 1 + len(DISTRICT_STREETS) committees of `cases_each`
    cases, built (demo through COPY per committee, then VACUUM ANALYZE) when missing."""
    from laopan.demo import generate_demo
    from laopan.desk import create_desk

    committees = 1 + len(DISTRICT_STREETS)
    name = f"laopan_bench_{committees * cases_each // 1000}k_district"
    url, first = _built_desk(server_url, name, cases=committees * cases_each, clock=clock)
    if first is not None:
        return first
    print(f"building the district database {name} on PostgreSQL: {committees} committees × {cases_each:,} cases (once)…", flush=True)
    started = time.perf_counter()
    first = create_desk(url, admin_password=BENCH_PASSWORD, clock=clock)
    generate_demo(first.engine, committee_id=first.committee_id, cases=cases_each, seed=1, clock=clock)
    for n, street in enumerate(DISTRICT_STREETS, start=2):
        desk = create_desk(url, committee=f"{street}人民调解委员会", admin_password=BENCH_PASSWORD, clock=clock)
        _add_dictionaries(desk, first)
        generate_demo(desk.engine, committee_id=desk.committee_id, cases=cases_each, seed=n, clock=clock)
        desk.engine.dispose()
        print(f"  {n} committees in {time.perf_counter() - started:.0f} s", flush=True)
    _analyse(first)
    print(f"built by `demo` (COPY) in {time.perf_counter() - started:.1f} s", flush=True)
    return first
