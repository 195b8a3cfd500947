"""`laopan backup DIR` on PostgreSQL writes a pg_dump custom-format file; without pg_dump it says what to run;
restore is pg_restore by hand (README), and `laopan restore` says so."""

from pathlib import Path


def test_backup_runs_pg_dump_into_the_folder(cli, tmp_path):
    code, out, err = cli("backup", str(tmp_path / "dumps"))
    assert code == 0, err
    written = Path(out.split("\t")[0])
    assert written.parent == tmp_path / "dumps" and written.name == "laopan-20261127-090000.dump"
    assert written.read_bytes()[:5] == b"PGDMP"


def test_without_pg_dump_the_command_to_run_is_printed(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    code, _, err = cli("backup", str(tmp_path))
    assert code == 2
    assert "本机没有 pg_dump" in err and "pg_dump -Fc -f laopan.dump -h 127.0.0.1" in err


def test_restore_points_to_pg_restore(cli, tmp_path):
    code, _, err = cli("restore", str(tmp_path / "x.dump"))
    assert code == 2
    assert "pg_restore" in err
