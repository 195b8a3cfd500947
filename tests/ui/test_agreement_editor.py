"""The agreement editor without a database: clauses added, reordered and removed, the live uppercase amount,
empty dates, errors under their fields, and the print helpers' page order."""

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from laopan.models.enums import AgreementKind
from laopan.inputs import ClauseSpec
from laopan.validation import ValidationError
from ui.agreements.editor import AgreementEditor, clean_amount
from ui.agreements.preview import CheckPanel
from ui.agreements.printing import page_sequence, prepare_printer

TODAY = dt.date(2026, 11, 27)
PARTIES = ["申请人张伟", "被申请人李秀英", "第三人宁波某物业有限公司"]


@pytest.fixture
def editor(qtbot) -> AgreementEditor:
    widget = AgreementEditor(TODAY)
    qtbot.addWidget(widget)
    widget.load(None, (), PARTIES)
    widget.show()
    return widget


def test_clauses_can_be_added_reordered_and_removed_and_the_draft_keeps_their_order(editor, qtbot):
    assert len(editor.clauses) == 1 and not editor.clauses[0].remove_button.isEnabled()  # at least one clause
    editor.clauses[0].text_edit.setPlainText("被申请人于2026年12月5日前修复卫生间防水层。")
    editor.add_payment_button.click()
    payment = editor.clauses[1]
    payment.amount_edit.setText("6,500")
    payment.deadline_edit.set_value(dt.date(2026, 12, 10))
    editor.add_text_button.click()
    editor.clauses[2].text_edit.setPlainText("双方再无其他争议。")
    assert [row.number_label.text() for row in editor.clauses] == ["第1条", "第2条", "第3条"]

    with qtbot.waitSignal(editor.edited):
        payment.up_button.click()
    assert editor.clauses[0] is payment and not payment.up_button.isEnabled()
    draft = editor.draft()
    assert [spec.kind for spec in draft.clauses] == ["payment", "text", "text"]
    assert draft.clauses[0] == ClauseSpec(kind="payment", payer="被申请人李秀英", payee="申请人张伟", amount="6500",
                                          deadline=dt.date(2026, 12, 10), method="银行转账")

    editor.clauses[1].remove_button.click()
    assert [spec.text for spec in editor.draft().clauses[1:]] == ["双方再无其他争议。"]
    editor.add_text_button.click()  # an empty clause is left out of the draft, as the service would
    assert len(editor.draft().clauses) == 2 and draft.kind is AgreementKind.WRITTEN


def test_the_uppercase_amount_follows_the_typing_and_says_what_is_wrong(editor):
    row = editor.add_clause("payment")
    for typed, upper in (("10010.05", "人民币壹万零壹拾元零伍分"), ("￥8,000", "人民币捌仟元整"), ("0.5", "人民币伍角")):
        row.amount_edit.setText(typed)
        assert row.uppercase() == upper
    row.amount_edit.setText("八千")
    assert row.uppercase() == "金额应为数字，最多两位小数，如 8000.00" and row.generated_text() == ""
    row.method_combo.setCurrentText("微信")
    row.amount_edit.setText("120")
    row.deadline_edit.set_value(dt.date(2026, 12, 1))
    row.payer_combo.setCurrentText("第三人宁波某物业有限公司")
    assert row.generated_text() == "第三人宁波某物业有限公司于2026年12月1日前以微信方式一次性向申请人张伟支付人民币壹佰贰拾元整（￥120.00）。"
    assert clean_amount(" 8 000元 ") == "8000"


def test_an_empty_date_shows_as_unfilled_and_delete_empties_it_again(editor, qtbot):
    deadline = editor.fields["performance_deadline"].editor
    assert deadline.value() is None and deadline.text() == "未填"
    deadline.set_value(dt.date(2026, 12, 10))
    assert editor.draft().performance_deadline == dt.date(2026, 12, 10)
    qtbot.keyClick(deadline, Qt.Key.Key_Delete)
    assert deadline.value() is None and editor.draft().performance_deadline is None


def test_errors_go_under_their_fields_and_the_panel_links_back_to_them(editor, qtbot):
    payment = editor.add_clause("payment")
    editor.draft()  # the empty first clause is not sent: the payment is 协议条款[1] for the service
    unmapped = editor.show_errors([
        ValidationError("纠纷主要事实", "不能为空"), ValidationError("协议条款[1].期限", "不能为空"),
        ValidationError("当事人[1] 张伟", "缺少身份证件号码"),
    ])
    assert editor.fields["facts"].error == "不能为空" and payment.parts["deadline"].error == "不能为空"
    assert [str(e) for e in unmapped] == ["当事人[1] 张伟: 缺少身份证件号码"]  # the parties are edited elsewhere

    panel = CheckPanel()
    qtbot.addWidget(panel)
    panel.set_check([ValidationError("争议事项", "不能为空")], ["履行地点: 建议写明"])
    assert panel.errors == ("争议事项：不能为空",) and panel.warnings == ("履行地点: 建议写明",)
    assert panel.title_label.text() == "须补全 1 项才能定稿；1 项提示"
    with qtbot.waitSignal(panel.field_activated) as activated:
        panel.body_label.linkActivated.emit("争议事项")
    assert activated.args == ["争议事项"] and editor.focus_field("争议事项") is editor.fields["matters"].editor


def test_a_read_only_editor_hides_the_clause_buttons_and_emits_no_edits(editor, qtbot):
    editor.set_read_only(True)
    assert not editor.add_text_button.isVisible() and not editor.clauses[0].up_button.isVisible()
    assert editor.fields["facts"].editor.isReadOnly() and not editor.kind_combo.isEnabled()
    with qtbot.assertNotEmitted(editor.edited):
        editor.fields["facts"].editor.setPlainText("不应触发保存")


def test_print_order_repeats_collated_copies_and_respects_the_page_range(qapp):
    assert page_sequence(2, copies=3, collate=True) == [0, 1, 0, 1, 0, 1]
    assert page_sequence(2, copies=2, collate=False) == [0, 0, 1, 1]
    assert page_sequence(3, copies=1, collate=True, first=2, last=3) == [1, 2]
    printer = prepare_printer(4, document_name="人民调解协议书 （2026）东柳人调字第001号")
    assert printer.copyCount() == 4 and printer.docName().endswith("第001号")
    assert printer.pageLayout().pageSize().id().name == "A4"
