"""Correcting a case from its detail: 去补全 from the agreement check to the party's ID and on to finalising, the
party editor never saving masked text back, a stale save refused with the conflict sentence, 编辑案件, and adding
and removing a party."""

import re

import pytest
from PySide6.QtWidgets import QPushButton

from laopan.desk import open_desk
from tests.helpers.accounts import TEST_PASSWORD
from laopan.models.enums import Role
from laopan.services import agreements, corrections
from laopan.services.cases import case_detail
from laopan.services.users import add_user
from tests.helpers.scenarios import DRAFT, LI_ADDRESS, LI_ID, ZHANG_ID, mediating_case
from tests.helpers.windows import click, open_case, open_window, register, shown, type_into
from ui.agreements.preview import party_fix_target
from ui.cases.corrections import MASKED_HINT
from ui.cases.detail import TAB_AGREEMENT, TAB_PARTIES

WALK_IN = [
    {"role": "applicant", "name": "张伟", "phone": "13812345678"},  # came to the desk: name and phone only
    {"role": "respondent", "name": "李秀英", "id_number": LI_ID, "address": LI_ADDRESS},
]


@pytest.mark.parametrize(("field", "message", "target"), [
    ("当事人[1] 张伟", "缺少身份证件号码", (0, "id_number")),
    ("当事人[3] 东柳物业公司", "缺少统一社会信用代码", (2, "credit_code")),
    ("当事人[2] 李秀英", "缺少住址或联系电话", (1, "phone")),
    ("纠纷主要事实", "不能为空", None),
    ("当事人[1] 张伟", "字体缺字：𰻞", None),
])
def test_a_check_error_names_the_party_and_the_field_that_fixes_it(field, message, target):
    assert party_fix_target(field, message) == target


def _party_button(qtbot, panel, name: str):
    """The party box's 修改/删除 button as shown now (a refill replaces the boxes; the old ones go later)."""
    def find():
        return next((b for b in panel.findChildren(QPushButton, name) if b.isVisible()), None)

    qtbot.waitUntil(lambda: find() is not None, timeout=10_000)
    return find()


def _supervisor_window(desk, clock, qtbot):
    with desk.session() as session:
        add_user(session, actor=desk.actor, login="zhang", display_name="张主任", role=Role.SUPERVISOR, password=TEST_PASSWORD)
    return open_window(open_desk(engine=desk.engine, login="zhang", password=TEST_PASSWORD, clock=clock), qtbot)


def test_the_missing_id_is_filled_from_the_check_link_and_the_agreement_is_then_finalised(desk, clock, qtbot):
    case_id = mediating_case(desk, parties=WALK_IN)
    with desk.session() as session:
        agreements.save_draft(session, actor=desk.actor, case_id=case_id, draft=DRAFT, expected_version=None)
    window = _supervisor_window(desk, clock, qtbot)
    try:
        open_case(window, qtbot, case_id)
        panel, tab = window.detail, window.detail.agreement_tab
        panel.tabs.setCurrentIndex(TAB_AGREEMENT)
        qtbot.waitUntil(lambda: tab.check_panel.errors == ("当事人[1] 张伟：缺少身份证件号码",), timeout=10_000)
        assert not tab.finalise_button.isEnabled()

        link = re.search(r"href='([^']+)'", tab.check_panel.body_label.text()).group(1)
        tab.check_panel.body_label.linkActivated.emit(link)  # what clicking the red line does
        dialog = panel.corrections.dialog
        assert dialog is not None and dialog.windowTitle() == "编辑当事人 张伟" and dialog.focus_key == "id_number"
        id_box, phone_box = dialog.editor.fields["id_number"].editor, dialog.editor.fields["phone"].editor
        qtbot.waitUntil(id_box.hasFocus)
        assert phone_box.text() == "" and phone_box.placeholderText() == MASKED_HINT  # masked: not in the editor

        type_into(id_box, ZHANG_ID)
        assert dialog.values() == {"id_number": ZHANG_ID, "sex": "male", "birth_date": "1978-03-01"}  # filled from the ID
        dialog.submit()
        qtbot.waitUntil(lambda: panel.corrections.dialog is None, timeout=10_000)
        qtbot.waitUntil(lambda: tab.check_panel.errors == () and tab.finalise_button.isEnabled(), timeout=10_000)

        tab.finalise_button.click()
        with qtbot.waitSignal(tab.saved, timeout=10_000):
            tab.confirm_box.accept()
        assert tab.state.finalised and tab.status_label.text().startswith("（2026）")
    finally:
        window.close()
    with desk.session() as session:
        walk_in = case_detail(session, actor=desk.actor, case_id=case_id, reveal=True).parties[0]
    assert (walk_in.id_number, walk_in.phone) == (ZHANG_ID, "13812345678")  # the phone was not overwritten


def test_masked_values_stay_out_of_the_save_until_revealed(desk_window, desk, qtbot):
    window, case_id = desk_window, register(desk)
    open_case(window, qtbot, case_id)
    panel = window.detail
    panel.tabs.setCurrentIndex(TAB_PARTIES)
    click(qtbot, _party_button(qtbot, panel, "party-edit-0"))
    dialog = panel.corrections.dialog
    fields = dialog.editor.fields
    assert {key for key in ("id_number", "phone", "address") if fields[key].editor.placeholderText() == MASKED_HINT} == {
        "id_number", "phone", "address"}
    fields["occupation"].editor.setText("教师")
    assert dialog.values() == {"occupation": "教师"}

    click(qtbot, dialog.reveal_button)  # an administrator may reveal: the real values are loaded (and audited)
    qtbot.waitUntil(lambda: fields["id_number"].text() == ZHANG_ID, timeout=10_000)
    assert fields["phone"].text() == "13812345678" and not dialog.reveal_button.isVisible()
    assert dialog.values() == {"occupation": "教师"}
    dialog.submit()
    qtbot.waitUntil(lambda: shown(window, case_id) and window.detail.detail.parties[0].occupation == "教师", timeout=10_000)


def test_a_stale_save_shows_the_conflict_sentence(desk_window, desk, qtbot):
    window, case_id = desk_window, register(desk)
    open_case(window, qtbot, case_id, version=1)
    panel = window.detail
    panel.tabs.setCurrentIndex(TAB_PARTIES)
    click(qtbot, _party_button(qtbot, panel, "party-edit-1"))
    dialog = panel.corrections.dialog
    with desk.session() as session:  # someone else corrects the case meanwhile
        corrections.update_case(session, actor=desk.actor, case_id=case_id, expected_version=1, values={"summary": "楼上漏水。"})
    dialog.editor.fields["occupation"].editor.setText("退休")
    dialog.submit()
    qtbot.waitUntil(lambda: "修改，请刷新" in dialog.error, timeout=10_000)
    assert dialog.isVisible() and not dialog.busy
    qtbot.waitUntil(lambda: shown(window, case_id, summary="楼上漏水。"), timeout=10_000)  # the detail shows what is there


def test_editing_the_case_sends_only_what_changed(desk_window, desk, qtbot):
    window, case_id = desk_window, register(desk)
    open_case(window, qtbot, case_id)
    panel = window.detail
    click(qtbot, panel.edit_case_button)
    qtbot.waitUntil(lambda: panel.corrections.dialog is not None, timeout=10_000)
    dialog = panel.corrections.dialog
    assert dialog.referral_box is None  # not a police referral
    dialog.fields["summary"].editor.setPlainText("楼上卫生间漏水，致楼下吊顶受损。")
    dialog.flags["prevented_criminal"].setChecked(True)
    assert dialog.values() == {"case": {"summary": "楼上卫生间漏水，致楼下吊顶受损。", "prevented_criminal": True}, "referral": {}}
    dialog.submit()
    qtbot.waitUntil(lambda: shown(window, case_id, summary="楼上卫生间漏水，致楼下吊顶受损。", prevented_criminal=True), timeout=10_000)


def test_a_party_is_added_and_removed_with_a_reason(desk_window, desk, qtbot):
    window, case_id = desk_window, register(desk)
    open_case(window, qtbot, case_id)
    panel = window.detail
    panel.tabs.setCurrentIndex(TAB_PARTIES)
    click(qtbot, panel.add_party_button)
    dialog = panel.corrections.dialog
    assert dialog.windowTitle() == "添加当事人" and not dialog.reveal_button.isVisible()
    dialog.editor.fields["phone"].editor.setText("1381234")
    dialog.submit()
    assert dialog.editor.fields["name"].error == "姓名不能为空" and dialog.editor.fields["phone"].error
    dialog.editor.fields["name"].editor.setText("王强")
    dialog.editor.fields["phone"].editor.setText("13600001111")
    dialog.submit()
    qtbot.waitUntil(lambda: shown(window, case_id) and len(panel.detail.parties) == 3, timeout=10_000)

    click(qtbot, _party_button(qtbot, panel, "party-remove-2"))
    dialog = panel.corrections.dialog
    dialog.submit()
    assert dialog.reason.error == "请写明删除原因"
    dialog.reason.editor.setText("重复登记")
    dialog.submit()
    qtbot.waitUntil(lambda: shown(window, case_id) and [p.name for p in panel.detail.parties] == ["张伟", "李秀英"], timeout=10_000)
    assert panel.detail.may_edit and not panel.edit_case_button.isHidden()


def test_a_police_referred_case_corrects_its_referral_too(desk_window, desk, qtbot):
    window, case_id = desk_window, register(desk, source="police_referral")
    open_case(window, qtbot, case_id)
    panel = window.detail
    click(qtbot, panel.edit_case_button)
    qtbot.waitUntil(lambda: panel.corrections.dialog is not None, timeout=10_000)
    dialog = panel.corrections.dialog
    assert dialog.referral_box is not None and dialog.fields["referral.incident_no"].text() == "JQ202611200001"
    dialog.fields["referral.incident_place"].editor.setText("华光城12幢楼下")
    assert dialog.values() == {"case": {}, "referral": {"incident_place": "华光城12幢楼下"}}
    dialog.submit()
    qtbot.waitUntil(lambda: shown(window, case_id) and panel.detail.referral.incident_place == "华光城12幢楼下", timeout=10_000)
