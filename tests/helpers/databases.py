"""Test databases on SQLite and on PostgreSQL, from one migrated template per engine and run.

SQLite: the template is a file, copied for each test. PostgreSQL: LAOPAN_TEST_DATABASE_URL names a server and a
database to connect to for administration; each run creates its own databases there (a migrated template, then
one copy per test with CREATE DATABASE … TEMPLATE) and drops them at the end, so a server left as the last run
left it never matters. Without the variable the PostgreSQL variants skip with the reason printed, except where
CI or LAOPAN_REQUIRE_PG is set: there a missing server is a failure.

A test marked `both_engines` runs once per engine: `db_url`, `new_db_url` and `blank_db_url` then give databases
of that engine. Unmarked tests get SQLite.

Issue 11: the SQLite template is encrypted (SQLCipher; its key wrapped for admin under TEST_PASSWORD, the .keys
file copied with each copy), so the whole suite runs on encrypted desks. Tests that open the file themselves use
`engine_for` / `sqlite_connection`; the few about converting a plain desk use `plain_db_url`.
"""

import itertools
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from laopan.clock import FixedClock
from laopan.services.committee import init_committee
from laopan.storage import make_engine, session_scope
from laopan.storage.migrate import upgrade
from tests.helpers.accounts import TEST_PASSWORD

ENGINES = ("sqlite", "postgresql")
PG_ENV = "LAOPAN_TEST_DATABASE_URL"


def engine_for(url: str):
    """An engine on a test database as a desk would open it: an encrypted SQLite copy with its key (admin's wrap)."""
    from laopan.security import keyfile, protection

    path = protection.sqlite_file(url)
    if path is not None and keyfile.exists(path):
        return make_engine(url, key=keyfile.unlock(path, login="admin", password=TEST_PASSWORD))
    return make_engine(url)


def sqlite_connection(url: str):
    """A bare DB-API connection to a test's SQLite copy (autocommit), with its key when it is encrypted."""
    import sqlite3

    from laopan.security import keyfile, protection
    from laopan.storage import cipher

    path = protection.sqlite_file(url)
    if keyfile.exists(path):
        connection = cipher.connect(str(path), keyfile.unlock(path, login="admin", password=TEST_PASSWORD))
    else:
        connection = sqlite3.connect(path)
    connection.isolation_level = None
    return connection


def pytest_generate_tests(metafunc) -> None:
    if metafunc.definition.get_closest_marker("both_engines") and "db_engine" in metafunc.fixturenames:
        metafunc.parametrize("db_engine", ENGINES, indirect=True)


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("db_engine") == "postgresql":
            item.add_marker(pytest.mark.pg)


def _migrate_with_committee(url: str, *, encrypted: bool = False) -> None:
    key = None
    if encrypted:
        from laopan.security import protection

        key, _ = protection.protect_new(url, login="admin", password=TEST_PASSWORD)
    engine = make_engine(url, key=key)
    upgrade(engine)
    with session_scope(engine) as session:
        init_committee(session, admin_password=TEST_PASSWORD, clock=FixedClock())
    engine.dispose()  # for SQLite: closing the last connection checkpoints the WAL into the file we copy


# --- SQLite ------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    """Migrated once per run, with the default committee; copied for each test that needs a database."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    _migrate_with_committee(f"sqlite:///{path}", encrypted=True)
    return path


@pytest.fixture(scope="session")
def plain_template_db(tmp_path_factory) -> Path:
    """Like template_db, but never encrypted: a desk as every desk was before issue 11 (conversion tests)."""
    path = tmp_path_factory.mktemp("plain-template") / "template.db"
    _migrate_with_committee(f"sqlite:///{path}")
    return path


@pytest.fixture
def plain_db_url(plain_template_db, tmp_path) -> str:
    target = tmp_path / "plain.db"
    shutil.copyfile(plain_template_db, target)
    return f"sqlite:///{target}"


# --- PostgreSQL --------------------------------------------------------------------------------------------------


def _pg_required() -> bool:
    return bool(os.environ.get("CI") or os.environ.get("LAOPAN_REQUIRE_PG"))


def _admin_conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_server() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        if _pg_required():
            pytest.fail(f"{PG_ENV} is not set, but CI requires the PostgreSQL tests to run")
        pytest.skip(f"{PG_ENV} is not set: no PostgreSQL server to test against")
    try:
        with psycopg.connect(_admin_conninfo(url), connect_timeout=5) as connection:
            connection.execute("SELECT 1")
    except psycopg.OperationalError as exc:
        if _pg_required():
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
    _migrate_with_committee(pg_databases.url(name))
    return name


# --- either engine -----------------------------------------------------------------------------------------------


@pytest.fixture
def db_engine(request) -> str:
    """`sqlite`, or the engine a `both_engines` test is parametrised with."""
    return getattr(request, "param", "sqlite")


@pytest.fixture
def new_db_url(db_engine, request, tmp_path) -> Callable[[], str]:
    """new_db_url(): another fresh copy of the template, on the test's engine (a second committee office)."""
    if db_engine == "postgresql":
        databases = request.getfixturevalue("pg_databases")
        template = request.getfixturevalue("pg_template")
        return lambda: databases.url(databases.create(template=template))
    template = request.getfixturevalue("template_db")
    numbers = itertools.count()

    def copy() -> str:
        number = next(numbers)
        target = tmp_path / ("laopan.db" if number == 0 else f"laopan-{number}.db")
        shutil.copyfile(template, target)
        keys = template.with_name(template.name + ".keys")
        if keys.exists():
            shutil.copyfile(keys, target.with_name(target.name + ".keys"))
        return f"sqlite:///{target}"

    return copy


@pytest.fixture
def db_url(new_db_url) -> str:
    return new_db_url()


@pytest.fixture
def blank_db_url(db_engine, request, tmp_path) -> str:
    """An empty database (no tables) on the test's engine, for migration tests."""
    if db_engine == "postgresql":
        databases = request.getfixturevalue("pg_databases")
        return databases.url(databases.create())
    return f"sqlite:///{tmp_path / 'blank.db'}"


@pytest.fixture
def pg_url(pg_databases, pg_template) -> str:
    """A fresh PostgreSQL copy of the template, for the tests that only make sense there (tests/pg)."""
    return pg_databases.url(pg_databases.create(template=pg_template))
