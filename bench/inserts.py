"""Demo insert: our Core bulk path versus a raw sqlite3 executemany of the very same rows."""

import datetime as dt
import json
import shutil
import sqlite3
import time
from pathlib import Path

from sqlmodel import SQLModel

from laopan.clock import Clock
from laopan.demo import TABLES, demo_batches, insert_batches, prepare_demo
from laopan.storage import make_engine, session_scope


def _plain(value):
    """The value as SQLAlchemy stores it in SQLite (naive UTC text, ISO dates, JSON text, 0/1)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value


def _raw_insert(path: Path, batches: list[dict]) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute("PRAGMA cache_size=-131072")
    known = {name: {c.name for c in SQLModel.metadata.tables[name].columns} for name in TABLES}
    for batch in batches:
        connection.execute("BEGIN IMMEDIATE")
        for name in TABLES:
            rows = batch.get(name)
            if not rows:
                continue
            cols = [c for c in rows[0] if c in known[name]]  # columns left out take their defaults, as in Core
            sql = f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            connection.executemany(sql, [tuple(_plain(row.get(c)) for c in cols) for row in rows])
        for row in batch.get("number_sequence", ()):
            connection.execute(
                "INSERT INTO number_sequence (committee_id, kind, year, last_seq) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (committee_id, kind, year) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq)",
                (row["committee_id"], row["kind"], row["year"], row["last_seq"]),
            )
        connection.execute("COMMIT")
    connection.close()


def measure_inserts(template: Path, workdir: Path, *, cases: int, seed: int, clock: Clock, committee_id: int) -> tuple[float, float]:
    """(ours seconds, raw seconds) to insert the same `cases` demo cases into copies of `template`."""
    ours_path, raw_path = workdir / "insert-ours.db", workdir / "insert-raw.db"
    timings = []
    for path in (ours_path, raw_path):
        path.unlink(missing_ok=True)
        shutil.copyfile(template, path)
        engine = make_engine(f"sqlite:///{path}")
        with session_scope(engine) as session:
            plan = prepare_demo(session, committee_id=committee_id, cases=cases, seed=seed, clock=clock)
        batches = list(
            demo_batches(plan.dicts, committee_id=committee_id, cases=cases, seed=seed, clock=clock, settings=plan.settings,
                         first_ids=plan.first_ids, staff=plan.staff, seq_start=plan.seq_start, committee_name=plan.committee_name)
        )
        started = time.perf_counter()
        if path == ours_path:
            insert_batches(engine, batches)
        else:
            engine.dispose()
            _raw_insert(path, batches)
        timings.append(time.perf_counter() - started)
        engine.dispose()
    ours_path.unlink(missing_ok=True)
    raw_path.unlink(missing_ok=True)
    return timings[0], timings[1]
