"""Widgets are freed on the GUI thread even while the database thread allocates (ui.common.collector).

CPython collects reference cycles on whichever thread passes a threshold. A window closed a moment ago and left
in a cycle was freed on the database thread, and Qt crashed deleting its widgets there: a segmentation fault in
SQLAlchemy code on that thread, seen in `make test` (tests/ui/test_backup_page.py) and under faketime."""

import gc
import threading

from PySide6.QtWidgets import QWidget

from ui.common.worker import TaskRunner


class _Node:
    def __init__(self):
        self.me = self  # a cycle: only the cyclic collector frees it


class _Witness:
    """Held in a cycle with a widget: says on which thread the collector freed them both."""

    def __init__(self, widget: QWidget, freed_on: list[str]):
        self.widget, self.freed_on = widget, freed_on

    def __del__(self):
        self.freed_on.append(threading.current_thread().name)


def test_a_widget_left_in_a_cycle_is_freed_on_the_gui_thread_while_the_database_thread_allocates(qtbot, desk):
    freed_on: list[str] = []
    allocated = threading.Event()

    def allocate_cycles(_session) -> str:
        """What a large read does to the collector: many young objects, past gen 0's threshold again and again."""
        for _ in range(20):
            nodes = [_Node() for _ in range(5_000)]
            del nodes
        allocated.set()
        return threading.current_thread().name

    runner = TaskRunner(desk)
    try:
        assert not gc.isenabled()  # automatic collection could run on the database thread
        gc.collect()  # counts at zero: the GUI thread allocates too little below to pass a threshold itself
        widget = QWidget()
        widget.witness = _Witness(widget, freed_on)  # widget → witness → widget: a cycle
        del widget
        ran_on: list[str] = []
        runner.read(allocate_cycles, on_done=ran_on.append)
        assert allocated.wait(30)  # the GUI thread stays still (no event loop, no allocations) meanwhile
        assert freed_on == []  # the database thread collected nothing of ours
        qtbot.waitUntil(lambda: bool(ran_on) and bool(freed_on), timeout=5_000)  # the GUI thread's timer collects
    finally:
        runner.stop()
    assert ran_on != ["MainThread"]
    assert freed_on == ["MainThread"]
    assert gc.isenabled()  # the last runner stopped: automatic again
