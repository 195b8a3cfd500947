"""Tests that only make sense on the real PostgreSQL server (DESIGN §2 multi-desk mode): several connections at
once, row locks, types PostgreSQL has and SQLite lacks. Everything else runs on both engines from tests/core
(marked `both_engines`). Here `db_engine` is PostgreSQL, so `desk`, `db_url` and `new_db_url` are too; the
databases, and the skip or failure without a server, come from tests/helpers/databases.py."""

import pytest


@pytest.fixture
def db_engine() -> str:
    return "postgresql"
