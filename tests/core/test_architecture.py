"""The core never loads Qt (STYLE rule 1): importing every laopan module leaves PySide6 out of sys.modules; and the
window never leans on the CLI."""

import ast
import subprocess
import sys
from pathlib import Path

import laopan

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


# The entry point shares the CLI's command line (a subcommand runs the CLI, none opens the window); no page,
# widget or dialog may lean on the CLI (labels and deadline texts come from laopan.labels).
CLI_ALLOWED = {"ui/shell/launcher.py", "ui/shell/app.py"}


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_window_module_imports_the_cli():
    root = Path(laopan.__file__).resolve().parent.parent
    files = sorted((root / "ui").rglob("*.py"))
    assert len(files) > 20, "the scan should have found the whole ui package"
    offenders = [
        str(path.relative_to(root)) for path in files
        if path.relative_to(root).as_posix() not in CLI_ALLOWED
        and any(name == "laopan.cli" or name.startswith("laopan.cli.") for name in _imported_modules(path))
    ]
    assert offenders == []
