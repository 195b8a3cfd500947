"""Typing a frequent name shows rows before the count (issue 16): the first block arrives, then the count; a count
past the cap reads "N+ 件" and the list grows as it is scrolled to its end."""

import pytest
from PySide6.QtCore import QModelIndex
from sqlalchemy import text

from laopan.demo import generate_demo
from tests.helpers.windows import open_window, type_text
from ui.cases import model as model_module
from ui.cases.model import BLOCK


@pytest.fixture
def searched_window(desk, clock, qtbot):
    generate_demo(desk.engine, committee_id=desk.committee_id, cases=1500, seed=7, clock=clock)
    with desk.reading() as session:
        surname, matches = session.execute(text(
            "SELECT gram, count(*) FROM name_gram WHERE length(gram) = 1 GROUP BY gram ORDER BY count(*) DESC LIMIT 1"
        )).one()
    assert matches > BLOCK  # more than one block, so the count is a second answer
    return open_window(desk, qtbot), surname, matches


def _settled(window) -> bool:
    return not window.model.loading and not window.runner.busy


def test_typing_a_frequent_surname_shows_rows_before_the_count(searched_window, qtbot, qtmodeltester):
    window, surname, matches = searched_window
    order = []
    window.model.first_block_loaded.connect(lambda: order.append(("rows", window.model.rowCount())))
    window.model.count_changed.connect(lambda count: order.append(("count", count)))
    type_text(window.search_edit, surname)
    qtbot.waitUntil(lambda: window.model.filters.text == surname and _settled(window) and len(order) == 2)
    assert order == [("rows", BLOCK), ("count", matches)]  # the rows were on screen before the count came
    assert window.model.rowCount() == matches
    assert window.count_label.text() == f"共 {matches:,} 件"
    qtmodeltester.check(window.model)


def test_a_count_past_the_cap_says_so_and_the_list_grows_at_its_end(searched_window, qtbot, monkeypatch, qtmodeltester):
    window, surname, matches = searched_window
    monkeypatch.setattr(model_module, "COUNT_CAP", BLOCK)
    type_text(window.search_edit, surname)
    qtbot.waitUntil(lambda: window.model.filters.text == surname and _settled(window) and window.model.count_capped)
    assert window.count_label.text() == f"共 {BLOCK:,}+ 件"
    assert window.model.rowCount() == BLOCK
    assert window.model.canFetchMore(QModelIndex())
    while window.model.canFetchMore(QModelIndex()):
        window.model.fetchMore(QModelIndex())  # what the view does when scrolled to its end; the block comes by key
        qtbot.waitUntil(lambda: _settled(window))
    assert window.model.rowCount() == matches
    assert window.count_label.text() == f"共 {matches:,} 件"
    assert len({window.model.row_data(i).id for i in range(matches)}) == matches
    qtmodeltester.check(window.model)
