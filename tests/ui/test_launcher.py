"""The real `laopan` command in a subprocess: the window opens on a prepared data dir and says it is ready."""

import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import laopan.cli

pytestmark = pytest.mark.slow

READY_TIMEOUT_S = 60
REPO = Path(__file__).resolve().parents[2]


def child_env() -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("LAOPAN_DATA_DIR", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def test_laopan_without_subcommand_opens_the_window_and_logs_ready(tmp_path):
    data = tmp_path / "desk"
    assert laopan.cli.main(["--data-dir", str(data), "demo", "--cases", "60", "--seed", "2"]) == 0
    lines: queue.Queue[str | None] = queue.Queue()
    seen: list[str] = []
    with subprocess.Popen(
        [sys.executable, "-m", "ui.shell.launcher", "--data-dir", str(data)],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, encoding="utf-8", env=child_env(), cwd=REPO,
    ) as process:

        def pump() -> None:
            assert process.stderr is not None
            for line in process.stderr:
                lines.put(line.rstrip("\n"))
            lines.put(None)

        reader = threading.Thread(target=pump, daemon=True)
        reader.start()
        deadline = time.monotonic() + READY_TIMEOUT_S
        try:
            while time.monotonic() < deadline:
                try:
                    line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
                except queue.Empty:
                    break
                if line is None:
                    break
                seen.append(line)
                if line.startswith("laopan: ready"):
                    break
        finally:
            process.terminate()
            process.wait(timeout=30)
            reader.join(timeout=30)
    ready = [line for line in seen if line.startswith("laopan: ready")]
    assert ready, "no ready line; stderr was:\n" + "\n".join(seen)
    assert "cases=60" in ready[0] and " ms=" in ready[0]
    assert any(line.startswith("laopan: window shown ms=") for line in seen)


VOID_CALLS = """
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
w = QWidget()
for _ in range(20_000):
    w.setObjectName("x")
    w.update()
print("ok")
"""


def test_twenty_thousand_void_qt_calls_do_not_abort_the_interpreter():
    """PySide6 6.12.0 on Python 3.11 aborts after ~5,000 void calls (PITFALLS); this catches a regression."""
    result = subprocess.run(
        [sys.executable, "-c", VOID_CALLS], capture_output=True, text=True, env=child_env(), timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


LAZY_IMPORTS = """
import sys
import ui.shell.app, ui.shell.main_window, ui.cases.intake_dialog, ui.cases.detail
heavy = sorted(m for m in ("reportlab", "docx", "openpyxl") if m in sys.modules)
print(heavy)
"""


def test_the_window_does_not_import_document_or_excel_libraries_at_start_up():
    result = subprocess.run([sys.executable, "-c", LAZY_IMPORTS], capture_output=True, text=True, env=child_env(), cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


LOGIN_FIRST = """
import sys
import ui.shell.app, ui.shell.login
print(sorted(m for m in ("sqlalchemy", "sqlmodel", "laopan.desk", "ui.shell.main_window") if m in sys.modules))
"""


def test_the_login_dialog_needs_none_of_the_desks_modules():
    """The login dialog of an encrypted desk shows before SQLAlchemy, the models and the window's pages are
    imported (~1.3 s here): they load in the background while the password is typed."""
    result = subprocess.run([sys.executable, "-c", LOGIN_FIRST], capture_output=True, text=True, env=child_env(), cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


CASE_PANE_LATER = """
import sys
import ui.shell.main_window
print(sorted(m for m in ("ui.cases.detail", "laopan.services.lifecycle", "laopan.services.agreements") if m in sys.modules))
"""


def test_the_window_imports_the_case_pane_only_when_it_builds_it():
    """The case pane's modules (lifecycle, agreements, documents) load after the first page, not with the window."""
    result = subprocess.run([sys.executable, "-c", CASE_PANE_LATER], capture_output=True, text=True, env=child_env(), cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


SECTIONS_LATER = """
import sys
import laopan.desk, ui.shell.app, ui.shell.main_window
print(sorted(m for m in ("ui.workbench.page", "ui.liaison.page", "ui.mediators.page", "ui.statistics.page", "ui.audit.page",
                         "ui.users.page", "ui.backup.page", "ui.cases.intake_dialog", "laopan.services.due",
                         "sqlalchemy.dialects.postgresql") if m in sys.modules))
"""


def test_the_window_imports_a_sections_page_only_when_it_builds_it():
    """Before the first page (issue 16: ≤ 1.0 s to "ready") the window imports no section but the case list, no
    intake form, no deadline service, and on SQLite none of SQLAlchemy's PostgreSQL dialect."""
    result = subprocess.run([sys.executable, "-c", SECTIONS_LATER], capture_output=True, text=True, env=child_env(), cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_launcher_knows_every_global_option_that_takes_a_value():
    """`laopan --as admin --data-dir D` opens the window; the launcher decides that from the words alone, so a
    global option's value (here the login "cases") must never be read as a subcommand."""
    from laopan.cli.main import build_parser
    from ui.shell import launcher

    valued = {a.option_strings[0] for a in build_parser()._actions if a.option_strings and a.nargs is None and a.const is None
              and not isinstance(a.default, bool) and a.option_strings[0].startswith("--")}
    assert valued == launcher._VALUED
    for option in sorted(valued):
        assert launcher._wants_window([option, "cases"]), option
    assert not launcher._wants_window(["--as", "admin", "cases", "--search", "王"])
    assert not launcher._wants_window(["--help"])
