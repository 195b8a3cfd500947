"""Shared fixtures: a fixed clock, redirected paths, a desk on a fresh database (tests/helpers/databases.py)."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from laopan import paths
from laopan.clock import FixedClock
from laopan.desk import Desk, open_desk

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


@pytest.fixture(autouse=True)
def _isolated_paths(tmp_path_factory, monkeypatch) -> Iterator[Path]:
    """Nothing a test does touches the real home: every path points into a fresh temporary data dir."""
    data = tmp_path_factory.mktemp("data")
    monkeypatch.setenv(paths.ENV_DATA_DIR, str(data))
    monkeypatch.delenv("LAOPAN_DATABASE_URL", raising=False)
    paths.configure(None)
    yield data
    paths.configure(None)


@pytest.fixture(autouse=True)
def _test_password(monkeypatch) -> None:
    """The CLI's password for the encrypted template's admin (LAOPAN_PASSWORD, as a script would pass it)."""
    from tests.helpers.databases import TEST_PASSWORD, encrypted_template

    if encrypted_template():
        monkeypatch.setenv("LAOPAN_PASSWORD", TEST_PASSWORD)
        monkeypatch.setenv("LAOPAN_USER", "admin")


@pytest.fixture(autouse=True, scope="session")
def _cheap_key_wrapping() -> Iterator[None]:
    """argon2id at the production cost (19 MiB, t=2) for every wrap would slow the suite; the format is the same."""
    from laopan.security import keyfile

    production = keyfile.KDF_PARAMS
    keyfile.KDF_PARAMS = keyfile.KdfParams(time_cost=1, memory_cost=8, parallelism=1)
    yield
    keyfile.KDF_PARAMS = production


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
    yield open_desk(engine=engine, login="admin", clock=clock)
    engine.dispose()


@pytest.fixture
def actor(desk):
    return desk.actor


@pytest.fixture
def session(desk):
    with desk.session() as session:
        yield session
