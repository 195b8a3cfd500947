"""The probe files of issue 10 on PostgreSQL: the same answer as on SQLite (tests/core/test_import_probes.py)."""

import pytest

from laopan.clock import FixedClock
from tests.core.test_import_probes import EXPECTED, case_count, check, import_probe


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_probe_file_gets_the_same_answer_on_postgresql(name, pg_url, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("laopan.desk.SystemClock", FixedClock)
    code, out, err = import_probe(pg_url, name, tmp_path, capsys)
    check(name, code, out, err)
    assert case_count(pg_url) == (1 if EXPECTED[name] is None else 0)
