"""Storage: migrations are the schema, SQLite is configured for several desks, instants stay UTC-aware,
and a unit of work commits or leaves the last good state (DESIGN §2 "Storage", "Schema upgrades")."""

import datetime as dt
import threading

import pytest
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import IntegrityError, StatementError

from laopan.desk import open_desk
from tests.helpers.accounts import TEST_PASSWORD
from laopan.models import Agreement, AuditEntry, Case, Community, NumberSequence
from laopan.services.intake import register_case
from laopan.storage import backend_label, make_engine, read_session, session_scope
from laopan.storage.engine import SQLITE_BUSY_TIMEOUT_MS
from laopan.storage.migrate import DatabaseTooNew, current_revision, head_revision, pending_differences, upgrade
from tests.helpers.scenarios import plain_case
from tests.helpers.databases import engine_for

CASE = plain_case(received_at="2026-11-02T14:00:00+08:00")


@pytest.fixture
def engine(db_url):
    engine = engine_for(db_url)
    yield engine
    engine.dispose()


def _count(engine, model) -> int:
    with read_session(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


# --- migrations ----------------------------------------------------------------------------------------


@pytest.mark.both_engines
def test_upgrade_on_an_empty_database_creates_head_and_the_models_agree(blank_db_url):
    engine = make_engine(blank_db_url)
    try:
        assert upgrade(engine) is True
        with engine.connect() as connection:
            assert current_revision(connection) == head_revision()
            tables = set(inspect(connection).get_table_names())
        assert {"committee", "mediation_case", "party", "agreement", "audit_entry", "number_sequence"} <= tables
        assert pending_differences(engine) == []
    finally:
        engine.dispose()


@pytest.mark.both_engines
def test_only_one_agreement_per_case_is_in_force_on_either_engine(desk):
    """The model declares the partial index for SQLite only (declaring PostgreSQL's would load that dialect into
    every SQLite start): migration 0007 makes it partial on both, and the database enforces it on both."""
    with desk.session() as session:
        case_id = register_case(session, actor=desk.actor, data=CASE).id

    def add(superseded_at: dt.datetime | None) -> None:
        with session_scope(desk.engine) as session:
            session.add(Agreement(committee_id=desk.committee_id, case_id=case_id, superseded_at=superseded_at))

    add(dt.datetime(2026, 11, 1, tzinfo=dt.UTC))  # superseded ones: any number of them
    add(dt.datetime(2026, 11, 2, tzinfo=dt.UTC))
    add(None)
    with pytest.raises(IntegrityError):
        add(None)
    assert _count(desk.engine, Agreement) == 3


@pytest.mark.both_engines
def test_upgrading_twice_changes_nothing(blank_db_url):
    engine = make_engine(blank_db_url)
    try:
        assert upgrade(engine) is True
        assert upgrade(engine) is False
        with engine.connect() as connection:
            assert current_revision(connection) == head_revision()
            versions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        assert versions == [head_revision()]
    finally:
        engine.dispose()


def _stamp_unknown_revision(engine, revision: str) -> None:
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :rev"), {"rev": revision})


def test_a_database_from_a_newer_program_is_refused(engine, db_url):
    _stamp_unknown_revision(engine, "ffff0000ffff")
    with pytest.raises(DatabaseTooNew) as info:
        upgrade(engine)
    assert "请升级本程序" in str(info.value)
    # Refusing must not touch the database: the newer program can still open it.
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "ffff0000ffff"
    with pytest.raises(DatabaseTooNew):
        open_desk(url=db_url, login="admin", password=TEST_PASSWORD)


def test_the_too_new_refusal_names_the_database_revision(engine):
    """The message a desk user reads shows the revision, not alembic's English error text."""
    _stamp_unknown_revision(engine, "ffff0000ffff")
    with pytest.raises(DatabaseTooNew) as info:
        upgrade(engine)
    assert info.value.revision == "ffff0000ffff"
    assert str(info.value) == "数据库由更新版本的程序创建（结构版本 ffff0000ffff），请升级本程序后再打开"


# --- SQLite configuration --------------------------------------------------------------------------------


def test_sqlite_connections_enforce_foreign_keys_use_wal_and_wait_when_busy(engine):
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar_one().lower() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar_one() == SQLITE_BUSY_TIMEOUT_MS
    assert SQLITE_BUSY_TIMEOUT_MS >= 5000


def test_a_row_pointing_at_a_missing_parent_is_refused(engine):
    before = _count(engine, Community)
    with pytest.raises(IntegrityError, match="FOREIGN KEY"):
        with session_scope(engine) as session:
            session.add(Community(committee_id=987654, name="不存在的调委会的社区"))
    assert _count(engine, Community) == before


def test_make_engine_refuses_a_postgresql_driver_other_than_psycopg3():
    with pytest.raises(ValueError, match="psycopg 3"):
        make_engine("postgresql+psycopg2://laopan@localhost/laopan")


def test_backend_label_names_the_sqlite_file(engine, db_url):
    assert backend_label(engine) == f"SQLite {db_url.removeprefix('sqlite:///')}"


# --- instants ---------------------------------------------------------------------------------------------


def test_a_received_time_comes_back_utc_aware_and_equal(desk, engine):
    with desk.session() as session:
        case_id = register_case(session, actor=desk.actor, data=CASE).id
    with read_session(engine) as session:
        received = session.get(Case, case_id).received_at
    assert received.utcoffset() == dt.timedelta(0)
    assert received == dt.datetime(2026, 11, 2, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert received == dt.datetime(2026, 11, 2, 6, 0, tzinfo=dt.UTC)
    # Stored as UTC wall time (SQLite keeps no offset), so every desk reads the same instant.
    with engine.connect() as connection:
        raw = connection.execute(text("SELECT received_at FROM mediation_case WHERE id = :id"), {"id": case_id}).scalar_one()
    assert str(raw).startswith("2026-11-02 06:00:00")


def test_a_naive_datetime_is_refused_and_nothing_is_written(engine):
    before = _count(engine, AuditEntry)
    with pytest.raises(StatementError, match="naive"):
        with session_scope(engine) as session:
            session.add(AuditEntry(at=dt.datetime(2026, 11, 27, 9, 0), login="admin", action="test", entity="none"))
    assert _count(engine, AuditEntry) == before


# --- units of work ----------------------------------------------------------------------------------------


def test_session_scope_commits_when_the_block_ends(desk, engine):
    with session_scope(engine) as session:
        number = register_case(session, actor=desk.actor, data=CASE).intake_no
    with read_session(engine) as session:
        assert session.execute(select(Case.intake_no)).scalars().all() == [number]


def test_an_error_mid_registration_leaves_no_case_and_no_used_number(desk, engine):
    class Crash(Exception):
        pass

    audited = _count(engine, AuditEntry)  # the desk's login
    with pytest.raises(Crash):
        with session_scope(engine) as session:
            register_case(session, actor=desk.actor, data=CASE)
            raise Crash
    assert _count(engine, Case) == 0
    assert _count(engine, AuditEntry) == audited
    assert _count(engine, NumberSequence) == 0
    # The number rolled back with the case: the next registration gets it (gapless).
    with session_scope(engine) as session:
        assert register_case(session, actor=desk.actor, data=CASE).intake_no == "DL2026-00001"


def test_a_second_desk_writing_waits_for_the_first_instead_of_failing(db_url):
    first, second = engine_for(db_url), engine_for(db_url)
    finished = threading.Event()
    errors: list[BaseException] = []

    def second_desk_writes() -> None:
        try:
            with session_scope(second) as session:
                # A read before the write: with a deferred BEGIN this would fail at once with "database is locked".
                session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
                session.add(AuditEntry(at=dt.datetime(2026, 11, 27, 1, 1, tzinfo=dt.UTC), login="b", action="second", entity="t"))
        except BaseException as exc:  # noqa: BLE001 — reported to the main thread
            errors.append(exc)
        finally:
            finished.set()

    try:
        with session_scope(first) as session:
            session.add(AuditEntry(at=dt.datetime(2026, 11, 27, 1, 0, tzinfo=dt.UTC), login="a", action="first", entity="t"))
            session.flush()  # the first desk now holds the write lock
            worker = threading.Thread(target=second_desk_writes)
            worker.start()
            assert not finished.wait(0.5), f"the second desk did not wait for the lock: {errors}"
            # A reader never waits for the writer and sees the last committed state.
            with read_session(second) as reader:
                assert reader.execute(select(func.count()).select_from(AuditEntry)).scalar_one() == 0
        worker.join(timeout=20)
        assert finished.is_set()
        assert errors == []
        with read_session(first) as session:
            actions = session.execute(select(AuditEntry.action).order_by(AuditEntry.id)).scalars().all()
        assert actions == ["first", "second"]
    finally:
        first.dispose()
        second.dispose()


def test_changes_made_in_a_reading_session_are_never_saved(engine, desk):
    with read_session(engine) as session:
        register_case(session, actor=desk.actor, data=CASE)
        assert session.execute(select(func.count()).select_from(Case)).scalar_one() == 1
    assert _count(engine, Case) == 0


def test_an_upgrade_leaves_foreign_keys_enforced_on_the_connection_it_used(tmp_path):
    """Migrations run with SQLite's foreign-key check deferred (a batch rebuild otherwise checks every row
    against every row); the pooled connection must come back enforcing them again."""
    from sqlalchemy import text

    engine = make_engine(f"sqlite:///{tmp_path / 'fk.db'}")
    try:
        upgrade(engine)
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
    finally:
        engine.dispose()
