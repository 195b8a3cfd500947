"""A warning logged by laopan or ui fails the test that caused it (after qutebrowser's tests/helpers/logfail.py).

Qt's own messages are checked by pytest-qt (`qt_log_level_fail`); this is the Python logging side. A test that
provokes a logged warning on purpose says so with `@pytest.mark.expect_log("regex", …)`: each such record must
match one of the patterns, and each pattern must be seen, so an expectation cannot go stale. Records from the
fixtures' setup and the test itself fail the test; records from teardown fail its teardown.
"""

import logging
import re

import pytest

CHECKED = ("laopan", "ui")


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def take(self) -> list[logging.LogRecord]:
        records, self.records = self.records, []
        return records


_collector = pytest.StashKey[_Collector]()
_seen = pytest.StashKey[set]()


def _describe(record: logging.LogRecord) -> str:
    return f"{record.levelname} {record.name}: {record.getMessage()}"


def _check(item, records: list[logging.LogRecord], *, final: bool) -> None:
    patterns = [re.compile(p) for marker in item.iter_markers("expect_log") for p in marker.args]
    seen = item.stash.setdefault(_seen, set())
    unexpected = []
    for record in records:
        matching = [p.pattern for p in patterns if p.search(record.getMessage())]
        seen.update(matching)
        if not matching:
            unexpected.append(record)
    if unexpected:
        pytest.fail("logged during the test (mark it expect_log with a reason if intended):\n"
                    + "\n".join(map(_describe, unexpected)), pytrace=False)
    unseen = [p.pattern for p in patterns if p.pattern not in seen]
    if final and unseen:
        pytest.fail(f"expect_log patterns never logged: {unseen}", pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    collector = item.stash[_collector] = _Collector()
    for name in CHECKED:
        logging.getLogger(name).addHandler(collector)
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    try:
        result = yield
    except BaseException:
        item.stash[_collector].take()  # the test failed already; its captured log shows the records
        raise
    _check(item, item.stash[_collector].take(), final=True)
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    collector = item.stash.get(_collector, None)
    try:
        return (yield)
    finally:
        if collector is not None:
            for name in CHECKED:
                logging.getLogger(name).removeHandler(collector)
            _check(item, collector.take(), final=False)
