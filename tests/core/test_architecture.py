"""The core never loads Qt (STYLE rule 1): importing every laopan module leaves PySide6 out of sys.modules."""

import subprocess
import sys

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
