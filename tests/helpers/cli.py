"""The `cli` fixture: run `laopan` in-process on the test's database and clock, as (exit code, stdout, stderr)."""

import pytest

from laopan.cli.main import main


@pytest.fixture
def cli(capsys, db_url, clock):
    def cli(*args: str) -> tuple[int, str, str]:
        login = [] if "--as" in args or args[:1] in (("init",), ("demo",)) else ["--as", "admin"]
        code = main([*args, "--database", db_url, *login], clock=clock)
        out, err = capsys.readouterr()
        return code, out, err

    return cli
