"""One source for "what is due": for each role the status bar's "N 件逾期", the 工作台's 已逾期 list and the list the
count opens (警调 已逾期 for a liaison, the case list for the others) show the same number; each role starts on
its own page."""

import dataclasses
import re

import pytest
from laopan.models.enums import ReferralState, Role
from tests.helpers.scenarios import user
from tests.helpers.windows import open_window, register


def _overdue_cases(desk) -> str:
    """Two overdue cases led by 潘街道 and one by 潘社区 beside the demo's (whose deadlines lie ahead); returns
    the mediator whose scope is neither empty nor the centre."""
    for name, day in (("潘街道", "2026-10-01"), ("潘街道", "2026-10-10"), ("潘社区", "2026-10-05")):
        register(desk, status="accepted", level="street", received_at=f"{day}T09:00:00+08:00",
                 mediators=[{"name": name, "role": "lead"}])
    return "潘街道"


def _status_count(window) -> int:
    match = re.fullmatch(r"(\d+) 件逾期", window.overdue_label.text())
    assert match, window.overdue_label.text()
    return int(match.group(1))


@pytest.mark.parametrize(("role", "start"), [(Role.POLICE_LIAISON, "liaison"), (Role.MEDIATOR, "workbench"),
                                             (Role.SUPERVISOR, "workbench")])
def test_the_overdue_counts_agree_for_each_role(demo_desk, team, qtbot, role, start):
    mediator_name = _overdue_cases(demo_desk)
    if role is not Role.MEDIATOR:
        mediator_name = None
    actor = user(demo_desk, "u", role, "测试用户", mediator_name)
    window = open_window(dataclasses.replace(demo_desk, actor=actor), qtbot)
    try:
        assert window.current_page_key() == start
        qtbot.waitUntil(lambda: window.overdue_label.text() != "")
        counted = _status_count(window)
        assert counted == (2 if role is Role.MEDIATOR else counted) and counted > 0, "own cases only for a mediator"

        workbench = window.workbench
        workbench.refresh() if workbench.isVisible() else window.show_page(workbench)
        qtbot.waitUntil(lambda: workbench.data is not None and not window.runner.busy)
        assert workbench.overdue_list.model.rowCount() == counted

        window.overdue_label.click()  # the count opens the list it counts
        if role is Role.POLICE_LIAISON:
            page = window.liaison_desk
            assert window.page_stack.currentWidget() is page
            qtbot.waitUntil(lambda: not page.loading and page.model.rowCount() > 0)
            assert page.state_filter == ReferralState.OVERDUE.value
            assert page.model.counts()[ReferralState.OVERDUE.value] == page.model.rowCount() == counted
            assert page.state_buttons[ReferralState.OVERDUE.value].text() == f"已逾期 {counted}"
        else:
            assert window.page_stack.currentWidget() is window.cases_page
            qtbot.waitUntil(lambda: window.model.filters.due == "overdue" and not window.model.loading and not window.runner.busy)
            assert window.count_label.text() == f"共 {counted:,} 件"
    finally:
        window.close()


def test_the_status_bar_counts_only_once_the_first_page_is_on_screen(demo_desk, qtbot, monkeypatch):
    """The window has one reading thread: the overdue count queued before the list made the first page wait for
    it (215 ms of a 1.5 s start on the 100k desk)."""
    import ui.shell.main_window as main_window

    _overdue_cases(demo_desk)
    asked_after_first_page: list[bool] = []
    counted = main_window.count_overdue

    def count(session, *, actor):
        asked_after_first_page.append(window_ref[0]._first_page_seen if window_ref else False)
        return counted(session, actor=actor)

    window_ref: list = []
    monkeypatch.setattr(main_window, "count_overdue", count)
    monkeypatch.setattr(main_window.MainWindow, "_load_info", _remembering(main_window.MainWindow._load_info, window_ref))
    window = open_window(demo_desk, qtbot)
    try:
        qtbot.waitUntil(lambda: window.overdue_label.text() != "")
        assert asked_after_first_page == [True]
        assert _status_count(window) == 3
    finally:
        window.close()


def _remembering(load_info, into: list):
    def remembered(window) -> None:
        into.append(window)
        load_info(window)

    return remembered
