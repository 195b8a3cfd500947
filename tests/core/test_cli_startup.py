"""A script may call `laopan cases --search X` a hundred times (issue 16 item 6): parsing the arguments imports
neither SQLAlchemy nor the tables, and a read-only command on an up-to-date database never imports Alembic (the
version is one query against the head written in the migration files)."""

import json
import subprocess
import sys

import pytest

from laopan.storage.migrate import head_revision, quick_head

_PROBE = """
import json, sys
from laopan.cli.main import build_parser, main
build_parser().parse_args(sys.argv[1:])
parsed = sorted(m for m in ("sqlalchemy", "sqlmodel", "alembic", "laopan.models.case") if m in sys.modules)
code = main(sys.argv[1:])
ran = sorted(m for m in ("alembic", "PySide6", "pypinyin") if m in sys.modules)
print(json.dumps({"parsed": parsed, "code": code, "ran": ran}))
"""


def _probe(*args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_quick_head_is_alembics_head():
    assert quick_head() == head_revision()


@pytest.mark.slow
def test_a_search_from_the_command_line_parses_without_sqlalchemy_and_reads_without_alembic(desk, db_url):
    seen = _probe("--database", db_url, "--as", "admin", "cases", "--search", "张伟", "--limit", "1")
    assert seen["parsed"] == []  # the parser needs only the code lists
    assert seen["code"] == 0
    assert seen["ran"] == []  # no Alembic (up to date), no Qt, no pinyin tables for a read
