"""Python's cyclic garbage collector, run on the GUI thread only while the window has Python threads.

CPython collects cycles on whichever thread happens to allocate when a threshold is passed. The window's database
thread (ui.common.worker) allocates a lot, so a widget left in a reference cycle — a closed dialog whose slot
lambda names it, a window closed a moment ago — could be freed there: Qt then deletes a widget off the GUI thread,
which crashes the process (seen as a segmentation fault in SQLAlchemy code on the database thread, while the GUI
thread waited in an event loop).

While any such thread may run (`hold()` … `release()`), automatic collection is off and a timer on the GUI thread
collects instead, generation by generation as CPython's own thresholds say. Reference counting, which frees most
objects, is untouched.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Slot
from shiboken6 import isValid

INTERVAL_MS = 500


class _Collector(QObject):
    def __init__(self, parent: QObject):
        super().__init__(parent)
        self.holds = 0
        self.was_enabled = True
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self._on_timer_timeout)

    @Slot()
    def _on_timer_timeout(self) -> None:
        collect_due()


_collector: _Collector | None = None


def collect_due() -> int:
    """Collect the oldest generation whose threshold is passed (none: nothing); returns the objects freed."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    due = [generation for generation in range(3) if counts[generation] > thresholds[generation]]
    return gc.collect(max(due)) if due else 0


def hold() -> None:
    """A Python thread is about to run beside the widgets: from now on cycles are collected on the GUI thread."""
    global _collector
    app = QCoreApplication.instance()
    if app is None:
        return
    if _collector is None or not isValid(_collector):  # none yet, or its application has gone
        _collector = _Collector(app)
    if _collector.holds == 0:
        _collector.was_enabled = gc.isenabled()
        gc.disable()
        _collector.timer.start()
    _collector.holds += 1


def release() -> None:
    """That thread has ended: once none is left, collection is automatic again (as it was before `hold`)."""
    if _collector is None or not isValid(_collector) or _collector.holds == 0:
        return
    _collector.holds -= 1
    if _collector.holds == 0:
        _collector.timer.stop()
        if _collector.was_enabled:
            gc.enable()
