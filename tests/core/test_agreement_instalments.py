"""Issue 12 item 5: payment by instalments — the generated clause, its rules, the check and the days money falls
due (follow-up visits are scheduled from them)."""

import dataclasses
import datetime as dt

import pytest

from laopan.errors import Refused
from laopan.inputs import ClauseSpec, Instalment
from laopan.services import agreements
from tests.helpers.scenarios import DRAFT, mediating_case

PLAN = ClauseSpec(
    kind="instalments", payer="被申请人李秀英", payee="申请人张伟", amount="9000.00", method="银行转账",
    instalments=(Instalment(dt.date(2026, 12, 10), "3000.00"), Instalment(dt.date(2027, 1, 10), "3000.00"),
                 Instalment(dt.date(2027, 2, 10), "3000.00")),
)
TEXT = ClauseSpec(kind="text", text="被申请人于2026年12月5日前修复卫生间防水层。")


def save(desk, case_id, *clauses: ClauseSpec, **changes):
    draft = dataclasses.replace(DRAFT, clauses=clauses, **changes)
    with desk.session() as session:
        return agreements.save_draft(session, actor=desk.actor, case_id=case_id, draft=draft, expected_version=None)


def check(desk, case_id) -> list[str]:
    with desk.reading() as session:
        return [str(error) for error in agreements.check_agreement(session, actor=desk.actor, case_id=case_id).errors]


def refusal(desk, case_id, plan: ClauseSpec) -> list[str]:
    with pytest.raises(Refused) as refused:
        save(desk, case_id, plan)
    return [str(error) for error in refused.value.errors]


def test_an_instalment_plan_reads_as_numbered_instalments_in_both_forms(desk):
    case_id = mediating_case(desk)
    state = save(desk, case_id, PLAN, TEXT)
    with desk.reading() as session:
        from laopan.services.cases import case_detail

        clause = case_detail(session, actor=desk.actor, case_id=case_id).agreement.clauses[0]
    assert clause == (
        "被申请人李秀英分三期向申请人张伟支付人民币玖仟元整（￥9000.00）："
        "第一期于2026年12月10日前支付人民币叁仟元整（￥3000.00）；"
        "第二期于2027年1月10日前支付人民币叁仟元整（￥3000.00）；"
        "第三期于2027年2月10日前支付人民币叁仟元整（￥3000.00）。以上款项以银行转账方式支付。"
    )
    assert state.clause_specs[0] == PLAN  # read back as saved
    assert check(desk, case_id) == []


def test_two_instalments_read_as_two_and_the_total_may_be_left_out():
    plan = dataclasses.replace(PLAN, amount="", instalments=(Instalment(dt.date(2026, 12, 10), "1000.50"),
                                                            Instalment(dt.date(2026, 12, 31), "500")))
    assert plan.render(1).startswith("被申请人李秀英分两期向申请人张伟支付人民币壹仟伍佰元伍角（￥1500.50）：第一期")


def test_a_plan_survives_its_json_round_trip():
    assert ClauseSpec.from_json(PLAN.as_json()) == PLAN
    assert PLAN.as_json()["instalments"][1] == {"deadline": "2027-01-10", "amount": "3000.00"}


def test_the_plan_refuses_what_would_print_wrong(desk):
    case_id = mediating_case(desk)
    first, second, third = PLAN.instalments
    assert refusal(desk, case_id, dataclasses.replace(PLAN, instalments=(first,))) == ["协议条款[1].分期: 分期支付至少两期"]
    assert refusal(desk, case_id, dataclasses.replace(PLAN, instalments=(second, first, third))) == [
        "协议条款[1].分期[2].期限: 2026-12-10 应晚于上一期的 2027-01-10"]
    assert refusal(desk, case_id, dataclasses.replace(PLAN, instalments=(first, dataclasses.replace(second, amount="0"), third))) == [
        "协议条款[1].分期[2].金额: 应为大于零、最多两位小数的金额"]
    assert refusal(desk, case_id, dataclasses.replace(PLAN, amount="9500.00")) == [
        "协议条款[1].分期: 各期金额合计 9000.00 元，与总额 9500.00 元不符"]
    assert refusal(desk, case_id, dataclasses.replace(PLAN, instalments=(first, dataclasses.replace(second, deadline=None), third))) == [
        "协议条款[1].分期[2].期限: 不能为空"]


def test_an_instalment_due_before_signing_fails_the_check(desk):
    case_id = mediating_case(desk)
    early = dataclasses.replace(PLAN, instalments=(Instalment(dt.date(2026, 11, 20), "3000.00"), *PLAN.instalments[1:]))
    save(desk, case_id, early)
    assert check(desk, case_id) == ["协议条款[1].期限: 履行期限 2026-11-20 早于协议签署日期 2026-11-27"]


def test_the_days_money_falls_due_are_each_instalment_and_each_payment(desk):
    case_id = mediating_case(desk)
    with desk.reading() as session:
        assert agreements.payment_deadlines(session, case_id) == []
    payment = dataclasses.replace(DRAFT.clauses[0], deadline=dt.date(2027, 1, 10))  # the same day as an instalment
    save(desk, case_id, PLAN, payment, TEXT)
    with desk.reading() as session:
        assert agreements.payment_deadlines(session, case_id) == [
            dt.date(2026, 12, 10), dt.date(2027, 1, 10), dt.date(2027, 2, 10)]
    save(desk, case_id, TEXT)  # no structured payment: the performance deadline
    with desk.reading() as session:
        assert agreements.payment_deadlines(session, case_id) == [DRAFT.performance_deadline]
