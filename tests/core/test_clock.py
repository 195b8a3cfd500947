"""One clock (DESIGN §2 "what time it is"): nothing but laopan/clock.py reads the wall clock, LAOPAN_NOW moves a
whole `laopan` process, the CLI acts on the clock it is given, and `laopan … | head` ends quietly."""

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from laopan.cli.main import main
from laopan.clock import NOW_VARIABLE, ClockSettingError, FixedClock, SystemClock, system_clock
from laopan.desk import open_desk
from tests.helpers.accounts import TEST_PASSWORD
from laopan.models import Committee
from laopan.storage import read_session
from tests.helpers.databases import engine_for

REPO = Path(__file__).resolve().parents[2]
# Calendar reads that bypass the injected clock; QDate/QDateTime.current* are the window's way to the same mistake.
WALL_CLOCK = re.compile(
    r"\b(date|datetime)\.(today|now|utcnow)\(|\btime\.(time|localtime|gmtime)\(|\bQDate(Time)?\.current\w*\(|\bSystemClock\("
)
# A line may read the process's own clock when it is about the process, never about a date: the warm worker
# compares its clock with a caller's (laopan/worker). It says so at the end of the line.
PROCESS_CLOCK = "# the process's clock, not a date"
# "Today" is worked out in one place, Actor.today(time zone); an inline copy drifts (the time zone, the instant).
INLINE_TODAY = re.compile(r"local_date\([\w.]*clock\.now\(\)")


def wall_clock_reads() -> list[str]:
    found = []
    for root in ("laopan", "ui"):
        for path in sorted((REPO / root).rglob("*.py")):
            relative = path.relative_to(REPO).as_posix()
            if relative == "laopan/clock.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                inline_today = INLINE_TODAY.search(line) and relative != "laopan/services/actor.py"
                if (WALL_CLOCK.search(line) and not line.rstrip().endswith(PROCESS_CLOCK)) or inline_today:
                    found.append(f"{relative}:{number}: {line.strip()}")
    return found


def test_nothing_but_the_clock_module_reads_the_wall_clock():
    found = wall_clock_reads()
    assert not found, "take the time from actor.clock / actor.today(time_zone) instead:\n" + "\n".join(found)


def test_laopan_now_fixes_the_process_clock_and_every_desk_opened_without_one(monkeypatch, desk):
    monkeypatch.delenv(NOW_VARIABLE, raising=False)
    assert isinstance(system_clock(), SystemClock)
    monkeypatch.setenv(NOW_VARIABLE, "2028-02-29T23:30+08:00")
    instant = dt.datetime(2028, 2, 29, 15, 30, tzinfo=dt.UTC)
    assert system_clock().now() == instant
    other = open_desk(engine=desk.engine, login="admin", password=TEST_PASSWORD)
    assert other.actor.clock.now() == instant
    assert other.actor.today("Asia/Shanghai") == dt.date(2028, 2, 29)
    assert other.actor.today("UTC") == dt.date(2028, 2, 29)
    monkeypatch.setenv(NOW_VARIABLE, "2028-02-29T16:30+00:00")
    assert open_desk(engine=desk.engine, login="admin", password=TEST_PASSWORD).actor.today("Asia/Shanghai") == dt.date(2028, 3, 1)


@pytest.mark.parametrize("value, problem", [("明天", "不是有效的时刻"), ("2027-03-01T09:00", "缺少时区偏移")])
def test_a_malformed_laopan_now_is_refused_naming_the_variable(monkeypatch, capsys, db_url, value, problem):
    monkeypatch.setenv(NOW_VARIABLE, value)
    with pytest.raises(ClockSettingError, match=problem):
        system_clock()
    assert main(["user", "list", "--database", db_url]) == 2
    assert capsys.readouterr().err == f"错误：环境变量 LAOPAN_NOW {problem}：{value}（应如 2027-03-01T09:00+08:00）\n"


def test_the_cli_acts_on_the_clock_it_is_given(tmp_path, capsys):
    instant = dt.datetime(2031, 6, 30, 15, 59, tzinfo=dt.UTC)
    assert main(["--data-dir", str(tmp_path), "init"], clock=FixedClock(instant)) == 0
    engine = engine_for(f"sqlite:///{tmp_path / 'laopan.db'}")  # init made it encrypted
    with read_session(engine) as session:
        assert session.exec(select(Committee.created_at)).one().replace(tzinfo=dt.UTC) == instant
    engine.dispose()


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, **extra)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


LAUNCH = "import sys; from ui.shell.launcher import main; sys.exit(main(sys.argv[1:]))"


def test_laopan_now_moves_a_laopan_process(tmp_path):
    """The variable reaches code no test injects a clock into: the real command in a process of its own."""
    result = subprocess.run([sys.executable, "-c", LAUNCH, "--data-dir", str(tmp_path), "init"], capture_output=True, text=True,
                            encoding="utf-8", env=child_env(LAOPAN_NOW="2031-06-30T23:30+08:00"), cwd=REPO, check=False)
    assert (result.returncode, result.stderr) == (0, "")
    engine = engine_for(f"sqlite:///{tmp_path / 'laopan.db'}")  # init made it encrypted
    with read_session(engine) as session:
        created = session.exec(select(Committee.created_at)).one().replace(tzinfo=dt.UTC)
    engine.dispose()
    assert created == dt.datetime(2031, 6, 30, 15, 30, tzinfo=dt.UTC)


def test_a_reader_that_stops_early_ends_laopan_quietly(tmp_path, clock):
    """`laopan cases | head -1`: the reader closes the pipe before the list is written; no traceback follows."""
    assert main(["--data-dir", str(tmp_path), "demo", "--cases", "12", "--seed", "3"], clock=clock) == 0
    read_end, write_end = os.pipe()
    os.close(read_end)  # closed before the child writes a byte: the broken pipe is certain, not a race
    try:
        result = subprocess.run([sys.executable, "-c", LAUNCH, "--data-dir", str(tmp_path), "cases"], stdout=write_end,
                                stderr=subprocess.PIPE, text=True, encoding="utf-8", env=child_env(), cwd=REPO, check=False)
    finally:
        os.close(write_end)
    assert result.stderr == ""
    assert result.returncode == 141
