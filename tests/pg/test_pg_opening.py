"""A read command against an empty PostgreSQL database creates nothing there (issue 10: 30 tables once
appeared in a server's `postgres` database because a URL was mistyped)."""

import psycopg
from sqlalchemy.engine import make_url

from laopan.cli.main import main
from laopan.desk import open_database


def _tables(url: str) -> list[str]:
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as connection:
        rows = connection.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
    return [row[0] for row in rows]


def test_a_read_command_on_an_empty_database_creates_no_table(pg_databases, capsys, clock):
    url = pg_databases.url(pg_databases.create())
    for command in (["cases"], ["user", "list"], ["case", "show", "DL2026-00001"]):
        assert main(["--database", url, *command], clock=clock) == 3
        out, err = capsys.readouterr()
        assert out == "" and err.startswith("错误：数据库尚未初始化：postgresql+psycopg://") and "Traceback" not in err
    assert _tables(url) == []
    open_database(url, create=True).dispose()  # what init does first
    assert "mediation_case" in _tables(url)


def test_someone_elses_database_is_not_taken_over(pg_databases, capsys, clock):
    url = pg_databases.url(pg_databases.create())
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as connection:
        connection.execute("CREATE TABLE payroll (id int)")
    assert main(["--database", url, "cases"], clock=clock) == 3
    assert "不是本程序的数据库" in capsys.readouterr().err
    assert _tables(url) == ["payroll"]
