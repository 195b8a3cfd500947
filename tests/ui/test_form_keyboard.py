"""The intake forms by keyboard: Tab follows reading order (case facts, then the parties, 保存/取消 last), a date-time
is one Tab stop and takes typed times, the red banner goes when the last error is fixed, 报警时间/案发时间 use the
same picker as 移交时间 with a 未知 state."""

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from laopan.labels import choices
from laopan.models.enums import RiskFlag
from tests.helpers.windows import leave
from ui.cases.intake_dialog import IntakeDialog
from ui.common.case_form import CaseFormDialog, OptionalInstantEdit
from ui.common.desk_info import load_desk_info
from ui.common.fields import DateTimeEdit, select_code
from ui.liaison.intake_dialog import ReferralIntakeDialog
from ui.liaison.model import load_liaison_info

PERSON = ["role", "kind", "name", "sex", "ethnicity", "id_type", "id_number", "birth_date", "occupation", "phone",
          "address", "agent", "remove"]
INTAKE_ORDER = [
    "received_at", "source", "dispute_type", "level", "community", "grid", "summary", "claims", "amount_yuan",
    "prevented_criminal", "prevented_group_petition",
    *(f"当事人1.{key}" for key in PERSON), *(f"当事人2.{key}" for key in PERSON),
    "add_party", "save", "cancel",
]
REFERRAL_ORDER = [
    "incident_no", "station", "nature", "call_time", "call_time.未知", "incident_time", "incident_time.未知",
    "referred_at", "officer", "badge_no", "officer_phone", "approver", "incident_place",
    *(f"risk.{code}" for _, code in choices(RiskFlag)), "consent",
    "dispute_type", "level", "community", "grid", "summary", "prevented_criminal", "prevented_group_petition",
    *(f"当事人1.{key}" for key in PERSON), *(f"当事人2.{key}" for key in PERSON),
    "add_party", "save", "cancel",
]


def _close(form: CaseFormDialog) -> None:
    form._initial = form.case_data()  # close without the discard question
    form.close()
    form.deleteLater()


@pytest.fixture
def intake(desk, runner, qtbot) -> Iterator[IntakeDialog]:
    with desk.reading() as session:
        info = load_desk_info(session, actor=desk.actor, committee_name=desk.committee_name)
    form = IntakeDialog(runner, desk.actor, info)
    form.show()
    qtbot.waitExposed(form)
    yield form
    _close(form)


@pytest.fixture
def referral(desk, runner, qtbot) -> Iterator[ReferralIntakeDialog]:
    with desk.reading() as session:
        info = load_desk_info(session, actor=desk.actor, committee_name=desk.committee_name)
        liaison = load_liaison_info(session, actor=desk.actor)
    form = ReferralIntakeDialog(runner, desk.actor, info, liaison)
    form.show()
    qtbot.waitExposed(form)
    yield form
    _close(form)


def widget_names(form: CaseFormDialog) -> dict[QWidget, str]:
    """Every widget a Tab may land on, named by its field key (parties as 当事人N.key)."""
    names: dict[QWidget, str] = {}
    for key, box in [*getattr(form, "referral_fields", {}).items(), *form.fields.items()]:
        if isinstance(box.editor, OptionalInstantEdit):
            names[box.editor.edit] = key
            names[box.editor.unknown_box] = f"{key}.未知"
        else:
            names[box.editor] = key
    names.update({box: key for key, box in form.outcome_boxes.items()})
    names.update({box: f"risk.{code}" for code, box in getattr(form, "risk_boxes", {}).items()})
    if isinstance(form, ReferralIntakeDialog):
        names[form.consent_box] = "consent"
    for number, party in enumerate(form.parties, start=1):
        names.update({box.editor: f"当事人{number}.{key}" for key, box in party.fields.items()})
        names.update({party.role_combo: f"当事人{number}.role", party.kind_combo: f"当事人{number}.kind",
                      party.agent_box: f"当事人{number}.agent", party.remove_button: f"当事人{number}.remove"})
    names.update({form.add_party_button: "add_party", form.save_button: "save", form.cancel_button: "cancel"})
    return names


def focus(form: QWidget, widget: QWidget, qtbot) -> None:
    form.activateWindow()
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(widget.hasFocus)


def tab_walk(form: CaseFormDialog, qtbot, first: QWidget, steps: int) -> list[str]:
    """Focus `first`, press Tab `steps` times; the name of each widget that had the focus, in order."""
    names = widget_names(form)
    form.activateWindow()
    first.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and form.isAncestorOf(QApplication.focusWidget()))
    walked = []
    for _ in range(steps):
        widget = QApplication.focusWidget()
        holder = widget
        while holder is not None and holder not in names:  # an editable combo's line edit, a spin box's inner edit
            holder = holder.parentWidget()
        walked.append(names.get(holder, type(widget).__name__))
        QTest.keyClick(widget, Qt.Key.Key_Tab)
    return walked


def test_tab_walks_the_intake_form_in_reading_order_with_the_parties_before_save(intake, qtbot):
    first = intake.fields["received_at"].editor
    walked = tab_walk(intake, qtbot, first, len(INTAKE_ORDER) + 1)
    assert walked == [*INTAKE_ORDER, "received_at"], "one stop per field, parties after the case, 保存/取消 last"
    assert walked.index("当事人1.name") == 13, "party 1's name is 13 Tabs from the first field (was 20)"


def test_a_party_added_later_joins_the_order_before_save(intake, qtbot):
    intake.add_party_button.click()
    qtbot.waitUntil(lambda: len(intake.parties) == 3 and intake.parties[2].isVisible())
    walked = tab_walk(intake, qtbot, intake.parties[1].remove_button, 4 + len(PERSON))
    assert walked == ["当事人2.remove", *(f"当事人3.{key}" for key in PERSON), "add_party", "save", "cancel"]


def test_tab_walks_the_referral_form_in_reading_order(referral, qtbot):
    first = referral.referral_fields["incident_no"].editor
    assert tab_walk(referral, qtbot, first, len(REFERRAL_ORDER) + 1) == [*REFERRAL_ORDER, "incident_no"]


def test_the_received_time_is_typed_in_one_stop(intake, qtbot, clock):
    edit = intake.fields["received_at"].editor
    assert isinstance(edit, DateTimeEdit)
    focus(intake, edit, qtbot)
    QTest.keyClicks(edit, "2026-11-20 08:15")
    assert edit.hasFocus()
    zone = intake._zone
    assert intake.case_data()["received_at"] == dt.datetime(2026, 11, 20, 8, 15, tzinfo=zone).isoformat()


def test_the_unsaved_banner_goes_when_the_last_red_field_is_fixed(intake, qtbot, type_text):
    applicant = intake.parties[0]
    type_text(applicant.fields["phone"].editor, "12345")
    intake.save_button.click()
    assert intake.banner.isVisible() and intake.banner.text() == "未保存：请改正标红的项目。"
    select_code(intake.fields["community"].editor, "华光城")
    leave(intake.fields["community"])
    type_text(intake.fields["summary"].editor, "噪音纠纷。")
    leave(intake.fields["summary"])
    type_text(applicant.fields["name"].editor, "张伟")
    leave(applicant.fields["name"])
    type_text(intake.parties[1].fields["name"].editor, "李秀英")
    leave(intake.parties[1].fields["name"])
    assert intake.banner.isVisible(), "the phone is still red"
    applicant.fields["phone"].editor.clear()
    type_text(applicant.fields["phone"].editor, "13812345678")
    leave(applicant.fields["phone"])
    assert not intake.banner.isVisible()


def test_a_banner_about_something_else_stays_when_fields_are_fixed(intake, type_text):
    intake.set_error("案件保存失败：另一台电脑正在保存，请稍后重试")
    type_text(intake.parties[0].fields["name"].editor, "张伟")
    leave(intake.parties[0].fields["name"])
    assert intake.banner.isVisible()


def test_call_and_incident_times_use_the_picker_with_an_unknown_state(referral, qtbot):
    fields = referral.referral_fields
    for key in ("call_time", "incident_time"):
        editor = fields[key].editor
        assert isinstance(editor, OptionalInstantEdit) and isinstance(editor.edit, DateTimeEdit)
        assert editor.unknown_box.isChecked() and editor.unknown_box.text() == "未知"
        assert editor.edit.displayFormat() == fields["referred_at"].editor.displayFormat()
    assert "call_time" not in referral.referral_data() and "incident_time" not in referral.referral_data()

    call = fields["call_time"].editor
    focus(referral, call.edit, qtbot)
    QTest.keyClicks(call.edit, "2026-11-27 07:10")
    assert not call.unknown_box.isChecked(), "typing a time unticks 未知"
    zone = referral._zone
    assert referral.referral_data()["call_time"] == dt.datetime(2026, 11, 27, 7, 10, tzinfo=zone).isoformat()
    referral.referral_fields["referred_at"].editor.setDateTime(call.edit.dateTime().addSecs(-600))
    assert referral.check_referral_field("call_time") == "晚于移交时间"
    call.unknown_box.setChecked(True)
    assert fields["call_time"].error == "" and "call_time" not in referral.referral_data()
