"""结案归档 with an incomplete 卷宗 in the window: a supervisor is told what is missing and may close anyway with a
reason (audited); the service refuses everyone else (tests/core/test_dossier.py)."""

from sqlalchemy import select

from laopan.models import AuditEntry
from laopan.services.cases import case_detail
from tests.helpers.scenarios import case_in
from tests.helpers.windows import click, confirm_move, open_case, open_window, type_text


def test_a_supervisor_closes_an_incomplete_dossier_with_a_reason(desk, qtbot):
    case_id = case_in(desk, "terminated")  # no application, notice, ID scans or session record on file
    window = open_window(desk, qtbot)
    try:
        open_case(window, qtbot, case_id, status="terminated")
        actions = window.detail.case_actions
        click(qtbot, window.detail.action_bar.buttons["close"])
        confirm_move(actions, qtbot, expect="结案归档")
        qtbot.waitUntil(lambda: actions.dialog is not None and actions.dialog.isVisible())
        dialog = actions.dialog
        assert "卷宗缺少：" in dialog.content.itemAt(0).widget().text()
        type_text(dialog.reason_edit, "当事人拒绝提供身份证明复印件，已记录在案")
        dialog.ok_button.click()
        qtbot.waitUntil(lambda: actions.dialog is None, timeout=10_000)  # accepted once the close is saved
        with desk.reading() as session:
            assert case_detail(session, actor=desk.actor, case_id=case_id).status == "closed"
            notes = [f"{e.changes} {e.note}" for e in session.execute(select(AuditEntry).where(AuditEntry.action == "case.close")).scalars()]
        assert any("当事人拒绝提供身份证明复印件" in note and "卷宗不全强制结案" in note for note in notes)
    finally:
        window.close()
