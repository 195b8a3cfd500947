"""Several desks at once: engines of their own on one database, and work run in threads started together."""

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import Engine

from tests.helpers.databases import engine_for


@contextmanager
def engines(url: str, count: int) -> Iterator[list[Engine]]:
    """`count` engines on `url`, as if from as many desks (processes); disposed at the end."""
    made = [engine_for(url) for _ in range(count)]
    try:
        yield made
    finally:
        for engine in made:
            engine.dispose()


def run_in_threads(work: Callable, arguments: Iterable[tuple], *, timeout: float = 60) -> None:
    """Run work(*args) for each args in a thread of its own, all started before any is joined; an exception raised
    in a thread is raised here (the first one), never lost."""
    errors: list[BaseException] = []

    def guarded(*args) -> None:
        try:
            work(*args)
        except BaseException as exc:  # raised below in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=args) for args in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), f"a thread still runs after {timeout} s"
    if errors:
        raise errors[0]
