"""Shared fixtures: a migrated template database copied per test, a fixed clock, redirected paths."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from laopan import paths
from laopan.clock import FixedClock
from laopan.desk import Desk, open_desk
from laopan.services.committee import init_committee
from laopan.storage import make_engine, session_scope
from laopan.storage.migrate import upgrade

FIXTURES = Path(__file__).parent / "fixtures"


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


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    """Migrated once per run, with the default committee; copied for each test that needs a database."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with session_scope(engine) as session:
        init_committee(session, clock=FixedClock())
    engine.dispose()  # closing the last connection checkpoints the WAL into the file we copy
    return path


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def db_url(template_db, tmp_path) -> str:
    target = tmp_path / "laopan.db"
    shutil.copyfile(template_db, target)
    return f"sqlite:///{target}"


@pytest.fixture
def desk(db_url, clock) -> Iterator[Desk]:
    """An administrator's desk on a fresh copy of the template database."""
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
