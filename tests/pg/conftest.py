"""The real PostgreSQL server (DESIGN §2 multi-desk mode).

LAOPAN_TEST_DATABASE_URL names a server and a database to connect to for administration; each run creates
its own databases there (a migrated template, then one copy per test) and drops them at the end, so a server
left as the last run left it never matters. Without the variable the tests skip with the reason printed,
except in CI (CI or LAOPAN_REQUIRE_PG set), where a missing server is a failure.
"""

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy.engine import make_url

from laopan.clock import FixedClock
from laopan.desk import Desk, open_desk
from laopan.services.committee import init_committee
from laopan.storage import make_engine, session_scope
from laopan.storage.migrate import upgrade

ENV = "LAOPAN_TEST_DATABASE_URL"


def _required() -> bool:
    return bool(os.environ.get("CI") or os.environ.get("LAOPAN_REQUIRE_PG"))


def _admin_conninfo(url: str) -> str:
    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_server() -> str:
    url = os.environ.get(ENV)
    if not url:
        if _required():
            pytest.fail(f"{ENV} is not set, but CI requires the PostgreSQL tests to run")
        pytest.skip(f"{ENV} is not set: no PostgreSQL server to test against")
    try:
        with psycopg.connect(_admin_conninfo(url), connect_timeout=5) as connection:
            connection.execute("SELECT 1")
    except psycopg.OperationalError as exc:
        if _required():
            pytest.fail(f"PostgreSQL at {make_url(url).render_as_string()} is unreachable: {exc}")
        pytest.skip(f"PostgreSQL at {make_url(url).render_as_string()} is unreachable: {exc}")
    return url


class PgDatabases:
    """Creates databases for this run and drops every one of them at the end."""

    def __init__(self, server_url: str):
        self.server_url = server_url
        self.run_id = uuid.uuid4().hex[:8]
        self.created: list[str] = []

    def _admin(self):
        return psycopg.connect(_admin_conninfo(self.server_url), autocommit=True)

    def create(self, *, template: str | None = None) -> str:
        name = f"laopan_t_{self.run_id}_{len(self.created)}"
        with self._admin() as connection:
            suffix = f' TEMPLATE "{template}"' if template else ""
            connection.execute(f'CREATE DATABASE "{name}"{suffix}')
        self.created.append(name)
        return name

    def url(self, name: str) -> str:
        return make_url(self.server_url).set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with self._admin() as connection:
            for name in reversed(self.created):
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_databases(pg_server) -> Iterator[PgDatabases]:
    databases = PgDatabases(pg_server)
    yield databases
    databases.drop_all()


@pytest.fixture(scope="session")
def pg_template(pg_databases) -> str:
    """Migrated once per run, with the default committee; tests get copies (CREATE DATABASE … TEMPLATE)."""
    name = pg_databases.create()
    engine = make_engine(pg_databases.url(name))
    upgrade(engine)
    with session_scope(engine) as session:
        init_committee(session, clock=FixedClock())
    engine.dispose()
    return name


@pytest.fixture
def pg_url(pg_databases, pg_template) -> str:
    return pg_databases.url(pg_databases.create(template=pg_template))


@pytest.fixture
def pg_desk(pg_url, clock) -> Iterator[Desk]:
    engine = make_engine(pg_url)
    yield open_desk(engine=engine, login="admin", clock=clock)
    engine.dispose()
