"""The 新建案件 dialog opened from the window and filled with a valid case (张伟 v 李秀英, a leaking ceiling)."""

from ui.common.fields import select_code


def open_dialog(window, qtbot):
    window.new_case_button.click()
    dialog = window.intake_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def fill_case(dialog, type_text) -> None:
    select_code(dialog.fields["source"].editor, "party_application")
    select_code(dialog.fields["dispute_type"].editor, "neighbour")
    select_code(dialog.fields["community"].editor, "华光城")
    select_code(dialog.fields["grid"].editor, "华光城第3网格")
    type_text(dialog.fields["summary"].editor, "楼上卫生间漏水致楼下吊顶受损。")
    dialog.fields["claims"].editor.setPlainText("被申请人赔偿维修费用\n被申请人修复防水层")
    type_text(dialog.fields["amount_yuan"].editor, "12000.00")
    applicant, respondent = dialog.parties
    type_text(applicant.fields["name"].editor, "张伟")
    type_text(respondent.fields["name"].editor, "李秀英")
