"""The 统计 page on a small demo desk: its figures are the service's, a click opens exactly the cases counted,
the charts as models, the monthly report exported from the window, and who sees the page."""

from dataclasses import replace

import pytest
from PySide6.QtCore import QPointF, Qt
from sqlalchemy import select

from laopan.desk import open_desk
from tests.helpers.accounts import TEST_PASSWORD
from laopan.models import AuditEntry, Mediator
from laopan.models.enums import Role
from laopan.services import statistics as S
from laopan.services.cases import count_cases
from laopan.services.users import add_user
from ui.statistics.charts import Bar, HorizontalBarChart, StackedBarChart, nice_top
from laopan.services.statistics_page import base_filter


def show_statistics(window, qtbot):
    page = window.statistics_page
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        window.show_page(page)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10_000)
    return page


def count(desk, filters) -> int:
    with desk.reading() as session:
        return count_cases(session, actor=desk.actor, filters=filters)


def click(qtbot, chart, rect) -> None:
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())


def test_the_figures_are_the_services_and_clicks_open_the_cases_counted(window, demo_desk, qtbot):
    page = show_statistics(window, qtbot)
    data = page.data
    when = data.request.when
    assert when == S.month(data.today.year, data.today.month)
    with demo_desk.reading() as session:
        expected = S.compare(session, actor=demo_desk.actor, when=when)
        series = S.monthly_series(session, actor=demo_desk.actor, last_month=when)
    totals = expected.current.totals
    assert page.tiles["received"].value_label.text() == str(totals.received)
    assert page.tiles["settled"].value_label.text() == str(totals.settled)
    assert page.tiles["success_rate"].value_label.text() == totals.success_rate_text
    assert page.tiles["overdue"].value_label.text() == str(totals.overdue)
    assert "环比" in page.tiles["received"].change_label.text() and "同比" in page.tiles["received"].change_label.text()
    assert list(data.series) == series

    # The year's chart: a level segment of a month is that level's cases received that month.
    columns = page.months_chart.columns()
    assert [sum(bar.value for bar in bars) for _, bars in columns] == [item.figures.received for item in series]
    drawn = [d for d in page.months_chart.bars() if d.bar.payload is not None]
    assert drawn, "the demo year should draw bars"
    segment = max(drawn, key=lambda d: d.rect.height())
    with qtbot.waitSignal(page.cases_requested) as blocker:
        click(qtbot, page.months_chart, segment.rect)
    assert count(demo_desk, blocker.args[0]) == segment.bar.value > 0

    # A dispute type's bar → that type in the period; the window shows exactly those cases.
    type_bar = page.type_chart.bars()[0]
    with qtbot.waitSignal(window.model.count_changed, timeout=10_000):
        click(qtbot, page.type_chart, type_bar.rect)
    assert window.page_stack.currentWidget() is window.cases_page
    shown = window.current_filters()
    assert shown.dispute_type and shown.received_from == when.first and shown.received_to == when.last
    assert window.model.rowCount() == count(demo_desk, shown) == type_bar.bar.value
    assert "统计条件" in window.extra_filter_label.text() and window.clear_extra_button.isVisibleTo(window)

    # 逾期 → the overdue cases received in the period; 登记 → all of them.
    for key, value in (("overdue", totals.overdue), ("received", totals.received)):
        tile = page.tiles[key]
        assert count(demo_desk, tile.filter) == value
    assert page.tiles["settled"].filter is None  # no case filter says "settled, perhaps since closed"

    window.clear_extra_button.click()
    assert window.current_filters().received_from is None


def test_a_year_and_a_scope_agree_with_the_service(window, demo_desk, qtbot):
    page = show_statistics(window, qtbot)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.level_combo.setCurrentIndex(page.level_combo.findData("community"))
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.this_year_button.click()
    data = page.data
    assert data.previous is None and data.request.scope.level == "community"
    with demo_desk.reading() as session:
        totals = S.statistics(session, actor=demo_desk.actor, when=data.request.when, scope=S.Scope(level="community")).totals
    assert page.tiles["received"].value_label.text() == str(totals.received)
    assert "环比" not in page.tiles["received"].change_label.text()
    assert count(demo_desk, page.tiles["received"].filter) == totals.received
    # The breakdown table by community adds up to the total, and a row opens its cases.
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.by_combo.setCurrentIndex(page.by_combo.findData("community"))
    model = page.table_model
    assert sum(row.figures.received for row in model.rows()) == totals.received
    row = max(range(model.rowCount()), key=lambda r: model.row(r).figures.received)
    with qtbot.waitSignal(page.cases_requested) as blocker:
        page.table_view.activated.emit(model.index(row, 0))
    assert count(demo_desk, blocker.args[0]) == model.row(row).figures.received


def test_the_monthly_report_is_exported_on_the_worker_and_audited(window, demo_desk, qtbot, tmp_path):
    page = show_statistics(window, qtbot)
    target = tmp_path / "月报.xlsx"
    with qtbot.waitSignal(page.exported, timeout=20_000):
        page.export_report(str(target), "xlsx")
    assert target.stat().st_size > 0
    with demo_desk.reading() as session:
        assert session.scalars(select(AuditEntry.action).where(AuditEntry.action == "report.monthly")).all() == ["report.monthly"]


def test_a_mediator_sees_their_own_cases_and_a_liaison_no_page(demo_desk, clock, qtbot):
    from ui.shell.main_window import MainWindow

    with demo_desk.session() as session:
        mediator = session.scalars(select(Mediator).order_by(Mediator.id)).first()
        add_user(session, actor=demo_desk.actor, login="m", display_name=None, role=Role.MEDIATOR, mediator_name=mediator.name, password=TEST_PASSWORD)
        add_user(session, actor=demo_desk.actor, login="p", display_name=None, role=Role.POLICE_LIAISON, password=TEST_PASSWORD)
        mediator_id = mediator.id
    for login, sees in (("m", True), ("p", False)):
        desk = open_desk(engine=demo_desk.engine, login=login, password=TEST_PASSWORD, clock=clock)
        window = MainWindow(desk)
        qtbot.addWidget(window)
        try:
            titles = [title for title, _ in window.pages]
            assert ("统计" in titles) is sees
            if sees:
                window.show()
                qtbot.waitUntil(lambda: window.info is not None, timeout=10_000)  # noqa: B023
                page = show_statistics(window, qtbot)
                assert page.data.scope.mediator_id == mediator_id and not page.mediator_combo.isEnabled()
                with desk.reading() as session:
                    own = S.statistics(session, actor=desk.actor, when=page.data.request.when).totals
                assert page.tiles["received"].value_label.text() == str(own.received)
                assert page.tiles["received"].filter.mediator_id == mediator_id
        finally:
            window.close()


# ---------------------------------------------------------------- the charts as models


def test_a_stacked_chart_stacks_its_segments_and_hits_the_one_under_the_mouse(qtbot):
    chart = StackedBarChart("按层级")
    qtbot.addWidget(chart)
    chart.resize(400, 240)
    grid, street = Bar("网格", 3, payload="g"), Bar("街道", 5, payload="s")
    chart.set_data([("1月", [grid, street]), ("2月", [Bar("网格", 0), Bar("街道", 2, payload="s2")])], [])
    drawn = chart.bars()
    assert [d.bar.payload for d in drawn] == ["g", "s", "s2"]  # a zero segment draws nothing
    first, second, third = (d.rect for d in drawn)
    assert second.bottom() == pytest.approx(first.top())  # 街道 stands on 网格
    assert second.height() == pytest.approx(first.height() * 5 / 3)
    assert chart.bar_at(QPointF(second.center())) is street
    assert chart.bar_at(QPointF(1, 1)) is None
    with qtbot.waitSignal(chart.bar_clicked) as blocker:
        click(qtbot, chart, third)
    assert blocker.args == ["s2"]


def test_a_horizontal_chart_scales_to_its_largest_bar_and_an_empty_chart_says_so(qtbot):
    chart = HorizontalBarChart("按纠纷类型")
    qtbot.addWidget(chart)
    chart.resize(400, 240)
    chart.set_data([Bar("婚姻家庭", 8), Bar("邻里纠纷", 4)])
    big, small = chart.bars()
    assert small.rect.width() == pytest.approx(big.rect.width() / 2)
    chart.set_data([])
    assert not chart.has_data() and chart.empty_text == "本期没有案件"
    assert [nice_top(v) for v in (0, 3, 7, 12, 180)] == [1, 5, 10, 20, 200]


def test_base_filter_names_the_period_and_scope():
    when = S.month(2026, 11)
    scope = S.Scope(community="华光城", level="grid", mediator_id=3, source="police_referral")
    assert base_filter(scope, when) == replace(
        base_filter(S.Scope(), when), community="华光城", level="grid", mediator_id=3, source="police_referral")
