"""One serialized database worker for the window (STYLE rule 7).

Every database call the window makes is a small task run on one background thread, in order, inside a
`desk.reading()` or `desk.session()` block. Results come back through signals on the main thread. Tasks
receive a `Session` and return plain frozen data (services return dataclasses), so nothing the worker touches
is shared with widgets.

A write says what it changed: the services note it in the unit of work as they audit (`laopan.changes`), the
worker takes the notes once the unit of work has committed, and the runner announces them as `data_changed`
after the task's own callback — never for a write that failed or rolled back (STYLE rules 6 and 17).
"""

import itertools
import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from laopan import changes
from laopan.changes import Changes
from laopan.desk import Desk
from ui.common import collector

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


@dataclass(frozen=True)
class _Task:
    id: int
    group: str
    write: bool
    fn: Callable[[Any], Any]


class DbWorker(QObject):
    """Runs queued tasks one at a time on the worker thread; never touches widgets.

    Signals:
        task_finished(int, object, object): a task's id, its result and the committed `Changes` (empty for a read).
        task_failed(int, object): a task's id and the exception it raised.
    """

    task_finished = Signal(int, object, object)
    task_failed = Signal(int, object)
    lock_wait_started = Signal()

    def __init__(self, desk: Desk):
        super().__init__()
        self._desk = desk
        self._queue: deque[_Task] = deque()
        self._lock = threading.Lock()

    def put(self, task: _Task) -> None:
        with self._lock:
            self._queue.append(task)

    def drop(self, group: str) -> list[int]:
        """Remove the group's tasks that have not started; returns their ids."""
        with self._lock:
            dropped = [task.id for task in self._queue if task.group == group]
            self._queue = deque(task for task in self._queue if task.group != group)
        return dropped

    def drop_reads(self) -> None:
        with self._lock:
            self._queue = deque(task for task in self._queue if task.write)

    def _next(self) -> _Task | None:
        with self._lock:
            return self._queue.popleft() if self._queue else None

    @Slot()
    def _on_runner_wakeup(self) -> None:
        while (task := self._next()) is not None:
            done = changes.NONE
            try:
                if task.write:
                    # Another desk saving holds SQLite's write lock: say so at once (the runner's lock_wait).
                    with self._desk.waiting_for_lock(self.lock_wait_started.emit), self._desk.session() as session:
                        result = task.fn(session)
                        done = changes.take(session)
                    # Leaving the block committed; had the commit failed we would be in `except`, announcing nothing.
                else:
                    with self._desk.reading() as session:
                        result = task.fn(session)
            except Exception as exc:  # noqa: BLE001 - handed to the main thread, which reports it
                # A locked, read-only or damaged database arrives as a Chinese StorageError (a DomainError,
                # which every page already shows as a sentence) instead of a driver message.
                explained = self._desk.explain_failure(exc)
                if explained is not None and explained is not exc:
                    log.warning("数据库操作失败：%s", explained, exc_info=exc)
                    exc = explained
                self.task_failed.emit(task.id, exc)
            else:
                self.task_finished.emit(task.id, result, done)


class TaskRunner(QObject):
    """The main thread's handle on the worker: submit tasks, cancel a group, stop at exit.

    Signals:
        task_error(object): a task without its own error handler failed; the window reports it.
        busy_changed(bool): whether tasks are queued or running.
        lock_wait(bool): True when a write waits for another desk's save (SQLite's write lock), False when that
            write has saved or failed; the window says "正在等待另一台电脑保存…" meanwhile.
        data_changed(object, object): a committed write changed data — (kinds, case ids) as frozensets, e.g.
            ({"case", "audit"}, {42}) (kinds: `laopan.changes`); every view that shows such data refreshes itself
            from this one signal (STYLE rule 6). Emitted by the runner itself, after the task's `on_done`.
    """

    task_error = Signal(object)
    busy_changed = Signal(bool)
    lock_wait = Signal(bool)
    data_changed = Signal(object, object)
    _wakeup = Signal()

    def __init__(self, desk: Desk, parent: QObject | None = None):
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._callbacks: dict[int, tuple[str, Done | None, Failed | None]] = {}
        self._was_busy = False
        self._waiting = False
        self._thread = QThread()
        self._thread.setObjectName("laopan-db")
        self._worker = DbWorker(desk)
        self._worker.moveToThread(self._thread)
        self._connect_signals()
        collector.hold()  # cycles are collected on this (the GUI) thread while the database thread runs
        self._thread.start()

    def _connect_signals(self) -> None:
        self._wakeup.connect(self._worker._on_runner_wakeup)
        self._worker.task_finished.connect(self._on_worker_task_finished)
        self._worker.task_failed.connect(self._on_worker_task_failed)
        self._worker.lock_wait_started.connect(self._on_worker_lock_wait_started)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._on_app_about_to_quit)  # never leave a running QThread behind

    @Slot()
    def _on_app_about_to_quit(self) -> None:
        self.stop()

    def read(self, fn: Callable[[Any], Any], *, on_done: Done | None = None, on_error: Failed | None = None, group: str = "") -> int:
        """Run `fn(session)` in a read-only session on the worker."""
        return self._submit(fn, write=False, on_done=on_done, on_error=on_error, group=group)

    def write(self, fn: Callable[[Any], Any], *, on_done: Done | None = None, on_error: Failed | None = None, group: str = "") -> int:
        """Run `fn(session)` in a unit of work (committed when it returns) on the worker."""
        return self._submit(fn, write=True, on_done=on_done, on_error=on_error, group=group)

    def announce_stale(self, kinds: set[str], case_ids: set[int]) -> None:
        """Tell every listener that someone else changed this data (a `Conflict` showed it); writes of this
        desk announce themselves."""
        self.data_changed.emit(frozenset(kinds), frozenset(case_ids))

    def cancel(self, group: str) -> None:
        """Forget a group: queued tasks are dropped, results of running ones are ignored."""
        self._worker.drop(group)
        for task_id in [tid for tid, (g, _, _) in self._callbacks.items() if g == group]:
            del self._callbacks[task_id]
        self._report_busy()

    @property
    def busy(self) -> bool:
        return bool(self._callbacks)

    def stop(self) -> None:
        """Finish the running task and any queued writes, then end the thread."""
        if not self._thread.isRunning():
            return
        self._worker.drop_reads()
        self._callbacks.clear()
        self._thread.quit()
        self._thread.wait()
        collector.release()

    def _submit(self, fn, *, write: bool, on_done: Done | None, on_error: Failed | None, group: str) -> int:
        task_id = next(self._ids)
        self._callbacks[task_id] = (group, on_done, on_error)
        self._worker.put(_Task(task_id, group, write, fn))
        self._wakeup.emit()
        self._report_busy()
        return task_id

    def _report_busy(self) -> None:
        if self.busy != self._was_busy:
            self._was_busy = self.busy
            self.busy_changed.emit(self.busy)

    @Slot()
    def _on_worker_lock_wait_started(self) -> None:
        self._waiting = True
        self.lock_wait.emit(True)

    def _end_lock_wait(self) -> None:
        if self._waiting:
            self._waiting = False
            self.lock_wait.emit(False)

    @Slot(int, object, object)
    def _on_worker_task_finished(self, task_id: int, result: object, done: Changes) -> None:
        self._end_lock_wait()
        entry = self._callbacks.pop(task_id, None)
        self._report_busy()
        try:
            if entry is not None and entry[1] is not None:
                entry[1](result)
        finally:
            if done:  # announced even if the task's group was cancelled: the data changed all the same
                self.data_changed.emit(done.kinds, done.case_ids)

    @Slot(int, object)
    def _on_worker_task_failed(self, task_id: int, error: object) -> None:
        self._end_lock_wait()
        entry = self._callbacks.pop(task_id, None)
        self._report_busy()
        if entry is None:
            return
        if entry[2] is not None:
            entry[2](error)  # type: ignore[arg-type]
        else:
            self.task_error.emit(error)
