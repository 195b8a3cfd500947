"""A warning logged by laopan or ui fails the test that caused it (after qutebrowser's tests/helpers/logfail.py).

Qt's own messages are checked by pytest-qt (`qt_log_level_fail`); this is the Python logging side. A test that
provokes a logged warning on purpose says so with `@pytest.mark.expect_log("regex")`; each such record must match
one of the marker's patterns, and the marker's patterns must each be seen, so an expectation cannot go stale.
"""

import logging
import re
from collections.abc import Iterator

import pytest

CHECKED = ("laopan", "ui")


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _describe(record: logging.LogRecord) -> str:
    return f"{record.levelname} {record.name}: {record.getMessage()}"


@pytest.fixture(autouse=True)
def _fail_on_logged_warnings(request) -> Iterator[None]:
    collector = _Collector()
    loggers = [logging.getLogger(name) for name in CHECKED]
    for logger in loggers:
        logger.addHandler(collector)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeHandler(collector)
    patterns = [re.compile(p) for marker in request.node.iter_markers("expect_log") for p in marker.args]
    unexpected = [r for r in collector.records if not any(p.search(r.getMessage()) for p in patterns)]
    unseen = [p.pattern for p in patterns if not any(p.search(r.getMessage()) for r in collector.records)]
    if unexpected:
        pytest.fail("logged during the test (mark it expect_log if intended):\n" + "\n".join(map(_describe, unexpected)),
                    pytrace=False)
    if unseen:
        pytest.fail(f"expect_log patterns never logged: {unseen}", pytrace=False)
