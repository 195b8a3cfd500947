"""The wheel carries what an installed desk needs: the CJK font and its licence, the migrations, the console
scripts, and `laopan.resources` finds the font inside the installed package, not in a checkout."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import laopan

REPO = Path(laopan.__file__).resolve().parents[1]  # the checkout under test

PROBE = """
import sys
sys.path.insert(0, sys.argv[1])
import laopan
from laopan import resources
from laopan.storage import make_engine
from laopan.storage.migrate import head_revision, upgrade
engine = make_engine("sqlite:///" + sys.argv[2])
upgrade(engine)
engine.dispose()
print(laopan.__file__)
print(resources.path("fonts/wqy-microhei.ttc"))
print(head_revision())
"""


def _checkout_head() -> str:
    from laopan.storage.migrate import head_revision

    return head_revision()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(REPO)],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    (built,) = out.glob("laopan-*.whl")
    return built


@pytest.mark.slow
def test_the_wheel_contains_the_font_its_licence_and_the_migrations(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(archive.read(n).decode() for n in names if n.endswith(".dist-info/entry_points.txt"))
        font = archive.getinfo("laopan/_resources/fonts/wqy-microhei.ttc")
    assert font.file_size == (REPO / "resources" / "fonts" / "wqy-microhei.ttc").stat().st_size
    assert "laopan/_resources/fonts/wqy-microhei.COPYING" in names
    assert "laopan/storage/migrations/versions/0001_initial.py" in names
    assert {"laopan/storage/migrations/env.py", "laopan/storage/migrations/script.py.mako"} <= names
    assert "ui/shell/launcher.py" in names
    assert "laopan = ui.shell.launcher:main" in entry_points
    assert "laopan-desk = ui.shell.launcher:main_gui" in entry_points
    assert not any(name.startswith("tests/") for name in names)


@pytest.mark.slow
def test_the_unpacked_wheel_finds_its_own_font_and_migrates(wheel, tmp_path):
    tree = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(tree)
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(tree), str(tmp_path / "fresh.db")],
        capture_output=True, text=True, cwd=tree, stdin=subprocess.DEVNULL, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    package, font, revision = result.stdout.splitlines()
    assert Path(package).is_relative_to(tree), "the probe must import the unpacked wheel, not the checkout"
    assert Path(font) == tree / "laopan" / "_resources" / "fonts" / "wqy-microhei.ttc"
    assert not Path(font).is_relative_to(REPO)
    assert revision == _checkout_head()
    assert (tmp_path / "fresh.db").stat().st_size > 0
