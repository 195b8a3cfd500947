"""Issue 11 item 2: the SQLite file is encrypted at rest; a password or the recovery key opens it, nothing else does."""

import json
import os
import re
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from laopan.desk import open_desk
from laopan.errors import StorageError
from laopan.security import keyfile
from laopan.services.cases import case_detail
from laopan.storage import cipher, make_engine
from laopan.storage.failures import explain
from tests.helpers.accounts import TEST_PASSWORD
from tests.helpers.scenarios import LI_ID, ZHANG_ID, register

PASSWORD = TEST_PASSWORD


def _path(url: str) -> Path:
    return Path(make_url(url).database)


def _plain_rows(path: Path) -> dict[str, list]:
    connection = sqlite3.connect(path)
    try:
        return _all_rows(connection)
    finally:
        connection.close()


def _all_rows(connection) -> dict[str, list]:
    names = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
    return {name: sorted(map(repr, connection.execute(f'SELECT * FROM "{name}"').fetchall())) for name in names}


@pytest.fixture
def registered(plain_db_url, clock) -> tuple[Path, int]:
    """A plain desk database holding 张伟's case (with his ID number), closed."""
    engine = make_engine(plain_db_url)
    case_id = register(open_desk(engine=engine, login="admin", password=PASSWORD, clock=clock))
    engine.dispose()
    return _path(plain_db_url), case_id


@pytest.fixture
def encrypted(registered, tmp_path) -> tuple[Path, int, bytes, str]:
    """The same database encrypted, with admin's wrap and a recovery code: (path, case id, key, recovery code)."""
    path, case_id = registered
    key, code = keyfile.create(path, login="admin", password=PASSWORD)
    cipher.encrypt_in_place(path, key, backup_to=tmp_path / "before-encryption.db")
    return path, case_id, key, code


def _desk_with_key(path: Path, key: bytes, clock):
    return open_desk(engine=make_engine(f"sqlite:///{path}", key=key), login="admin", password=PASSWORD, clock=clock)


def test_the_encrypted_file_shows_no_name_or_id_number_that_the_plain_one_did(registered, tmp_path):
    path, _ = registered
    needles = [ZHANG_ID.encode(), LI_ID.encode(), "张伟".encode(), "李秀英".encode(), "华光城".encode()]
    before = path.read_bytes()
    assert all(needle in before for needle in needles)  # the check below can see them when they are there

    key, _ = keyfile.create(path, login="admin", password=PASSWORD)
    cipher.encrypt_in_place(path, key, backup_to=tmp_path / "backup.db")

    after = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))  # the file, its WAL and its keys
    assert not [needle.decode() for needle in needles if needle in after]
    assert not path.read_bytes().startswith(cipher.SQLITE_HEADER)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_copied_file_is_not_a_database_to_python_sqlite3(encrypted, tmp_path):
    path, *_ = encrypted
    copy = tmp_path / "usb-stick.db"
    shutil.copy(path, copy)
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        sqlite3.connect(copy).execute("SELECT count(*) FROM mediation_case").fetchone()


def test_the_right_password_opens_the_desk_and_every_detail_reads_back(encrypted, clock):
    path, case_id, _, _ = encrypted
    desk = _desk_with_key(path, keyfile.unlock(path, login="ADMIN", password=PASSWORD), clock)
    with desk.reading() as session:
        detail = case_detail(session, actor=desk.actor, case_id=case_id)
    assert [party.name for party in detail.parties] == ["张伟", "李秀英"]
    desk.engine.dispose()


def test_a_wrong_password_or_unknown_login_is_refused_with_one_sentence(encrypted):
    path, *_ = encrypted
    with pytest.raises(keyfile.WrongSecret) as wrong:
        keyfile.unlock(path, login="admin", password=PASSWORD + "x")
    with pytest.raises(keyfile.WrongSecret) as unknown:
        keyfile.unlock(path, login="nobody", password=PASSWORD)
    assert str(wrong.value) == str(unknown.value) == "用户名或密码错误"


@pytest.mark.parametrize("key", [None, bytes(32)], ids=["no key", "wrong key"])
def test_opening_the_encrypted_file_without_its_key_says_it_is_encrypted(encrypted, key):
    path, *_ = encrypted
    engine = make_engine(f"sqlite:///{path}", key=key)
    with pytest.raises(Exception) as failure, engine.connect() as connection:
        connection.execute(text("SELECT count(*) FROM mediation_case"))
    engine.dispose()
    reason = explain(failure.value, engine.url)
    assert isinstance(reason, StorageError)
    assert str(reason).startswith("数据库已加密：需要正确的用户名和密码")


def test_the_recovery_code_opens_it_when_every_password_is_lost(encrypted, clock):
    path, case_id, key, code = encrypted
    assert re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}", code)  # 32 × 5 = 160 bits
    assert keyfile.unlock_with_recovery(path, code) == key
    assert keyfile.unlock_with_recovery(path, code.lower().replace("-", " ")) == key  # as written on paper
    wrong = ("1" if code[0] != "1" else "2") + code[1:]
    with pytest.raises(keyfile.WrongSecret, match="恢复密钥不正确"):
        keyfile.unlock_with_recovery(path, wrong)
    desk = _desk_with_key(path, keyfile.unlock_with_recovery(path, code), clock)
    with desk.reading() as session:
        assert case_detail(session, actor=desk.actor, case_id=case_id).parties[0].name == "张伟"
    desk.engine.dispose()


def test_a_password_change_rewraps_only_that_users_copy(encrypted):
    path, _, key, code = encrypted
    keyfile.enroll(path, key, login="Wang", password="wang-密码-123")
    before = json.loads(keyfile.key_path(path).read_text())

    keyfile.enroll(path, key, login="admin", password="new-密码-456")

    after = json.loads(keyfile.key_path(path).read_text())
    assert after["users"]["wang"] == before["users"]["wang"]
    assert after["recovery"] == before["recovery"]
    assert after["users"]["admin"] != before["users"]["admin"]
    with pytest.raises(keyfile.WrongSecret):
        keyfile.unlock(path, login="admin", password=PASSWORD)
    assert keyfile.unlock(path, login="admin", password="new-密码-456") == key
    assert keyfile.unlock(path, login="WANG", password="wang-密码-123") == key
    assert keyfile.unlock_with_recovery(path, code) == key

    assert keyfile.remove(path, "wang")
    with pytest.raises(keyfile.WrongSecret):
        keyfile.unlock(path, login="wang", password="wang-密码-123")


def test_enrolling_with_a_key_that_is_not_the_databases_is_refused(encrypted):
    path, *_ = encrypted
    with pytest.raises(keyfile.WrongSecret):
        keyfile.enroll(path, bytes(32), login="wang", password="wang-密码-123")
    assert keyfile.logins(path) == ["admin"]


def test_the_key_file_is_private_and_never_holds_the_key_or_a_password(encrypted):
    path, _, key, code = encrypted
    keys = keyfile.key_path(path)
    assert stat.S_IMODE(keys.stat().st_mode) == 0o600
    content = keys.read_text()
    assert key.hex() not in content and PASSWORD not in content and code.replace("-", "") not in content
    data = json.loads(content)
    assert data["users"]["admin"]["kdf"] == "argon2id" and data["users"]["admin"]["salt"]
    assert not [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")]  # written atomically, no leftovers


def test_conversion_keeps_every_row_and_leaves_a_plain_backup(registered, tmp_path):
    path, _ = registered
    rows = _plain_rows(path)
    key, _ = keyfile.create(path, login="admin", password=PASSWORD)

    cipher.encrypt_in_place(path, key, backup_to=tmp_path / "backup.db")

    connection = cipher.connect(str(path), key)
    try:
        assert _all_rows(connection) == rows
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        connection.close()
    assert _plain_rows(tmp_path / "backup.db") == rows


def test_an_interrupted_conversion_leaves_the_plain_original_intact(registered, tmp_path, monkeypatch):
    path, _ = registered
    rows = _plain_rows(path)
    key, _ = keyfile.create(path, login="admin", password=PASSWORD)

    def power_cut(*_args):
        raise OSError("power cut")

    monkeypatch.setattr(cipher.os, "replace", power_cut)
    with pytest.raises(OSError, match="power cut"):
        cipher.encrypt_in_place(path, key, backup_to=tmp_path / "backup.db")
    assert cipher.is_plain_sqlite(path) and _plain_rows(path) == rows

    monkeypatch.undo()
    cipher.encrypt_in_place(path, key, backup_to=tmp_path / "backup.db")  # the next attempt finishes the job
    assert not cipher.is_plain_sqlite(path)
    assert not [p.name for p in path.parent.iterdir() if "encrypting" in p.name]


def test_the_encrypted_engine_keeps_wal_foreign_keys_busy_timeout_and_immediate_writes(encrypted):
    path, _, key, _ = encrypted
    engine = make_engine(f"sqlite:///{path}", key=key)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 15_000
        assert connection.execute(text("PRAGMA cipher_version")).scalar().startswith("4.")
    other = make_engine(f"sqlite:///{path}", key=key)
    with engine.begin() as writing:  # BEGIN IMMEDIATE: the write lock is taken at once …
        writing.execute(text("SELECT 1"))
        raw = other.raw_connection()
        try:
            raw.execute("PRAGMA busy_timeout=0")
            with pytest.raises(Exception, match="locked"):  # … so a second writer cannot start
                raw.execute("BEGIN IMMEDIATE")
        finally:
            raw.close()
    engine.dispose()
    other.dispose()


def test_the_online_backup_api_copies_it_still_encrypted(encrypted, tmp_path):
    path, case_id, key, _ = encrypted
    source = cipher.connect(str(path), key)
    target = cipher.connect(str(tmp_path / "copy.db"), key)
    try:
        source.backup(target)
        assert target.execute("SELECT count(*) FROM mediation_case WHERE id = ?", (case_id,)).fetchone()[0] == 1
    finally:
        source.close()
        target.close()
    assert not (tmp_path / "copy.db").read_bytes().startswith(cipher.SQLITE_HEADER)
    assert ZHANG_ID.encode() not in (tmp_path / "copy.db").read_bytes()


def test_a_desk_made_without_a_key_file_is_not_called_encrypted(tmp_path):
    garbage = tmp_path / "notes.db"
    garbage.write_bytes(os.urandom(8192))
    engine = make_engine(f"sqlite:///{garbage}")
    with pytest.raises(Exception) as failure, engine.connect() as connection:
        connection.execute(text("SELECT 1 FROM sqlite_master"))
    engine.dispose()
    assert "不是本程序的数据库" in str(explain(failure.value, engine.url))


def test_wrong_passwords_lock_the_login_out_and_are_handed_over_for_the_audit(encrypted, clock):
    from laopan.security import unlocking

    path, _, key, _ = encrypted
    for _ in range(unlocking.MAX_FAILURES):
        with pytest.raises(keyfile.WrongSecret, match="用户名或密码错误"):
            unlocking.unlock_desk(path, login="admin", password="guess", clock=clock)
    with pytest.raises(unlocking.LockedOut, match="密码错误次数过多，该用户已锁定至 2026年11月27日 09:15"):  # 09:00 + 15 min, Beijing time
        unlocking.unlock_desk(path, login="Admin", password=PASSWORD, clock=clock)

    clock.advance(minutes=unlocking.LOCK_MINUTES)
    opened = unlocking.unlock_desk(path, login="admin", password=PASSWORD, clock=clock)
    assert opened.key == key
    assert [entry["login"] for entry in opened.pending_failures] == ["admin"] * unlocking.MAX_FAILURES
    assert unlocking.unlock_desk(path, login="admin", password=PASSWORD, clock=clock).pending_failures == []
