"""Shared fixtures: a fixed clock, redirected paths, a desk on a fresh database (tests/helpers/databases.py)."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from laopan import paths
from laopan.clock import FixedClock
from laopan.desk import Desk, open_desk
from laopan.security import passwords
from tests.helpers.accounts import CHEAP_PARAMS, TEST_PASSWORD

pytest_plugins = ["tests.helpers.databases", "tests.helpers.logfail", "tests.helpers.cli"]


# Modules whose tests involve days, deadlines, years in numbers, overdue states, signatures, referrals or the CLI:
# `make test-future` runs them once more with the process clock (LAOPAN_NOW) on another date.
DATE_SENSITIVE = frozenset({
    "test_agreements", "test_case_queries", "test_cli", "test_cli_workflow", "test_clock", "test_deadlines",
    "test_demo", "test_intake", "test_interchange", "test_interchange_history", "test_lifecycle", "test_locking",
    "test_numbering", "test_referrals", "test_sessions", "test_agreement_tab", "test_liaison_desk",
    "test_liaison_ledger", "test_workflow_records", "test_launcher", "test_statistics", "test_reports",
    "test_permission_flags", "test_changes", "test_data_changed",
    "test_ledger_import", "test_ledger_export", "test_import_probes", "test_limits", "test_opening",
    "test_followups", "test_judicial", "test_dossier",
})


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "dates: depends on the calendar; rerun by `make test-future` under LAOPAN_NOW")


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        parts = Path(str(item.fspath)).parts
        if Path(str(item.fspath)).stem in DATE_SENSITIVE:
            item.add_marker(pytest.mark.dates)
        if "ui" in parts:
            item.add_marker(pytest.mark.gui)
        if "pg" in parts:
            item.add_marker(pytest.mark.pg)


@pytest.fixture(autouse=True, scope="session")
def _isolated_session_paths(tmp_path_factory) -> Iterator[None]:
    """The same for fixtures wider than a test (a module's demo database), which run before `_isolated_paths`:
    without it they read the real home's desk settings (a committee chosen there broke a module's login)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(paths.ENV_DATA_DIR, str(tmp_path_factory.mktemp("session-data")))
        patch.delenv("LAOPAN_DATABASE_URL", raising=False)
        # A `laopan` subprocess would start a warm worker in its data dir for the calls after it, and leave it for
        # 15 minutes; tests/core/test_worker.py lifts this for its own workers, which it stops.
        patch.setenv("LAOPAN_NO_WORKER", "1")
        paths.configure(None)
        yield
    paths.configure(None)


@pytest.fixture(autouse=True)
def _isolated_paths(tmp_path_factory, monkeypatch) -> Iterator[Path]:
    """Nothing a test does touches the real home: every path points into a fresh temporary data dir."""
    data = tmp_path_factory.mktemp("data")
    monkeypatch.setenv(paths.ENV_DATA_DIR, str(data))
    monkeypatch.delenv("LAOPAN_DATABASE_URL", raising=False)
    paths.configure(None)
    yield data
    paths.configure(None)


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    """Argon2 at production cost would make the suite minutes slower; verifying reads the parameters from each hash.
    The same for the argon2id that wraps the database key per user: the key file's format stays the same."""
    from laopan.security import keyfile

    saved, production = dict(passwords.PARAMS), keyfile.KDF_PARAMS
    passwords.PARAMS.update(CHEAP_PARAMS)
    keyfile.KDF_PARAMS = keyfile.KdfParams(**CHEAP_PARAMS)
    yield
    passwords.PARAMS.clear()
    passwords.PARAMS.update(saved)
    keyfile.KDF_PARAMS = production


@pytest.fixture(autouse=True)
def _test_password(monkeypatch) -> None:
    """The CLI's password (every user the helpers create has it); a test about missing passwords deletes it."""
    monkeypatch.setenv("LAOPAN_PASSWORD", TEST_PASSWORD)
    monkeypatch.delenv("LAOPAN_USER", raising=False)


@pytest.fixture
def clock() -> FixedClock:
    """2026-11-27 09:00 in Beijing, whatever the date. It stays put under LAOPAN_NOW on purpose: data made on this
    clock and then read by code that takes the process clock instead is a time bomb, and fails at once."""
    return FixedClock()


@pytest.fixture
def desk(db_url, clock) -> Iterator[Desk]:
    """An administrator's desk on a fresh copy of the template database (of each engine, for `both_engines`)."""
    from tests.helpers.databases import engine_for

    engine = engine_for(db_url)
    yield open_desk(engine=engine, login="admin", password=TEST_PASSWORD, clock=clock)
    engine.dispose()


@pytest.fixture
def actor(desk):
    return desk.actor


@pytest.fixture
def session(desk):
    with desk.session() as session:
        yield session
