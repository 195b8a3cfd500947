"""The 协议 tab through its widgets: draft with a payment clause, the statutory check, review, finalise, sign, correct."""

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from laopan.services import agreements
from laopan.services.cases import case_detail
from tests.helpers.scenarios import PAYMENT_DRAFT, junior_led_draft, mediating_case
from tests.helpers.windows import show_case

TODAY = dt.date(2026, 11, 27)  # the FixedClock's day in Ningbo


def save(tab, qtbot) -> None:
    with qtbot.waitSignal(tab.saved, timeout=10_000):
        tab.save()


def test_drafting_with_a_payment_clause_shows_the_uppercase_then_the_check_guides_to_finalising(tab, qtbot, desk):
    case_id = mediating_case(desk)
    show_case(tab, qtbot, case_id)
    assert tab.draft_button.isVisible() and tab.empty_label.text() == "本案尚无调解协议。"

    tab.draft_button.click()
    editor = tab.editor
    editor.fields["facts"].editor.setPlainText("2026年9月起楼上卫生间漏水，致楼下吊顶受损。")
    editor.fields["matters"].editor.setPlainText("维修责任与赔偿数额。")
    editor.method_combo.setCurrentText("银行转账")
    clause = editor.clauses[0]
    clause.kind_combo.setCurrentIndex(clause.kind_combo.findData("payment"))
    assert [clause.payer_combo.itemText(i) for i in range(clause.payer_combo.count())] == ["申请人张伟", "被申请人李秀英"]
    assert (clause.payer_combo.currentText(), clause.payee_combo.currentText()) == ("被申请人李秀英", "申请人张伟")
    clause.amount_edit.setText("8000")
    assert clause.uppercase() == "人民币捌仟元整"  # live, before anything is saved
    clause.deadline_edit.set_value(dt.date(2026, 12, 10))
    assert clause.generated_text() == "被申请人李秀英于2026年12月10日前以银行转账方式一次性向申请人张伟支付人民币捌仟元整（￥8000.00）。"
    assert tab.status_label.text() == "新协议 · 未保存"

    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)
    with qtbot.waitSignal(tab.saved, timeout=10_000):
        qtbot.keyClick(editor.fields["matters"].editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert tab.status_label.text() == "草稿"
    assert tab.check_panel.errors == ("履行期限：不能为空",)  # the missing element, by name
    assert editor.fields["performance_deadline"].error == "不能为空"
    assert "履行地点: 建议写明" in tab.check_panel.warnings
    assert any(w.startswith("用词“赔偿”") for w in tab.check_panel.warnings)  # a confusable word, in amber
    assert "须补全 1 项" in tab.check_panel.title_label.text()
    assert tab.finalise_button.isVisible() and not tab.finalise_button.isEnabled()
    assert not tab.review_label.isVisible()  # no junior lead: no review needed

    editor.fields["performance_deadline"].editor.set_value(dt.date(2026, 12, 10))
    assert not tab.finalise_button.isEnabled()  # unsaved edits are not finalised
    save(tab, qtbot)
    assert tab.check_panel.errors == () and tab.finalise_button.isEnabled()
    with desk.reading() as session:
        clauses = case_detail(session, actor=desk.actor, case_id=case_id).agreement.clauses
    assert clauses == ("被申请人李秀英于2026年12月10日前以银行转账方式一次性向申请人张伟支付人民币捌仟元整（￥8000.00）。",)

    tab.finalise_button.click()
    with qtbot.waitSignal(tab.saved, timeout=10_000):
        tab.confirm_box.accept()
    assert tab.status_label.text() == "（2026）东柳人调字第001号"
    assert tab.state.finalised and editor.read_only and not tab.save_button.isVisible()
    assert editor.fields["facts"].editor.isReadOnly() and not editor.clauses[0].remove_button.isVisible()
    assert tab.revise_button.isVisible() and not tab.finalise_button.isVisible()
    assert tab.check_panel.title_label.text().startswith("已定稿")


def test_the_editor_saves_by_itself_a_moment_after_an_edit(tab, qtbot, desk):
    case_id = mediating_case(desk)
    with desk.session() as session:
        agreements.save_draft(session, actor=desk.actor, case_id=case_id, draft=PAYMENT_DRAFT, expected_version=None)
    show_case(tab, qtbot, case_id)
    assert tab.editor.clauses[0].uppercase() == "人民币捌仟元整"  # the structured clause comes back structured
    with qtbot.waitSignal(tab.saved, timeout=10_000):
        tab.editor.fields["matters"].editor.setPlainText("维修责任与维修费用数额。")  # no save pressed
    with desk.reading() as session:
        assert case_detail(session, actor=desk.actor, case_id=case_id).agreement.matters == "维修责任与维修费用数额。"
    assert tab.status_label.text() == "草稿"


def test_a_refused_payment_clause_shows_its_error_under_the_amount(tab, qtbot, desk):
    show_case(tab, qtbot, mediating_case(desk))
    tab.draft_button.click()
    clause = tab.editor.clauses[0]
    clause.kind_combo.setCurrentIndex(clause.kind_combo.findData("payment"))
    clause.amount_edit.setText("8000.005")
    assert "最多两位小数" in clause.uppercase()
    with qtbot.waitSignal(tab.refused, timeout=10_000):
        tab.save()
    assert clause.parts["amount"].error == "应为大于零、最多两位小数的金额"
    assert clause.parts["deadline"].error == "" and "请改正标红的项目" in tab.banner.text()
    assert tab.state is None and tab.status_label.text() == "新协议 · 未保存"  # nothing was saved


def test_recording_every_signature_shows_the_effective_date_and_the_judicial_confirmation_deadline(tab, qtbot, desk, tmp_path):
    case_id = mediating_case(desk)
    with desk.session() as session:
        agreements.save_draft(session, actor=desk.actor, case_id=case_id, draft=PAYMENT_DRAFT, expected_version=None)
        agreements.finalise(session, actor=desk.actor, case_id=case_id, expected_version=None)
    show_case(tab, qtbot, case_id)
    panel = tab.signatures
    tab.steps.setCurrentIndex(1)
    assert [panel.model.text(row, 0) for row in range(panel.model.rowCount())] == [
        "申请人 张伟", "被申请人 李秀英", "人民调解员", "记录人", "调委会印章"]
    assert {panel.model.text(row, 1) for row in range(5)} == {"未签署"}
    assert panel.effective_label.text() == "尚未生效：待 申请人 张伟、被申请人 李秀英、人民调解员、调委会印章 签署"

    # Signed on the day it was finalised: no signature may predate the finalising (or the case's acceptance).
    signers = (("申请人 张伟", "fingerprinted", TODAY), ("被申请人 李秀英", "sealed", TODAY),
               ("人民调解员", None, TODAY), ("记录人", None, TODAY), ("调委会印章", None, TODAY))
    for name, method, day in signers:
        dialog = panel.open_dialog()
        assert dialog.signer_combo.currentText() == name  # the first signer still missing
        if method:
            dialog.set_method(method)
        else:
            assert not dialog.method_combo.isEnabled()  # the mediator and the recorder sign, the seal is applied
        dialog.set_date(day)
        with qtbot.waitSignal(tab.loaded, timeout=10_000):
            dialog.submit()
    assert [panel.model.text(row, 1) for row in range(5)] == ["按指印", "盖章", "签名", "签名", "盖章"]
    assert panel.model.text(4, 2) == "2026-11-27" and not panel.sign_button.isEnabled()
    assert panel.effective_label.text() == "生效日期：2026-11-27　司法确认申请截止：2026-12-27"

    scan = tmp_path / "signed.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    with qtbot.waitSignal(panel.recorded, timeout=10_000):
        panel.attach_scan(scan)
    assert panel.scan_label.text() == "已上传扫描件"
    with desk.reading() as session:
        assert agreements.latest_scan(session, actor=desk.actor, case_id=case_id)[0] == "signed.png"


def test_a_signature_another_desk_recorded_meanwhile_is_refused_in_the_dialog(tab, qtbot, desk):
    case_id = mediating_case(desk)
    with desk.session() as session:
        agreements.save_draft(session, actor=desk.actor, case_id=case_id, draft=PAYMENT_DRAFT, expected_version=None)
        agreements.finalise(session, actor=desk.actor, case_id=case_id, expected_version=None)
    show_case(tab, qtbot, case_id)
    dialog = tab.signatures.open_dialog()
    assert dialog.date_edit.maximumDate().toPython() == TODAY  # no signature dated in the future
    with desk.session() as session:
        party_id = tab.state.signatures[0].party_id
        agreements.record_signature(session, actor=desk.actor, case_id=case_id, signer_kind="party", party_id=party_id,
                                    signed_on=TODAY)
    with qtbot.waitSignal(tab.signatures.refused, timeout=10_000):
        dialog.submit()
    assert dialog.error.startswith("已登记过该签署") and dialog.isVisible() and dialog.ok_button.isEnabled()


def test_a_junior_led_agreement_waits_for_review_before_it_can_be_finalised(tab, qtbot, desk):
    case_id = mediating_case(desk)
    junior_led_draft(desk, case_id, draft=PAYMENT_DRAFT)
    show_case(tab, qtbot, case_id)
    assert tab.check_panel.errors == ()
    assert tab.review_label.text() == "须经老潘或主任审核" and tab.review_label.isVisible()
    assert tab.review_button.isVisible() and tab.review_button.isEnabled()  # the administrator is a supervisor
    assert not tab.finalise_button.isEnabled() and tab.finalise_button.toolTip() == "须先审核"

    with qtbot.waitSignal(tab.saved, timeout=10_000):
        tab.review_button.click()
    assert tab.review_label.text() == "已审核" and not tab.review_button.isVisible()
    assert tab.finalise_button.isEnabled()


def test_a_correction_after_a_signature_needs_a_reason_and_takes_a_new_number(tab, qtbot, desk):
    case_id = mediating_case(desk)
    with desk.session() as session:
        agreements.save_draft(session, actor=desk.actor, case_id=case_id, draft=PAYMENT_DRAFT, expected_version=None)
        state = agreements.finalise(session, actor=desk.actor, case_id=case_id, expected_version=None)
        agreements.record_signature(session, actor=desk.actor, case_id=case_id, signer_kind="mediator", signed_on=TODAY)
    show_case(tab, qtbot, case_id)
    tab.revise_button.click()
    assert tab.revision_bar.isVisible() and not tab.editor.read_only
    tab.editor.fields["facts"].editor.setPlainText("2026年9月起楼上卫生间漏水，致楼下客厅吊顶受损。")
    tab.submit_revision()
    assert tab.reason_box.error == "不能为空：请写明更正原因"
    tab.reason_box.editor.setText("损害部位笔误")
    with qtbot.waitSignal(tab.saved, timeout=10_000):
        tab.submit_revision()
    # One number never stands on two signed texts: the corrected agreement is 第002号, 第001号 is void.
    assert state.number == "（2026）东柳人调字第001号" and tab.status_label.text() == "（2026）东柳人调字第002号"
    assert not tab.revision_bar.isVisible() and tab.editor.read_only
    assert {s.method for s in tab.state.signatures} == {None}  # signed again on the corrected copy
    with desk.reading() as session:
        assert "客厅" in case_detail(session, actor=desk.actor, case_id=case_id).agreement.facts


def test_cases_that_cannot_have_an_agreement_say_so_and_switching_cases_saves_the_edits(tab, qtbot, desk, runner):
    registered = mediating_case(desk, status="registered")
    show_case(tab, qtbot, registered)
    assert not tab.draft_button.isVisible() and "案件状态：登记" in tab.empty_label.text()

    case_id = mediating_case(desk)
    with desk.session() as session:
        agreements.save_draft(session, actor=desk.actor, case_id=case_id, draft=PAYMENT_DRAFT, expected_version=None)
    show_case(tab, qtbot, case_id)
    tab.editor.fields["matters"].editor.setPlainText("维修责任。")  # the autosave has not fired yet
    saved = lambda kinds, ids: "agreement" in kinds and case_id in ids  # noqa: E731
    with qtbot.waitSignal(runner.data_changed, check_params_cb=saved, timeout=10_000):
        tab.set_case(registered)
    with desk.reading() as session:
        assert case_detail(session, actor=desk.actor, case_id=case_id).agreement.matters == "维修责任。"


def test_the_mentor_may_review_but_the_tab_offers_no_numbering_to_a_mediator(runner, desk, qtbot):
    """定稿编号 is for supervisors and admins (the permission table): a mediator's tab hides it, and the service agrees."""
    from laopan.errors import PermissionDenied
    from laopan.models.enums import Role
    from laopan.services.actor import Actor
    from ui.agreements.tab import AgreementTab

    case_id = mediating_case(desk)
    ids = junior_led_draft(desk, case_id, draft=PAYMENT_DRAFT)
    mentor = Actor(login="pan", role=Role.MEDIATOR, committee_id=desk.committee_id, display_name="潘明杰",
                   mediator_id=ids["潘明杰"], clock=desk.actor.clock)
    tab = AgreementTab(runner, mentor)
    qtbot.addWidget(tab)
    tab.resize(1300, 720)
    with qtbot.waitSignal(tab.preview.pages_shown, timeout=20_000):  # its own preview, done before the tab goes
        tab.show()
        show_case(tab, qtbot, case_id)
    assert tab.review_button.isVisible() and tab.review_button.isEnabled()
    assert not tab.finalise_button.isVisible()
    with qtbot.waitSignals([tab.saved, tab.preview.pages_shown], timeout=20_000):
        tab.review_button.click()
    assert tab.review_label.text() == "已审核" and not tab.finalise_button.isVisible()
    assert tab.check_panel.title_label.text().startswith("要素齐全，待主任定稿编号")
    with desk.session() as session, pytest.raises(PermissionDenied, match="^调解员无权编号定稿协议书（仅限：主任、管理员）$"):
        agreements.finalise(session, actor=mentor, case_id=case_id, expected_version=None)
