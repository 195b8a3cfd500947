"""The lazy case model without a view: counting, blocks on demand, stale answers dropped, Qt's model checks."""

from PySide6.QtCore import Qt

from laopan.demo import generate_demo
from laopan.services.cases import CaseFilter, CaseQuery
from ui.cases.model import BLOCK, CASE_ID_ROLE, CASE_ROW_ROLE, COL_INTAKE_NO, COLUMN_COUNT, CaseTableModel


def make_model(runner, desk, qtbot) -> CaseTableModel:
    model = CaseTableModel(runner, desk.actor)
    model.reload()
    qtbot.waitUntil(lambda: not model.loading and not runner.busy)
    return model


def test_the_model_passes_qt_model_checks_on_a_small_database(desk, clock, runner, qtbot, qtmodeltester):
    generate_demo(desk.engine, committee_id=desk.committee_id, cases=40, seed=5, clock=clock)
    model = make_model(runner, desk, qtbot)
    assert model.rowCount() == 40
    assert model.columnCount() == COLUMN_COUNT
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)


def test_an_empty_database_gives_an_empty_model(desk, runner, qtbot, qtmodeltester):
    model = make_model(runner, desk, qtbot)
    assert model.rowCount() == 0
    qtmodeltester.check(model)


def test_rows_beyond_the_first_block_are_fetched_on_demand_with_a_placeholder_meanwhile(desk, clock, runner, qtbot):
    generate_demo(desk.engine, committee_id=desk.committee_id, cases=BLOCK + 50, seed=5, clock=clock)
    model = make_model(runner, desk, qtbot)
    assert model.rowCount() == BLOCK + 50
    assert model.row_data(BLOCK + 10) is None  # only the first block came with the count

    index = model.index(BLOCK + 10, COL_INTAKE_NO)
    with qtbot.waitSignal(model.dataChanged) as changed:
        assert index.data() == "加载中…"  # data() never queries: it asks the worker and answers at once
        assert index.data(CASE_ID_ROLE) is None
    top_left, bottom_right = changed.args[:2]
    assert (top_left.row(), bottom_right.row(), bottom_right.column()) == (BLOCK, BLOCK + 49, COLUMN_COUNT - 1)

    with desk.reading() as session:
        expected = CaseQuery(session, actor=desk.actor, filters=CaseFilter()).page(session, offset=BLOCK, limit=50)
    assert [model.index(BLOCK + i, 0).data(CASE_ROW_ROLE) for i in range(50)] == expected
    assert index.data() == expected[10].intake_no
    assert model.index(0, 0).data(Qt.ItemDataRole.EditRole) is None  # roles not served return early


def test_an_answer_to_an_older_filter_is_dropped(desk, clock, runner, qtbot):
    generate_demo(desk.engine, committee_id=desk.committee_id, cases=120, seed=5, clock=clock)
    model = make_model(runner, desk, qtbot)
    counts = []
    model.count_changed.connect(counts.append)
    model.set_filters(CaseFilter(level="street"))
    model.set_filters(CaseFilter(level="grid"))  # before the street answer arrives
    with desk.reading() as session:
        grid = CaseQuery(session, actor=desk.actor, filters=CaseFilter(level="grid")).count(session)
    qtbot.waitUntil(lambda: not model.loading and not runner.busy)
    assert counts == [grid]
    assert model.rowCount() == grid
    assert {model.index(i, 4).data() for i in range(grid)} == {"网格"}


def test_level_status_and_deadline_carry_colour_beside_their_text(desk, clock, runner, qtbot):
    from ui.common import style
    from ui.cases.model import COL_LEVEL, COL_STATUS

    generate_demo(desk.engine, committee_id=desk.committee_id, cases=40, seed=5, clock=clock)
    model = make_model(runner, desk, qtbot)
    row = model.index(0, COL_STATUS).data(CASE_ROW_ROLE)
    status = model.index(0, COL_STATUS)
    assert status.data(Qt.ItemDataRole.DisplayRole)  # the label is always there
    assert status.data(Qt.ItemDataRole.ForegroundRole) == style.status_colour(row.status)
    assert model.index(0, COL_LEVEL).data(Qt.ItemDataRole.ForegroundRole) == style.LEVEL_COLOURS[row.level]
