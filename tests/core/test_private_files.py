"""On POSIX what the program writes is its owner's only: data dir 0700, database, settings and exports 0600."""

import os
import stat

import pytest

from laopan import paths
from tests.helpers.scenarios import register

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


@pytest.fixture
def loose_umask():
    old = os.umask(0o022)  # as a typical login shell would leave it
    yield
    os.umask(old)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_an_export_from_the_cli_is_readable_by_its_owner_only(cli, desk, tmp_path, loose_umask):
    register(desk)
    out = tmp_path / "x.json"
    code, _, _ = cli("case", "export", "DL2026-00001", "--out", str(out))
    assert code == 0
    assert mode(out) == 0o600
    (tmp_path / "new").mkdir()
    assert mode(tmp_path / "new") == 0o700, "a folder made afterwards in the same process too"


def test_a_data_dir_left_open_by_an_older_version_is_tightened(tmp_path, loose_umask):
    base = tmp_path / "data"
    base.mkdir(mode=0o755)
    for name in ("laopan.db", "settings.json"):
        (base / name).write_text("x")
        (base / name).chmod(0o644)
    paths.configure(base)
    try:
        paths.keep_private()
    finally:
        paths.configure(None)
    assert (mode(base), mode(base / "laopan.db"), mode(base / "settings.json")) == (0o700, 0o600, 0o600)
