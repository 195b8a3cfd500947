"""The child of tests/core/test_crash_safety.py: registers cases through the intake service in a loop on the
SQLite database given as argv[1], writing each intake number (one a line) once its transaction has committed,
until killed. The test forks it (`write_forever` in a forked process: a fresh interpreter takes seconds to import
the program on a loaded machine, and the proof kills it 30 times); `python -m tests.helpers.crash_writer URL`
runs the same loop on stdout."""

import datetime as dt
import sys

from laopan.clock import FixedClock
from laopan.services.intake import register_case
from laopan.services.users import actor_for
from laopan.storage import session_scope
from tests.helpers.databases import engine_for
from laopan.models import Committee
from sqlmodel import select
from tests.helpers.scenarios import case_data


def write_forever(url: str, out=None) -> None:
    out = out or sys.stdout
    engine = engine_for(url)  # the test copy is encrypted: the admin's wrap of its key
    clock = FixedClock(dt.datetime(2026, 11, 27, 1, 0, tzinfo=dt.UTC))
    with session_scope(engine) as session:
        committee_id = session.exec(select(Committee.id)).first()
        actor = actor_for(session, committee_id=committee_id, login="admin", clock=clock)
    print("ready", file=out, flush=True)
    n = 0
    while True:
        n += 1
        with session_scope(engine) as session:
            number = register_case(session, actor=actor, data=case_data(summary=f"第{n}次写入：楼上漏水。")).intake_no
        print(number, file=out, flush=True)  # after the commit: the parent may count on this case


if __name__ == "__main__":
    write_forever(sys.argv[1])
