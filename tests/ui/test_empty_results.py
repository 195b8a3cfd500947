"""A search that finds nothing says so over the list and clears the case shown below it."""

from tests.helpers.windows import open_case


def test_a_search_without_result_says_so_and_clears_the_detail(window, qtbot, settled, type_text):
    shown_id = window.model.row_data(3).id
    open_case(window, qtbot, shown_id)
    assert not window.empty_note.isVisible()

    type_text(window.search_edit, "查无此人甲乙丙")
    qtbot.waitUntil(lambda: window.model.filters.text == "查无此人甲乙丙" and settled(window))
    assert window.model.rowCount() == 0
    assert window.empty_note.isVisible() and window.empty_note.text() == "未找到符合条件的案件"
    assert window.empty_note.geometry() == window.view.viewport().rect(), "over the whole list"
    assert window.detail.case_id is None and window.detail.detail is None

    window.search_edit.clear()
    qtbot.waitUntil(lambda: window.model.filters.text is None and settled(window) and window.model.rowCount() > 0)
    assert not window.empty_note.isVisible()
