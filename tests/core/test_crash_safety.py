"""Proof that a desk killed mid-write loses nothing it reported saved and leaves no half case (issue 11 item 7).

A child process registers cases through the intake service in a loop and prints each intake number after its
commit; the parent SIGKILLs it at random moments, 30 times on the same database. After every kill SQLite's
integrity_check is ok, every case the child reported is there with both parties and the applicant's agent,
and no case in the database is missing a party (a half-written case would be)."""

import os
import random
import signal
from contextlib import closing
import logging
import time
from pathlib import Path

import pytest

from tests.helpers.crash_writer import write_forever
from tests.helpers.databases import sqlite_connection

KILLS = 30


def _start(url: str) -> tuple[int, "os.FileIO"]:
    """Fork a writer (the program is already imported here, so 30 starts take no time); its pipe to read."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: write until killed, never return into pytest
        os.close(read_end)
        try:
            logging.disable(logging.CRITICAL)
            write_forever(url, os.fdopen(write_end, "w", encoding="utf-8"))
        finally:
            os._exit(1)
    os.close(write_end)
    return pid, os.fdopen(read_end, "r", encoding="utf-8")


def _check(database: Path, reported: set[str]) -> None:
    with closing(sqlite_connection(f"sqlite:///{database}")) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        cases = dict(connection.execute("SELECT intake_no, id FROM mediation_case").fetchall())
        missing = reported - cases.keys()
        assert not missing, f"reported committed but gone after the kill: {sorted(missing)[:5]}"
        parties = dict(connection.execute("SELECT case_id, count(*) FROM party GROUP BY case_id").fetchall())
        half = [number for number, case_id in cases.items() if parties.get(case_id) != 2]
        assert not half, f"cases without both parties: {half[:5]}"
        agents = connection.execute(
            "SELECT count(*) FROM agent JOIN party ON agent.party_id = party.id WHERE party.case_id IN "
            f"(SELECT id FROM mediation_case WHERE intake_no IN ({','.join('?' * len(reported))}))",
            sorted(reported),
        ).fetchone()[0] if reported else 0
        assert agents == len(reported), "every reported case keeps its applicant's agent"


@pytest.mark.slow
def test_killed_writer_loses_no_committed_case_and_leaves_no_half_case(db_url):
    database = Path(db_url.removeprefix("sqlite:///"))
    rng = random.Random(11)
    reported: set[str] = set()
    started = time.monotonic()
    for _ in range(KILLS):
        pid, pipe = _start(db_url)
        assert pipe.readline().strip() == "ready"
        first = pipe.readline()
        assert first.endswith("\n")  # one case written, so the kills land among writes
        reported.add(first.strip())
        time.sleep(rng.uniform(0.0, 0.3))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        out = pipe.read()
        pipe.close()
        # Only complete lines count: a number cut off by the kill was never fully reported.
        reported.update(line.strip() for line in out.split("\n")[:-1] if line.strip())
        _check(database, reported)
    assert len(reported) >= KILLS, "the kills should land among writes, not before the first"
    assert time.monotonic() - started < 60
