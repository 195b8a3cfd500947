"""Backups (issue 11 item 6): `laopan backup` writes a whole copy named by the time, rotation keeps the newest,
`laopan restore` verifies first and keeps what it replaces, and a backup → delete → restore gives back every
case exactly as it was exported before (proof 3)."""

import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlmodel import select

from laopan import paths
from laopan.errors import PermissionDenied
from laopan.models import AuditEntry
from laopan.models.enums import Role
from laopan.services.backups import list_backups, make_backup
from laopan.storage import backup as store
from laopan.storage.engine import database_key
from tests.helpers.databases import sqlite_connection
from tests.helpers.scenarios import register, user


def _database(db_url: str) -> Path:
    return Path(db_url.removeprefix("sqlite:///"))


def _intake_numbers(cli) -> list[str]:
    code, out, _ = cli("cases", "--limit", "1000")
    assert code == 0
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def test_backup_delete_restore_gives_back_every_case_as_exported(desk, cli, db_url, clock):
    for n in range(3):
        register(desk, summary=f"第{n}起：楼上漏水致楼下吊顶受损。")
    numbers = _intake_numbers(cli)
    assert len(numbers) == 3
    code, before, _ = cli("case", "export", *numbers)
    assert code == 0

    code, out, err = cli("backup")
    assert code == 0, err
    written = Path(out.split("\t")[0])
    assert written.parent == paths.backups_dir() and written.name == "laopan-20261127-090000.db"
    assert "已备份" in err

    desk.engine.dispose()
    database = _database(db_url)
    for suffix in ("", "-wal", "-shm"):
        Path(str(database) + suffix).unlink(missing_ok=True)
    clock.advance(minutes=5)
    code, out, err = cli("restore", str(written))
    assert code == 0, err
    assert "3 件案件" in out and "已恢复" in out

    assert _intake_numbers(cli) == numbers
    code, after, _ = cli("case", "export", *numbers)
    assert code == 0
    assert after == before


def test_restore_keeps_the_replaced_database_and_audits_in_the_restored_one(desk, cli, db_url, clock):
    code, out, _ = cli("backup")
    written = Path(out.split("\t")[0])
    register(desk)  # made after the backup: gone after the restore, but kept in the before-restore copy
    desk.engine.dispose()
    clock.advance(hours=1)

    code, out, err = cli("restore", str(written))
    assert code == 0, err
    kept = _database(db_url).with_name("laopan.db.before-restore-20261127-100000")
    assert f"原数据库已另存为：{kept}" in out
    assert _intake_numbers(cli) == []
    with closing(sqlite_connection(f"sqlite:///{kept}")) as old:
        assert old.execute("SELECT count(*) FROM mediation_case").fetchone()[0] == 1
        assert [r[0] for r in old.execute("SELECT action FROM audit_entry WHERE entity='database'")] == ["backup"]

    with closing(sqlite_connection(db_url)) as restored:
        actions = [row[0] for row in restored.execute("SELECT action FROM audit_entry WHERE entity='database' ORDER BY id")]
    assert actions == ["restore"]  # the copy was taken before its own audit entry was written


def test_restore_is_refused_while_another_desk_has_the_database_open(desk, cli):
    code, out, _ = cli("backup")
    written = Path(out.split("\t")[0])
    with desk.reading() as session:  # another desk, idle on an open connection
        session.exec(select(AuditEntry)).first()
        code, _, err = cli("restore", str(written))
    assert code == 3
    assert "正在使用该数据库" in err


def test_rotation_keeps_the_newest_backups(desk, clock):
    folder = paths.backups_dir()
    for _ in range(5):
        make_backup(engine=desk.engine, actor=desk.actor, keep=3)
        clock.advance(hours=1)
    rows = list_backups(actor=desk.actor, engine=desk.engine)
    assert [row.name for row in rows] == [f"laopan-20261127-{h:02d}0000.db" for h in (13, 12, 11)]
    assert all(row.case_count == 0 and row.kind == "手动" for row in rows)


def test_backup_to_a_folder_such_as_a_usb_stick_is_not_rotated(desk, tmp_path, clock, cli):
    stick = tmp_path / "U盘"
    for _ in range(3):
        code, out, _ = cli("backup", str(stick))
        assert code == 0
        clock.advance(minutes=1)
    assert len(store.list_backups(stick)) == 3
    assert "laopan-20261127-090200.db" in out


def test_key_file_travels_with_the_backup(desk, db_url, tmp_path):
    keys = store.key_file(_database(db_url))
    keys.write_text('{"wrapped": "…"}', encoding="utf-8")
    row = make_backup(engine=desk.engine, actor=desk.actor, folder=tmp_path)
    assert store.key_file(Path(row.path)).read_text(encoding="utf-8") == '{"wrapped": "…"}'


def test_a_mediator_may_not_back_up(desk):
    mediator = user(desk, "wang", Role.MEDIATOR, "王芳")
    with pytest.raises(PermissionDenied, match="无权管理备份与恢复"):
        make_backup(engine=desk.engine, actor=mediator)


def test_verify_refuses_damaged_and_foreign_files(tmp_path, desk):
    damaged = tmp_path / "laopan-20261127-090000.db"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x00" * 500)
    with pytest.raises(store.BackupError):
        store.verify(damaged)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE t(x)")
    with pytest.raises(store.BackupError, match="不是本程序的数据库"):
        store.verify(other)
    with pytest.raises(store.BackupError, match="不存在"):
        store.verify(tmp_path / "missing.db")


def test_verify_refuses_a_backup_from_a_newer_program(desk, tmp_path):
    row = make_backup(engine=desk.engine, actor=desk.actor, folder=tmp_path)
    with closing(sqlite_connection(f"sqlite:///{row.path}")) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(store.BackupError, match="更新版本"):
        store.verify(row.path, database_key(desk.engine))


def test_daily_backup_is_due_when_the_newest_automatic_one_is_a_day_old(desk, clock, tmp_path):
    assert store.daily_due(tmp_path, clock=clock)
    store.backup_into(desk.engine, tmp_path, clock=clock, kind="daily")
    clock.advance(hours=23)
    store.backup_into(desk.engine, tmp_path, clock=clock)  # a manual one does not count
    assert not store.daily_due(tmp_path, clock=clock)
    clock.advance(hours=1)
    assert store.daily_due(tmp_path, clock=clock)


def test_the_file_name_is_local_time():
    instant = dt.datetime(2026, 12, 4, 7, 30, tzinfo=dt.UTC)
    assert store.backup_name(instant) == "laopan-20261204-153000.db"
    assert store.backup_name(instant, kind="upgrade") == "laopan-20261204-153000-upgrade.db"


def test_an_upgrade_first_copies_the_database_to_the_backups_dir(tmp_path):
    from alembic import command
    from alembic.script import ScriptDirectory

    from laopan.storage import make_engine
    from laopan.storage.migrate import alembic_config, upgrade

    head = ScriptDirectory.from_config(alembic_config()).get_revision("head")
    previous = head.down_revision
    engine = make_engine(f"sqlite:///{tmp_path / 'laopan.db'}")
    try:
        with engine.connect() as connection:
            command.upgrade(alembic_config(connection), previous)
            connection.commit()
        assert store.list_backups(paths.backups_dir()) == []
        assert upgrade(engine)
        copies = store.list_backups(paths.backups_dir())
        assert [store.kind_of(p) for p in copies] == ["upgrade"]
        assert store.verify(copies[0]).revision == previous  # the copy is the database as it was before
        assert not upgrade(engine)  # nothing to upgrade: no further copy
        assert len(store.list_backups(paths.backups_dir())) == 1
    finally:
        engine.dispose()


def test_an_encrypted_database_is_copied_encrypted(tmp_path):
    """Only where sqlcipher3 is installed (the encrypted desk's module; this branch adds no dependency)."""
    sqlcipher3 = pytest.importorskip("sqlcipher3")
    from sqlalchemy import create_engine

    key = bytes(range(32))
    source = tmp_path / "laopan.db"

    def keyed():
        connection = sqlcipher3.connect(str(source), check_same_thread=False)
        connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        return connection

    engine = create_engine(f"sqlite:///{source}", creator=keyed)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t(x)")
        connection.exec_driver_sql("INSERT INTO t VALUES ('张伟')")
    copy = store.backup(engine, tmp_path / "copy.db", key=key)
    engine.dispose()
    assert b"SQLite format 3" not in copy.read_bytes()[:16]  # still encrypted
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(copy).execute("SELECT * FROM t").fetchall()
    reopened = sqlcipher3.connect(str(copy))
    reopened.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    assert reopened.execute("SELECT x FROM t").fetchall() == [("张伟",)]
    reopened.close()


def test_the_cli_refuses_a_mediator_and_lists_backups_for_an_admin(desk, cli, clock):
    user(desk, "wang", Role.MEDIATOR, "王芳")
    code, _, err = cli("backup", "--as", "wang")
    assert code == 4 and "无权管理备份与恢复" in err
    assert store.list_backups(paths.backups_dir()) == []
    code, _, err = cli("backup", "--list")
    assert code == 0 and "还没有备份" in err
    cli("backup")
    code, out, _ = cli("backup", "--list")
    assert out.split("\t")[1:] == ["2026年11月27日 09:00:00", "手动", out.split("\t")[3], "0 件案件\n"]
