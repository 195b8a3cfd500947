"""The demo month the statistics and report tests share, and plain SQL to check them against."""

from sqlalchemy import text

from laopan.clock import FixedClock
from laopan.demo import generate_demo
from laopan.desk import open_desk
from laopan.services import statistics as S
from laopan.services.committee import init_committee
from laopan.storage.engine import make_engine, session_scope
from laopan.storage.migrate import upgrade
from tests.helpers.accounts import TEST_PASSWORD

CLOCK = FixedClock()
MONTH = S.month(2026, 10)
START, END = "2026-09-30 16:00:00", "2026-10-31 16:00:00"  # October in Asia/Shanghai, as stored (naive UTC)


def build_demo(tmp_path_factory):
    """A demo database of a few hundred cases, with some outcome flags set; yields an admin desk."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('stats') / 'd.db'}")
    upgrade(engine)
    with session_scope(engine) as session:
        committee_id = init_committee(session, admin_password=TEST_PASSWORD, clock=CLOCK).id
    generate_demo(engine, committee_id=committee_id, cases=600, seed=3, clock=CLOCK)
    with engine.begin() as connection:
        connection.execute(text("UPDATE mediation_case SET prevented_criminal = 1 WHERE id % 7 = 0"))
        connection.execute(text("UPDATE mediation_case SET prevented_group_petition = 1 WHERE id % 11 = 0"))
    yield open_desk(engine=engine, login="admin", password=TEST_PASSWORD, clock=CLOCK), engine
    engine.dispose()


def sql(engine, query: str, **params):
    with engine.connect() as connection:
        return connection.execute(text(query), {"start": START, "end": END, **params}).all()
