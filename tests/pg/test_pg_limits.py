"""The domain limits of issue 10 on PostgreSQL: the same answer as on SQLite (tests/core/test_limits.py),
including ¥999,999,999.99 in the now 64-bit amount column."""

import pytest

from laopan.clock import FixedClock
from tests.core.test_limits import LIMITS, check_limit, import_limit


@pytest.mark.parametrize("name", sorted(LIMITS))
def test_a_limit_gets_the_same_answer_on_postgresql(name, pg_url, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("laopan.desk.SystemClock", FixedClock)
    check_limit(pg_url, name, *import_limit(pg_url, name, tmp_path, capsys))
