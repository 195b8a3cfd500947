"""What a role sees in the window is what the services allow it (issue 11, "Done when"): a police liaison can
neither find nor open a case the station did not refer; a mediator sees ID numbers masked until revealing one,
and that reveal is in the audit viewer."""

import dataclasses

from sqlalchemy import text

from laopan.models.enums import Role
from laopan.security.records import JOINT_ONLY
from tests.helpers.scenarios import police_liaison, user
from tests.helpers.windows import open_window

SHOWN_TIMEOUT = 10_000


def _cases(desk, *, joint: bool) -> tuple[int, str, str]:
    """(id, intake number, first party's name) of the first case with (or without) a police referral."""
    exists = "EXISTS" if joint else "NOT EXISTS"
    with desk.reading() as session:
        return session.execute(text(
            "SELECT c.id, c.intake_no, (SELECT p.name FROM party p WHERE p.case_id = c.id ORDER BY p.seq LIMIT 1) "
            f"FROM mediation_case c WHERE {exists} (SELECT 1 FROM police_referral r WHERE r.case_id = c.id) ORDER BY c.id LIMIT 1"
        )).one()


def _search(window, qtbot, settled, type_text, term: str) -> list[str]:
    window.search_edit.clear()
    type_text(window.search_edit, term)
    qtbot.waitUntil(lambda: window.model.filters.text == term and settled(window), timeout=SHOWN_TIMEOUT)
    return [window.model.row_data(row).intake_no for row in range(window.model.rowCount())]


def test_a_liaison_can_neither_find_nor_open_a_case_the_station_did_not_refer(demo_desk, qtbot, settled, type_text):
    joint_id, joint_no, _ = _cases(demo_desk, joint=True)
    other_id, other_no, other_name = _cases(demo_desk, joint=False)
    window = open_window(dataclasses.replace(demo_desk, actor=police_liaison(demo_desk)), qtbot)
    try:
        window.show_page(window.cases_page)
        assert _search(window, qtbot, settled, type_text, joint_no) == [joint_no], "a referred case is found"
        assert _search(window, qtbot, settled, type_text, other_no) == []
        assert other_no not in _search(window, qtbot, settled, type_text, other_name)
        window.open_case(other_id)  # e.g. a number typed into 打开案件 or a link from elsewhere
        qtbot.waitUntil(lambda: window.statusBar().currentMessage() == JOINT_ONLY, timeout=SHOWN_TIMEOUT)
        assert window.detail.detail is None or window.detail.detail.id != other_id
        window.open_case(joint_id)
        qtbot.waitUntil(lambda: window.detail.detail is not None and window.detail.detail.id == joint_id, timeout=SHOWN_TIMEOUT)
    finally:
        window.close()


def test_a_mediators_reveal_shows_the_id_number_and_lands_in_the_audit_viewer(demo_desk, qtbot):
    with demo_desk.reading() as session:
        case_id, lead = session.execute(text(
            "SELECT c.id, c.lead_name FROM mediation_case c JOIN party p ON p.case_id = c.id "
            "WHERE c.lead_name IS NOT NULL AND p.id_number IS NOT NULL ORDER BY c.id LIMIT 1"
        )).one()
    mediator = user(demo_desk, "med", Role.MEDIATOR, lead, lead)  # the case's own lead mediator
    window = open_window(dataclasses.replace(demo_desk, actor=mediator), qtbot)
    try:
        window.show_page(window.cases_page)
        detail = window.detail
        window.open_case(case_id)
        qtbot.waitUntil(lambda: detail.detail is not None and detail.detail.id == case_id, timeout=SHOWN_TIMEOUT)
        masked = next(p.id_number for p in detail.detail.parties if p.id_number)
        assert masked.startswith("*" * 14) and "年生" in masked, "masked until revealed"
        assert detail.reveal_button.isEnabled()
        with qtbot.waitSignal(detail.detail_loaded, timeout=SHOWN_TIMEOUT):
            detail.reveal_button.click()
        full = next(p.id_number for p in detail.detail.parties if p.id_number)
        assert "*" not in full and len(full) == 18

        # The mediator may not open the audit viewer; the supervisor's window shows the reveal there.
        assert window.audit_page is None and "审计日志" not in [window.nav.item(i).text() for i in range(window.nav.count())]
    finally:
        window.close()
    supervisor = user(demo_desk, "sup", Role.SUPERVISOR, "潘主任")
    window = open_window(dataclasses.replace(demo_desk, actor=supervisor), qtbot)
    try:
        page = window.audit_page
        window.show_page(page)
        with qtbot.waitSignal(page.loaded, timeout=SHOWN_TIMEOUT):
            page.user_edit.setText("med")
            page.reload()
        rows = [(page.table.item(i, 1).text(), page.table.item(i, 3).text()) for i in range(page.table.rowCount())]
        assert any(action == "查看完整个人信息" and "med" in who for who, action in rows), rows
    finally:
        window.close()
