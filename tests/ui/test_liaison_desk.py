"""警调 page: referrals with their deadlines and colours, the quick referral intake, the actions, conflicts."""

import datetime as dt
import json
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from laopan.clock import FixedClock
from laopan.labels import time_left_text
from laopan.services.intake import import_cases
from laopan.services.referrals import list_referrals, police_reports, set_second_mediation
from laopan.validation import ValidationError, check_phone
from tests.helpers import FIXTURES
from tests.helpers.windows import leave, save_with_shortcut
from ui.common import style
from ui.common.fields import select_code
from ui.liaison.page import LiaisonDesk
from ui.liaison.model import (
    COL_DUE,
    COL_FLAGS,
    COL_INTAKE_NO,
    COL_REMAINING,
    COL_STATE,
    OVERDUE_BACKGROUND,
    ReferralSnapshot,
    ReferralTableModel,
)
from ui.liaison.dialogs import FeedbackDialog, FirstContactDialog, ReportDialog, ReturnDialog, set_edited_instant

BAD_PHONE = "12345"
AGREEMENT_NO = "（2026）东柳人调字第087号"


@pytest.fixture
def imported(desk):
    """The joint case of the interchange fixture (referred 2026-10-08 09:20, no first contact recorded)."""
    document = json.loads((FIXTURES / "interchange" / "full.json").read_text(encoding="utf-8"))
    with desk.session() as session:
        report = import_cases(session, actor=desk.actor, document=document)
    return report.registered[0]


def idle(page) -> bool:
    return page.liaison is not None and page.info is not None and not page.loading and not page._runner.busy


@pytest.fixture
def page(desk, runner, imported, qtbot) -> Iterator[LiaisonDesk]:
    liaison = LiaisonDesk(runner, desk.actor)
    qtbot.addWidget(liaison)
    liaison.resize(1200, 700)
    liaison.show()
    qtbot.waitUntil(lambda: idle(liaison) and liaison.model.rowCount() > 0)
    yield liaison
    qtbot.waitUntil(lambda: not runner.busy)


def cell(page, case_id: int, column: int, role=Qt.ItemDataRole.DisplayRole):
    row = page.model.find_row(case_id)
    assert row is not None, "the referral is listed"
    return page.model.index(row, column).data(role)


def open_dialog(page, button, qtbot):
    button.click()
    dialog = page.action_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def save(dialog, qtbot):
    with qtbot.waitSignal(dialog.saved) as saved:
        dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    return saved.args[0]


def test_an_imported_referral_shows_its_first_contact_deadline_and_is_overdue_in_red(page, imported, qtmodeltester):
    assert cell(page, imported.id, COL_INTAKE_NO) == imported.intake_no
    assert cell(page, imported.id, COL_DUE) == "2026-10-09 09:20"  # referred 09:20 Beijing + 24 h
    assert cell(page, imported.id, COL_STATE) == "已逾期（未联系）"
    assert cell(page, imported.id, COL_REMAINING) == "逾期48天"  # at the clock, 2026-11-27 09:00
    assert cell(page, imported.id, COL_FLAGS) == "重复报警、涉老年人"
    assert cell(page, imported.id, COL_STATE, Qt.ItemDataRole.BackgroundRole) == OVERDUE_BACKGROUND
    assert cell(page, imported.id, COL_REMAINING, Qt.ItemDataRole.ForegroundRole) == style.OVERDUE
    assert "首次联系期限" in cell(page, imported.id, COL_DUE, Qt.ItemDataRole.ToolTipRole)
    assert page.state_buttons["overdue"].text() == "已逾期 1"
    assert page.state_buttons[None].text() == "全部 1"
    qtmodeltester.check(page.model)


def fill_referral(dialog, type_text, clock) -> None:
    fields = dialog.referral_fields
    type_text(fields["incident_no"].editor, "JQ202611270007")
    set_edited_instant(fields["referred_at"].editor, clock.now() - dt.timedelta(hours=2), dialog._zone)
    fields["call_time"].editor.set_instant(clock.now() - dt.timedelta(hours=2, minutes=20))  # 06:40
    type_text(fields["officer"].editor, "李警官")
    type_text(fields["badge_no"].editor, "023456")
    select_code(fields["nature"].editor, "dispute_call")
    dialog.risk_boxes["criminal_risk"].setChecked(True)
    dialog.consent_box.setChecked(True)
    select_code(dialog.fields["community"].editor, "锦苑")
    select_code(dialog.fields["grid"].editor, "锦苑第2网格")
    type_text(dialog.fields["summary"].editor, "两户因停车位发生争执并推搡，民警出警后移交调解。")
    applicant, respondent = dialog.parties
    type_text(applicant.fields["name"].editor, "赵磊")
    type_text(respondent.fields["name"].editor, "钱芳")


def test_a_referral_typed_into_the_quick_form_walks_from_first_contact_to_feedback(page, desk, clock, qtbot, type_text):
    page.new_button.click()
    dialog = page.intake_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.referral_fields["station"].text() == "东柳派出所"
    fill_referral(dialog, type_text, clock)

    phone = dialog.referral_fields["officer_phone"]
    type_text(phone.editor, BAD_PHONE)
    leave(phone)
    with pytest.raises(ValidationError) as refused:
        check_phone(BAD_PHONE)
    assert phone.error == refused.value.message
    dialog.save_button.click()
    assert dialog.isVisible() and dialog.banner.isVisible() and dialog.registered is None
    with desk.reading() as session:
        assert len(list_referrals(session, actor=desk.actor)) == 1, "nothing is saved while a field is wrong"

    phone.editor.clear()
    type_text(phone.editor, "136 0000 3333")
    leave(phone)
    assert phone.error == ""
    registered = save_with_shortcut(dialog, qtbot)
    qtbot.waitUntil(lambda: page.model.find_row(registered.id) is not None and page.current_case_id() == registered.id)
    assert cell(page, registered.id, COL_STATE) == "待首次联系"
    assert cell(page, registered.id, COL_REMAINING) == "剩22小时"
    assert cell(page, registered.id, COL_DUE) == "2026-11-28 07:00"
    assert cell(page, registered.id, COL_STATE, Qt.ItemDataRole.BackgroundRole) is None  # 22 h left: not urgent yet
    assert cell(page, registered.id, COL_FLAGS) == "可能民转刑"
    assert registered.intake_no in page.message_label.text()
    assert not page.feedback_button.isEnabled()

    contact = open_dialog(page, page.contact_button, qtbot)
    assert isinstance(contact, FirstContactDialog)
    set_edited_instant(contact.fields["at"].editor, clock.now() + dt.timedelta(hours=1), contact._zone)
    contact.save_button.click()
    assert contact.fields["at"].error == "晚于现在" and contact.isVisible()
    set_edited_instant(contact.fields["at"].editor, clock.now() - dt.timedelta(hours=3), contact._zone)
    leave(contact.fields["at"])
    assert "早于警情移交时间" in contact.fields["at"].error
    set_edited_instant(contact.fields["at"].editor, clock.now() - dt.timedelta(minutes=30), contact._zone)
    type_text(contact.fields["note"].editor, "电话联系双方，约定明早到警调中心。")
    save(contact, qtbot)
    qtbot.waitUntil(lambda: cell(page, registered.id, COL_STATE) == "调解中")
    assert cell(page, registered.id, COL_REMAINING) == "剩4天"  # feedback due 5 days after the referral
    assert page.feedback_button.isEnabled() and not page.contact_button.isEnabled()

    feedback = open_dialog(page, page.feedback_button, qtbot)
    assert isinstance(feedback, FeedbackDialog)
    qtbot.waitUntil(lambda: feedback.case_status is not None)
    feedback.save_button.click()
    assert feedback.fields["result"].error == "请选择反馈结果" and feedback.isVisible()
    select_code(feedback.fields["result"].editor, "withdrawn")
    assert not feedback.fields["agreement_no"].editor.isEnabled()
    type_text(feedback.fields["content"].editor, "双方自行和解，申请人撤回。")
    save(feedback, qtbot)
    qtbot.waitUntil(lambda: cell(page, registered.id, COL_STATE) == "已办结")
    assert cell(page, registered.id, COL_REMAINING) == ""
    assert not page.return_button.isEnabled()
    with desk.reading() as session:
        (row,) = [r for r in list_referrals(session, actor=desk.actor) if r.case_id == registered.id]
    assert row.state == "closed" and row.feedback_at == clock.now() and row.first_contact_at == clock.now() - dt.timedelta(minutes=30)


def test_feedback_on_a_settled_case_offers_its_agreement_number(page, imported, clock, qtbot):
    assert page.select_case(imported.id)
    contact = open_dialog(page, page.contact_button, qtbot)
    set_edited_instant(contact.fields["at"].editor, dt.datetime(2026, 10, 8, 2, 0, tzinfo=dt.UTC), contact._zone)
    save(contact, qtbot)
    qtbot.waitUntil(lambda: page.feedback_button.isEnabled())
    assert cell(page, imported.id, COL_STATE) == "已逾期（未反馈）"  # feedback was due 2026-10-13

    feedback = open_dialog(page, page.feedback_button, qtbot)
    qtbot.waitUntil(lambda: feedback.case_status is not None)
    assert feedback.fields["result"].editor.currentData() == "settled"
    assert feedback.fields["agreement_no"].text() == AGREEMENT_NO
    set_edited_instant(feedback.fields["at"].editor, dt.datetime(2026, 10, 7, 2, 0, tzinfo=dt.UTC), feedback._zone)
    leave(feedback.fields["at"])
    assert "早于首次联系时间" in feedback.fields["at"].error
    set_edited_instant(feedback.fields["at"].editor, clock.now(), feedback._zone)
    select_code(feedback.fields["performance"].editor, "performed")
    answer = save(feedback, qtbot)
    assert answer.state == "closed"
    qtbot.waitUntil(lambda: cell(page, imported.id, COL_STATE) == "已办结")


def test_a_return_needs_a_reason_and_a_report_is_recorded(page, desk, imported, qtbot, type_text):
    assert page.select_case(imported.id)
    report = open_dialog(page, page.report_button, qtbot)
    assert isinstance(report, ReportDialog)
    report.fields["reported_to"].editor.clear()
    report.save_button.click()
    assert report.fields["reported_to"].error == "请填写报告对象"
    type_text(report.fields["reported_to"].editor, "东柳派出所 值班民警")
    type_text(report.fields["note"].editor, "一方扬言报复，有激化可能。")
    save(report, qtbot)
    with desk.reading() as session:
        (stored,) = police_reports(session, actor=desk.actor, case_id=imported.id)
    assert stored.reported_to == "东柳派出所 值班民警"

    qtbot.waitUntil(lambda: idle(page))
    back = open_dialog(page, page.return_button, qtbot)
    assert isinstance(back, ReturnDialog)
    back.save_button.click()
    assert back.fields["reason"].error == "请填写退回原因" and back.isVisible()
    type_text(back.fields["reason"].editor, "一方拒绝调解，建议依法处理。")
    save(back, qtbot)
    qtbot.waitUntil(lambda: cell(page, imported.id, COL_STATE) == "已办结")
    assert "已退回公安" in cell(page, imported.id, COL_FLAGS)


def test_a_stale_version_is_refused_with_the_conflict_in_a_message_box(page, desk, imported, qtbot):
    assert page.select_case(imported.id)
    contact = open_dialog(page, page.contact_button, qtbot)
    with desk.session() as session:  # another desk changes the referral meanwhile
        set_second_mediation(session, actor=desk.actor, case_id=imported.id, expected_version=contact.row.version)
    contact.save_button.click()
    qtbot.waitUntil(lambda: contact.conflict_box is not None and contact.conflict_box.isVisible())
    assert "请刷新" in contact.conflict_box.text()
    contact.conflict_box.accept()
    qtbot.waitUntil(lambda: page.action_dialog is None or not page.action_dialog.isVisible())
    qtbot.waitUntil(lambda: "二次调解" in cell(page, imported.id, COL_FLAGS))
    with desk.reading() as session:
        (row,) = list_referrals(session, actor=desk.actor)
    assert row.first_contact_at is None, "the stale save changed nothing"

    qtbot.waitUntil(lambda: idle(page))
    with desk.session() as session:  # and again, under the page's feet: the toggle is refused too
        set_second_mediation(session, actor=desk.actor, case_id=imported.id, expected_version=row.version, flag=False)
    page.second_button.click()
    qtbot.waitUntil(lambda: page.conflict_box is not None and page.conflict_box.isVisible())
    assert "请刷新" in page.conflict_box.text()
    page.conflict_box.accept()
    qtbot.waitUntil(lambda: idle(page) and "二次调解" not in cell(page, imported.id, COL_FLAGS))
    assert page.second_button.text() == "二次调解"


def test_second_mediation_toggles_search_and_state_filters_narrow_and_double_click_opens_the_case(page, imported, qtbot):
    assert page.select_case(imported.id)
    page.second_button.click()
    qtbot.waitUntil(lambda: "二次调解" in cell(page, imported.id, COL_FLAGS))
    assert page.second_button.text() == "取消二次调解"

    page.search_edit.setText("JQ20261008")
    assert page.model.rowCount() == 1
    page.search_edit.setText("没有这个人")
    assert page.model.rowCount() == 0 and page.state_buttons[None].text() == "全部 0"
    page.search_edit.setText("李秀英")
    assert page.model.rowCount() == 1
    page.set_state_filter("awaiting_contact")
    assert page.model.rowCount() == 0
    page.set_state_filter("overdue")
    assert page.model.rowCount() == 1

    index = page.model.index(0, COL_STATE)
    with qtbot.waitSignal(page.open_case_requested) as opened:
        page.view.doubleClicked.emit(index)
    assert opened.args == [imported.id]


def _row(**changes):
    from laopan.views.referrals import ReferralRow

    base = dict(case_id=1, intake_no="DL2026-00001", incident_no="JQ1", station="东柳派出所", parties="甲 诉 乙",
                case_status="accepted", state="awaiting_contact", due_at=None, referred_at=dt.datetime(2026, 11, 26, tzinfo=dt.UTC),
                first_contact_at=None, feedback_at=None, returned=False, second_mediation=False, risk_flags=(), version=1)
    return ReferralRow(**{**base, **changes})


def test_remaining_time_reads_in_minutes_hours_and_days_and_due_soon_is_amber(qapp):
    now = dt.datetime(2026, 11, 27, 1, 0, tzinfo=dt.UTC)
    assert time_left_text(now + dt.timedelta(minutes=40), now) == "剩40分钟"
    assert time_left_text(now + dt.timedelta(hours=5, minutes=10), now) == "剩5小时"
    assert time_left_text(now + dt.timedelta(days=2, hours=3), now) == "剩2天"
    assert time_left_text(now - dt.timedelta(hours=3), now) == "逾期3小时"
    assert time_left_text(None, now) == ""

    model = ReferralTableModel(clock=FixedClock(now))
    soon = _row(case_id=1, due_at=now + dt.timedelta(hours=5), due_soon=True)  # the service decides what is amber
    later = _row(case_id=2, due_at=now + dt.timedelta(hours=20))
    closed = _row(case_id=3, state="closed")
    model.set_snapshot(ReferralSnapshot(now, (closed, later, soon)))
    assert [model.row_data(row).case_id for row in range(3)] == [1, 2, 3]  # most urgent first, closed last
    assert model.index(0, COL_REMAINING).data(Qt.ItemDataRole.ForegroundRole) not in (None, style.OVERDUE)
    assert model.index(0, COL_REMAINING).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert model.index(1, COL_REMAINING).data(Qt.ItemDataRole.BackgroundRole) is None
    assert model.index(2, COL_STATE).data() == "已办结"


def test_on_the_windows_worker_a_new_referral_reaches_the_case_list_and_double_click_opens_it(window, qtbot, type_text, clock):
    """The wiring the window uses: the page shares the window's runner; its writes refresh the case list too."""
    liaison = LiaisonDesk(window.runner, window.desk.actor, window.info)
    qtbot.addWidget(liaison)
    liaison.open_case_requested.connect(window.open_case)
    liaison.show()
    qtbot.waitUntil(lambda: idle(liaison) and liaison.model.rowCount() > 0)
    before = liaison.model.rowCount()
    cases = window.model.rowCount()

    dialog = liaison.open_intake()
    fill_referral(dialog, type_text, clock)
    with qtbot.waitSignal(dialog.case_registered) as saved:
        dialog.save_button.click()
    registered = saved.args[0]
    qtbot.waitUntil(lambda: liaison.model.rowCount() == before + 1 and window.model.rowCount() == cases + 1)
    qtbot.waitUntil(lambda: liaison.current_case_id() == registered.id)

    index = liaison.view.currentIndex()
    liaison.view.doubleClicked.emit(index)
    qtbot.waitUntil(lambda: window.detail.detail is not None and window.detail.detail.id == registered.id)
    assert window.detail.detail.referral is not None and window.detail.detail.referral.incident_no == "JQ202611270007"
    qtbot.waitUntil(lambda: not window.runner.busy)


def test_nothing_is_read_until_the_page_is_shown_and_a_hidden_page_catches_up_when_shown_again(desk, runner, imported, qtbot):
    liaison = LiaisonDesk(runner, desk.actor)
    qtbot.addWidget(liaison)
    assert not runner.busy and liaison.model.rowCount() == 0, "the window's start-up does not wait for this page"
    with qtbot.waitSignal(liaison.referrals_loaded):
        liaison.show()
    qtbot.waitUntil(lambda: idle(liaison))
    liaison.hide()
    with qtbot.waitSignal(runner.data_changed):
        runner.write(lambda session: set_second_mediation(session, actor=desk.actor, case_id=imported.id, expected_version=None))
    assert not runner.busy, "a hidden page only notes that it is stale"
    with qtbot.waitSignal(liaison.referrals_loaded):
        liaison.show()
    assert "二次调解" in cell(liaison, imported.id, COL_FLAGS)
    qtbot.waitUntil(lambda: not runner.busy)
