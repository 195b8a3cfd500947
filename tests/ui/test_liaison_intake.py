"""新建警情: the service's refusals land under their fields (JSON paths), times are checked, Esc asks first."""

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from laopan.errors import Refused
from laopan.services.intake import register_case
from laopan.validation import ValidationError
from tests.helpers.windows import answer_discard_box
from ui.common.desk_info import load_desk_info
from ui.common.fields import select_code
from ui.liaison.model import load_liaison_info
from ui.liaison.dialogs import set_edited_instant
from ui.liaison.intake_dialog import ReferralIntakeDialog
from ui.common.worker import TaskRunner

BAD_ID = "360426199101010072"


@pytest.fixture
def dialog(desk, qapp, qtbot) -> Iterator[ReferralIntakeDialog]:
    runner = TaskRunner(desk)
    with desk.reading() as session:
        info = load_desk_info(session, actor=desk.actor, committee_name=desk.committee_name)
        liaison = load_liaison_info(session, actor=desk.actor)
    form = ReferralIntakeDialog(runner, desk.actor, info, liaison)  # not qtbot.addWidget: it closes before we can
    form.show()
    qtbot.waitUntil(form.isVisible)
    yield form
    form._initial = form.case_data()  # close without the discard question
    form.close()
    form.deleteLater()
    runner.stop()


def test_the_services_refusals_are_mapped_to_referral_and_party_fields(dialog, desk, type_text):
    fields = dialog.referral_fields
    type_text(fields["incident_no"].editor, "JQ202611270099")
    select_code(dialog.fields["community"].editor, "华光城")
    type_text(dialog.fields["summary"].editor, "噪音纠纷。")
    applicant, respondent = dialog.parties
    type_text(applicant.fields["name"].editor, "张伟")
    type_text(respondent.fields["name"].editor, "李秀英")
    fields["officer_phone"].editor.setText("12345")  # typed without leaving the fields
    applicant.fields["id_number"].editor.setText(BAD_ID)

    data = dialog.case_data()
    assert data["source"] == "police_referral" and data["police_referral"]["station"] == "东柳派出所"
    with desk.session() as session, pytest.raises(Refused) as refused:
        register_case(session, actor=desk.actor, data=data)
    paths = [error.field for error in refused.value.errors]
    assert paths == ["parties[0].id_number", "police_referral.officer_phone"]
    dialog.show_refused(Refused([*refused.value.errors, ValidationError("police_referral.station", "不是本调委会字典中的派出所"),
                                 ValidationError("agreement", "某项没有对应的输入框")]))
    assert "校验位错误" in applicant.fields["id_number"].error
    assert fields["officer_phone"].error == refused.value.errors[1].message
    assert "派出所" in fields["station"].error
    assert "agreement" in dialog.banner.text() and dialog.banner.isVisible()


def test_times_are_checked_against_now_and_the_referral(dialog, desk, clock):
    fields = dialog.referral_fields
    set_edited_instant(fields["referred_at"].editor, clock.now() + dt.timedelta(hours=1), dialog._zone)
    assert dialog.check_referral_field("referred_at") == "移交时间晚于现在"
    set_edited_instant(fields["referred_at"].editor, clock.now() - dt.timedelta(hours=1), dialog._zone)
    assert dialog.check_referral_field("call_time") is None, "an unknown call time is fine"
    assert "call_time" not in dialog.referral_data()
    fields["call_time"].editor.set_instant(clock.now() - dt.timedelta(minutes=30))  # after the referral at 08:00
    assert dialog.check_referral_field("call_time") == "晚于移交时间"
    fields["call_time"].editor.set_instant(clock.now() - dt.timedelta(minutes=75))
    assert dialog.check_referral_field("call_time") is None
    assert dialog.referral_data()["call_time"] == "2026-11-27T07:45:00+08:00"
    assert dialog.check_referral_field("incident_no") == "警情编号不能为空"


def test_escape_asks_before_discarding_a_typed_referral(dialog, qtbot, type_text):
    type_text(dialog.referral_fields["incident_no"].editor, "JQ1")
    answer_discard_box(dialog, "继续编辑")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialog.referral_fields["incident_no"].text() == "JQ1"
    answer_discard_box(dialog, "放弃")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_a_duplicate_incident_number_is_refused_under_its_field_naming_the_case(dialog, desk, type_text, qtbot):
    with desk.session() as session:
        first = register_case(session, actor=desk.actor, data={
            "source": "police_referral", "dispute_type": "neighbour", "level": "grid", "community": "华光城",
            "summary": "噪音纠纷。", "parties": [{"role": "applicant", "name": "王芳"}, {"role": "respondent", "name": "赵强"}],
            "police_referral": {"incident_no": "JQ202611270077", "station": "东柳派出所",
                                "referred_at": "2026-11-27T08:00:00+08:00"},
        })
    fields = dialog.referral_fields
    type_text(fields["incident_no"].editor, "JQ202611270077")
    select_code(dialog.fields["community"].editor, "华光城")
    type_text(dialog.fields["summary"].editor, "同一警情又登记一次。")
    applicant, respondent = dialog.parties
    type_text(applicant.fields["name"].editor, "王芳")
    type_text(respondent.fields["name"].editor, "赵强")
    dialog.save()
    qtbot.waitUntil(lambda: bool(fields["incident_no"].error), timeout=10_000)
    assert fields["incident_no"].error == f"警情编号 JQ202611270077 已用于案件 {first.intake_no}"
    assert dialog.isVisible(), "nothing saved: the form stays open with what was typed"
