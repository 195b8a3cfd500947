"""The `cli` fixture: run `laopan` in-process on the test's database and clock, as (exit code, stdout, stderr)."""

import pytest

from laopan.cli.main import main
from tests.helpers.databases import encrypted_template


@pytest.fixture
def cli(capsys, db_url, clock):
    def cli(*args: str) -> tuple[int, str, str]:
        # an encrypted desk needs the login its password is for
        as_admin = ("--as", "admin") if encrypted_template() and "--as" not in args else ()
        code = main([*args, *as_admin, "--database", db_url], clock=clock)
        out, err = capsys.readouterr()
        return code, out, err

    return cli
