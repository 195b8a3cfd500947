"""The boundary both ways. The core never loads Qt (STYLE rule 1): importing every laopan module leaves PySide6
out of sys.modules. The window never touches the database directly: no `ui` module imports the storage layer,
SQLAlchemy or SQLModel — it calls services through the worker, which hands them sessions it does not look into.
And the window never leans on the CLI.
"""

import ast
import subprocess
import sys
from pathlib import Path

import laopan

UI = Path(__file__).resolve().parents[2] / "ui"
DATABASE_MODULES = ("laopan.storage", "sqlalchemy", "sqlmodel")
# The one module allowed to: it opens the desk (today through `laopan.desk`, so it needs none of them either).
OPENS_THE_DESK = {"ui/shell/app.py"}

PROBE = """
import importlib, pkgutil, sys
import laopan
names = [m.name for m in pkgutil.walk_packages(laopan.__path__, "laopan.") if ".migrations." not in m.name]
for name in names:
    importlib.import_module(name)
qt = sorted(m for m in sys.modules if m.startswith(("PySide6", "shiboken6", "ui")))
print(len(names), qt)
"""


def test_importing_every_core_module_never_loads_qt():
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    count, qt = result.stdout.strip().split(" ", 1)
    assert int(count) > 20, "the probe should have found the whole package"
    assert qt == "[]"


def test_cli_subcommand_through_the_launcher_does_not_import_qt(tmp_path):
    code = (
        "import sys; from ui.shell.launcher import main; rc = main(['--data-dir', sys.argv[1], 'init']);"
        "print(rc, any(m.startswith('PySide6') for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "0 False"
    assert laopan.__version__


def imported_modules(source: str) -> list[tuple[int, str]]:
    """(line, module) of every import statement, at any depth (function-level and TYPE_CHECKING ones too)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # "from laopan import storage" imports laopan.storage; "from sqlmodel import select", sqlmodel.select
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def touches_the_database(module: str) -> bool:
    return any(module == name or module.startswith(name + ".") for name in DATABASE_MODULES)


def test_the_scan_sees_nested_and_from_imports():
    source = "import os\nfrom laopan import storage\ndef f():\n    from sqlmodel import select\n    import sqlalchemy.orm\n"
    assert [line for line, module in imported_modules(source) if touches_the_database(module)] == [2, 4, 5]
    assert not touches_the_database("sqlmodel_helpers") and not touches_the_database("laopan.storage_report")


def test_the_window_imports_no_storage_sqlalchemy_or_sqlmodel():
    files = sorted(UI.rglob("*.py"))
    assert len(files) > 20, "the scan should have found the whole window package"
    offenders = [
        f"{name}:{line} imports {module}"
        for path in files
        if (name := path.relative_to(UI.parent).as_posix()) not in OPENS_THE_DESK
        for line, module in imported_modules(path.read_text(encoding="utf-8"))
        if touches_the_database(module)
    ]
    assert offenders == [], "the window goes through services, never the database layer:\n" + "\n".join(offenders)


# The entry point shares the CLI's command line (a subcommand runs the CLI, none opens the window); no page,
# widget or dialog may lean on the CLI (labels and deadline texts come from laopan.labels).
CLI_ALLOWED = {"ui/shell/launcher.py", "ui/shell/app.py"}


def test_no_window_module_imports_the_cli():
    files = sorted(UI.rglob("*.py"))
    assert len(files) > 20, "the scan should have found the whole ui package"
    offenders = [
        f"{name}:{line} imports {module}"
        for path in files
        if (name := path.relative_to(UI.parent).as_posix()) not in CLI_ALLOWED
        for line, module in imported_modules(path.read_text(encoding="utf-8"))
        if module == "laopan.cli" or module.startswith("laopan.cli.")
    ]
    assert offenders == []
