"""新建案件: fields checked on leaving, nothing saved until valid, refusals mapped to fields, Ctrl+S, Esc."""

import pytest
from PySide6.QtCore import Qt

from laopan.errors import Refused, ValidationError
from laopan.services.cases import case_detail
from laopan.services.intake import register_case
from laopan.validation import check_phone
from tests.helpers.intake_form import fill_case, open_dialog
from tests.helpers.windows import answer_discard_box, leave, save_with_shortcut
from ui.cases.model import CASE_ID_ROLE
from ui.common.fields import select_code

BAD_ID = "360426199101010072"
GOOD_ID = "330212197803010013"  # male, born 1978-03-01
BAD_PHONE = "12345"


def test_a_case_typed_with_errors_is_refused_until_fixed_then_saved_and_selected(window, qtbot, type_text, service_count):
    dialog = open_dialog(window, qtbot)
    fill_case(dialog, type_text)
    applicant, respondent = dialog.parties

    type_text(applicant.fields["id_number"].editor, BAD_ID)
    leave(applicant.fields["id_number"])
    assert "校验位错误" in applicant.fields["id_number"].error
    assert applicant.fields["sex"].text() == ""  # a wrong number fills nothing

    type_text(respondent.fields["phone"].editor, BAD_PHONE)
    leave(respondent.fields["phone"])
    with pytest.raises(ValidationError) as refused_phone:
        check_phone(BAD_PHONE)
    assert respondent.fields["phone"].error == refused_phone.value.message

    dialog.save_button.click()
    assert dialog.isVisible() and dialog.banner.isVisible()
    assert "校验位错误" in applicant.fields["id_number"].error
    assert service_count() == 300, "nothing is saved while a field is wrong"

    applicant.fields["id_number"].editor.clear()
    type_text(applicant.fields["id_number"].editor, GOOD_ID)
    assert applicant.fields["sex"].editor.currentText() == "男"
    assert applicant.fields["birth_date"].text() == "1978-03-01"
    leave(applicant.fields["id_number"])
    assert applicant.fields["id_number"].error == ""
    respondent.fields["phone"].editor.clear()
    type_text(respondent.fields["phone"].editor, "13712345678")
    leave(respondent.fields["phone"])
    assert respondent.fields["phone"].error == ""

    registered = save_with_shortcut(dialog, qtbot)

    qtbot.waitUntil(lambda: window.model.rowCount() == 301 and window.view.currentIndex().isValid())
    assert window.view.currentIndex().siblingAtColumn(0).data(CASE_ID_ROLE) == registered.id
    assert registered.intake_no in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.detail.detail is not None and window.detail.detail.id == registered.id)
    with window.desk.reading() as session:
        stored = case_detail(session, actor=window.desk.actor, case_id=registered.id, reveal=False)
    assert [p.name for p in stored.parties] == ["张伟", "李秀英"]
    assert stored.parties[0].sex == "male" and stored.grid == "华光城第3网格" and stored.claims == ("被申请人赔偿维修费用", "被申请人修复防水层")


def test_the_services_refusals_are_shown_under_their_fields_or_in_the_banner(window, qtbot, type_text):
    dialog = open_dialog(window, qtbot)
    fill_case(dialog, type_text)
    respondent = dialog.parties[1]
    select_code(respondent.role_combo, "applicant")  # two applicants: only the service knows that rule

    dialog.save_button.click()
    qtbot.waitUntil(dialog.parties_error.isVisible)
    assert "至少需要一名申请人和一名被申请人" in dialog.parties_error.text()
    assert dialog.isVisible() and dialog.registered is None

    select_code(respondent.role_combo, "respondent")
    respondent.fields["id_number"].editor.setText(BAD_ID)  # typed without leaving the field
    with window.desk.session() as session, pytest.raises(Refused) as refused:
        register_case(session, actor=window.desk.actor, data=dialog.case_data())
    assert [e.field for e in refused.value.errors] == ["parties[1].id_number"]
    dialog.show_refused(Refused([*refused.value.errors, ValidationError("police_referral.station", "不是本调委会字典中的派出所")]))
    assert "校验位错误" in respondent.fields["id_number"].error
    assert "police_referral.station" in dialog.banner.text() and "派出所" in dialog.banner.text()


def test_grids_follow_the_community_and_an_organisation_shows_its_own_fields(window, qtbot, type_text):
    dialog = open_dialog(window, qtbot)
    select_code(dialog.fields["community"].editor, "锦苑")
    grid = dialog.fields["grid"].editor
    assert [grid.itemText(i) for i in range(grid.count())] == ["（不指定）", "锦苑第1网格", "锦苑第2网格", "锦苑第3网格"]

    party = dialog.parties[1]
    select_code(party.kind_combo, "organization")
    assert party.fields["credit_code"].isVisibleTo(dialog) and not party.fields["id_number"].isVisibleTo(dialog)
    type_text(party.fields["credit_code"].editor, "91330212MA2AB1C3X0")
    leave(party.fields["credit_code"])
    assert party.fields["credit_code"].error
    party.agent_box.setChecked(True)
    leave(party.fields["agent.name"])
    assert party.fields["agent.name"].error

    dialog.add_party_button.click()
    assert len(dialog.parties) == 3 and dialog.parties[2].role_combo.currentData() == "third_party"
    dialog.parties[2].remove_button.click()
    assert len(dialog.parties) == 2


def test_escape_asks_before_discarding_typed_data(window, qtbot, type_text):
    dialog = open_dialog(window, qtbot)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())  # nothing typed: closes at once

    dialog = open_dialog(window, qtbot)
    type_text(dialog.parties[0].fields["name"].editor, "张伟")
    answer_discard_box(dialog, "继续编辑")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    assert dialog.parties[0].fields["name"].text() == "张伟"

    answer_discard_box(dialog, "放弃")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_an_unchosen_community_and_grid_are_not_sent_as_their_placeholder_text(window, qtbot, type_text):
    dialog = open_dialog(window, qtbot)
    assert dialog.fields["community"].text() == "" and dialog.fields["grid"].text() == ""
    leave(dialog.fields["community"])
    assert dialog.fields["community"].error == "请选择社区"
    fill_case(dialog, type_text)
    select_code(dialog.fields["grid"].editor, None)  # 不指定网格 is a valid choice
    data = dialog.case_data()
    assert data["community"] == "华光城" and not data.get("grid")
