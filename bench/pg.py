"""The issue 16 table on PostgreSQL (`LAOPAN_BENCH_PG`, a server URL such as
postgresql+psycopg://postgres@127.0.0.1:5432/postgres): a 100k-case demo database built once on that server
(`laopan_bench_100k`, kept for the next run; drop it by hand) and the same questions as on SQLite, each beside
raw SQL for the same question on the same server. Target: first page ≤ 10 ms p50 at 100k."""

import time

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench import BENCH_PASSWORD
from laopan.clock import Clock


def pg_bench_desk(server_url: str, *, cases: int, clock: Clock):
    """The bench desk on `server_url`'s server, built (demo through COPY, then ANALYZE) when missing or partial."""
    from laopan.demo import generate_demo
    from laopan.desk import NotInitialised, create_desk, open_desk

    name = f"laopan_bench_{cases // 1000}k"
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first() is None:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    try:
        desk = open_desk(url=url, login="admin", password=BENCH_PASSWORD, clock=clock)
        with desk.reading() as session:
            if session.execute(text("SELECT count(*) FROM mediation_case")).scalar_one() == cases:
                return desk
        raise RuntimeError(f"{name} holds another count of cases: drop it (DROP DATABASE {name}) and run again")
    except NotInitialised:
        pass
    print(f"building the {cases:,}-case demo database {name} on PostgreSQL (once)…", flush=True)
    desk = create_desk(url, admin_password=BENCH_PASSWORD, clock=clock)
    started = time.perf_counter()
    generate_demo(desk.engine, committee_id=desk.committee_id, cases=cases, seed=1, clock=clock)
    with desk.engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    print(f"built by `demo` (COPY) in {time.perf_counter() - started:.1f} s", flush=True)
    return desk


def run_pg_table(server_url: str, *, cases: int, clock: Clock, repeat: int):
    from bench.queries import run_issue_table

    desk = pg_bench_desk(server_url, cases=cases, clock=clock)
    floors = create_engine(desk.engine.url, isolation_level="AUTOCOMMIT")  # the raw SQL: a connection of its own
    try:
        return run_issue_table(desk, None, repeat=repeat, raw=floors.raw_connection().driver_connection)
    finally:
        floors.dispose()
        desk.engine.dispose()
