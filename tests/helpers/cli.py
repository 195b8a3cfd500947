"""The `cli` fixture: run `laopan` in-process on the test's database and clock, as (exit code, stdout, stderr).

Every failing invocation's output is kept, and at the end of the session it is searched for anything shaped
like an ID number or a mobile phone (issue 10 item 2: never personal data in an error or on stderr). Masked
forms (3302**********0013, 138****5678) do not match. A leak fails the session, naming the command.
"""

import re

import pytest

from laopan.cli.main import main
from tests.helpers.accounts import TEST_PASSWORD

PERSONAL = re.compile(r"(?<![\dA-Za-z])(\d{17}[\dXx]|\d{15}|1[3-9]\d{9})(?![\dA-Za-z])")

_failures: list[tuple[str, tuple[str, ...], str]] = []  # (test id, args, stdout + stderr) of every non-zero exit


def personal_data_in(text: str) -> list[str]:
    return PERSONAL.findall(text)


def remember(request, args, code: int, out: str, err: str) -> None:
    """Keep a failing run's output for the session-end check (for a test module's own way of running laopan)."""
    if code != 0:
        _failures.append((request.node.nodeid, tuple(args), out + err))


@pytest.fixture
def cli(capsys, db_url, clock, request, tmp_path):
    """`laopan ARGS… --database <the test's copy>` as admin (unless --as is given) with the test's clock; a user
    the test adds gets TEST_PASSWORD like every other test user."""

    def cli(*args: str) -> tuple[int, str, str]:
        if args[:2] == ("user", "add") and "--new-password-file" not in args:
            secret = tmp_path / "new-password"
            secret.write_text(TEST_PASSWORD, encoding="utf-8")
            args = (*args, "--new-password-file", str(secret))
        login = [] if "--as" in args or args[:1] in (("init",), ("demo",)) else ["--as", "admin"]
        code = main([*args, "--database", db_url, *login], clock=clock)
        out, err = capsys.readouterr()
        remember(request, args, code, out, err)
        return code, out, err

    return cli


def pytest_sessionfinish(session, exitstatus):
    leaks = [(test, args, found) for test, args, text in _failures if (found := personal_data_in(text))]
    if not leaks:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    lines = [f"{test}: laopan {' '.join(args)} → {sorted(set(found))}" for test, args, found in leaks]
    message = "personal data in the output of a failing command (issue 10 item 2):\n" + "\n".join(lines)
    if reporter is not None:
        reporter.write_line(message, red=True)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
