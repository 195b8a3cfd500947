"""Window tests: offscreen, the bundled font registered once, small demo databases, no sleeps."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before pytest-qt creates the QApplication

from collections.abc import Iterator  # noqa: E402

import pytest  # noqa: E402

from laopan.demo import generate_demo  # noqa: E402
from laopan.desk import Desk  # noqa: E402
from laopan.models.enums import MediatorRank, MediatorUnit  # noqa: E402
from laopan.services.cases import CaseFilter, CaseQuery  # noqa: E402
from tests.helpers.scenarios import mediator  # noqa: E402

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


@pytest.fixture
def type_text():
    from tests.helpers.windows import type_text

    return type_text


@pytest.fixture
def window(demo_desk, qtbot) -> Iterator:
    from tests.helpers.windows import open_window

    main = open_window(demo_desk, qtbot)
    qtbot.waitUntil(lambda: _settled(main), timeout=10_000)
    yield main
    main.close()  # stops the worker before the desk's engine is disposed



@pytest.fixture
def team(desk) -> dict[str, int]:
    """A mediator at each level around 华光城第3网格 (潘社区 lives in 张伟's building), and a junior."""
    from tests.helpers.windows import SAME_BUILDING

    return {
        "grid": mediator(desk, "潘网格", unit=MediatorUnit.GRID, community="华光城", grid="华光城第3网格"),
        "community": mediator(desk, "潘社区", unit=MediatorUnit.COMMUNITY, community="华光城", address=SAME_BUILDING),
        "street": mediator(desk, "潘街道"),
        "junior": mediator(desk, "李小潘", rank=MediatorRank.JUNIOR, unit=MediatorUnit.STREET),
    }


@pytest.fixture
def desk_window(desk, team, qtbot) -> Iterator:
    """The main window on a small desk (no demo data) with the team registered."""
    from tests.helpers.windows import open_window

    window = open_window(desk, qtbot)
    yield window
    window.close()


@pytest.fixture
def runner(desk, qapp) -> Iterator:
    """The desk's worker, on its own (the window tests get the window's)."""
    from ui.common.worker import TaskRunner

    runner = TaskRunner(desk)
    yield runner
    runner.stop()  # before the desk's engine is disposed


@pytest.fixture
def tab(runner, desk, qtbot):
    """The agreement tab on its own, on a worker of its own."""
    from ui.agreements.tab import AgreementTab

    widget = AgreementTab(runner, desk.actor)
    qtbot.addWidget(widget)
    widget.resize(1300, 720)
    widget.show()
    return widget
