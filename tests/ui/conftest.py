"""Window tests: offscreen, the bundled font registered once, small demo databases, no sleeps."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before pytest-qt creates the QApplication

from collections.abc import Iterator  # noqa: E402

import pytest  # noqa: E402

from laopan.demo import generate_demo  # noqa: E402
from laopan.desk import Desk  # noqa: E402
from laopan.services.cases import CaseFilter, CaseQuery  # noqa: E402

DEMO_CASES = 300
DEMO_SEED = 3


@pytest.fixture(scope="session", autouse=True)
def _app_font(qapp):
    from ui.common.fonts import install_app_font
    from ui.common.translations import install_qt_translations

    assert install_app_font(qapp), "the bundled CJK font must load"
    assert install_qt_translations(qapp), "Qt's Chinese catalogue must load"


@pytest.fixture
def demo_desk(desk, clock) -> Desk:
    generate_demo(desk.engine, committee_id=desk.committee_id, cases=DEMO_CASES, seed=DEMO_SEED, clock=clock)
    return desk


def _settled(window) -> bool:
    return window.info is not None and not window.model.loading and not window.runner.busy


@pytest.fixture
def service_count(demo_desk):
    """What the service counts for some filters: the truth the window must agree with."""

    def count(**filters) -> int:
        with demo_desk.reading() as session:
            return CaseQuery(session, actor=demo_desk.actor, filters=CaseFilter(**filters)).count(session)

    return count


@pytest.fixture
def settled():
    """settled(window): dictionaries loaded, no list block pending, worker idle."""
    return _settled


def _type_text(widget, text: str) -> None:
    """Type text key by key, Chinese included (QTest.keyClicks asserts on non-ASCII characters)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))


@pytest.fixture
def type_text():
    return _type_text


@pytest.fixture
def window(demo_desk, qtbot) -> Iterator:
    from ui.shell.main_window import MainWindow

    main = MainWindow(demo_desk)
    qtbot.addWidget(main)
    with qtbot.waitSignal(main.first_page_loaded, timeout=10_000):
        main.show()
    qtbot.waitUntil(lambda: _settled(main), timeout=10_000)
    yield main
    main.close()  # stops the worker before the desk's engine is disposed

