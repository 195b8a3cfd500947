"""The window's worker hands a page a Chinese sentence, not a driver message, when the database is locked
by another desk past the busy timeout (issue 10)."""

import sqlite3

import pytest

from sqlalchemy.exc import OperationalError

from laopan.storage.failures import BUSY, DatabaseBusy
from ui.common.worker import TaskRunner


@pytest.mark.expect_log("数据库操作失败：另一台电脑正在保存")  # the worker logs the translated failure with its traceback, by design
def test_a_locked_database_reaches_the_page_as_the_busy_sentence(qtbot, desk):
    runner = TaskRunner(desk)
    failures: list[BaseException] = []

    def locked(_session):
        raise OperationalError("UPDATE mediation_case …", {"phone": "13812345678"}, sqlite3.OperationalError("database is locked"))

    try:
        runner.write(locked, on_error=failures.append)
        qtbot.waitUntil(lambda: bool(failures))
    finally:
        runner.stop()
    assert isinstance(failures[0], DatabaseBusy) and str(failures[0]) == BUSY
