"""The payment clause's instalment rows in the agreement editor: added and removed as date + amount rows, the
generated text live, the draft carrying the plan, a saved plan loaded back, and errors shown under the rows."""

import datetime as dt

import pytest

from laopan.inputs import ClauseSpec, Instalment
from laopan.validation import ValidationError
from ui.agreements.editor import AgreementEditor

TODAY = dt.date(2026, 11, 27)
PARTIES = ["申请人张伟", "被申请人李秀英"]
PLAN = ClauseSpec(kind="instalments", payer="被申请人李秀英", payee="申请人张伟", amount="9000", method="银行转账",
                  instalments=(Instalment(dt.date(2026, 12, 10), "3000"), Instalment(dt.date(2027, 1, 10), "3000"),
                               Instalment(dt.date(2027, 2, 10), "3000")))


@pytest.fixture
def editor(qtbot) -> AgreementEditor:
    widget = AgreementEditor(TODAY)
    qtbot.addWidget(widget)
    widget.load(None, (), PARTIES)
    widget.show()
    return widget


def test_instalments_are_typed_as_rows_under_the_payment_and_read_back(editor):
    row = editor.add_clause("payment")
    row.amount_edit.setText("9000")
    row.instalment_rows.add_button.click()  # a plan starts with two rows
    assert len(row.instalment_rows.rows) == 2 and row.parts["deadline"].isHidden()  # each row has its own date
    row.instalment_rows.add_button.click()
    for (date, amount, _), item in zip(row.instalment_rows.rows, PLAN.instalments):
        date.set_value(item.deadline)
        amount.setText(item.amount)
    assert row.generated_text().startswith("被申请人李秀英分三期向申请人张伟支付人民币玖仟元整（￥9000.00）：第一期于2026年12月10日前")
    assert editor.draft().clauses[-1] == PLAN

    row.instalment_rows.rows[1][2].click()  # 删除 the second row: the others close up
    assert [amount.text() for _, amount, _ in row.instalment_rows.rows] == ["3000", "3000"]
    assert [date.value() for date, _, _ in row.instalment_rows.rows] == [dt.date(2026, 12, 10), dt.date(2027, 2, 10)]
    assert row.generated_text() == ""  # 6000 against a total of 9000: not a text to print
    while row.instalment_rows.rows:
        row.instalment_rows.rows[0][2].click()
    assert editor.draft().clauses[-1].kind == "payment" and not row.parts["deadline"].isHidden()


def test_a_saved_plan_loads_into_its_rows_and_errors_show_under_them(editor):
    editor.load(None, (PLAN,), PARTIES)
    (row,) = editor.clauses
    assert row.kind == "payment" and [amount.text() for _, amount, _ in row.instalment_rows.rows] == ["3000", "3000", "3000"]
    assert editor.draft().clauses == (PLAN,)
    editor.show_errors([ValidationError("协议条款[1].分期[2].期限", "2026-12-10 应晚于上一期的 2027-01-10")])
    assert "应晚于上一期" in row.parts["instalments"].error
