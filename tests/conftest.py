"""Shared fixtures: a fixed clock, redirected paths, a desk on a fresh database (tests/helpers/databases.py)."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from laopan import paths
from laopan.clock import FixedClock
from laopan.desk import Desk, open_desk
from laopan.storage import make_engine

pytest_plugins = ["tests.helpers.databases", "tests.helpers.logfail"]


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        parts = Path(str(item.fspath)).parts
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


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def desk(db_url, clock) -> Iterator[Desk]:
    """An administrator's desk on a fresh copy of the template database (of each engine, for `both_engines`)."""
    engine = make_engine(db_url)
    yield open_desk(engine=engine, login="admin", clock=clock)
    engine.dispose()


@pytest.fixture
def actor(desk):
    return desk.actor


@pytest.fixture
def session(desk):
    with desk.session() as session:
        yield session
