"""Chinese uppercase amounts (大写金额), the both-forms check and the payment clause (DESIGN §4 agreement rules)."""

import datetime as dt
from decimal import Decimal

import pytest

from laopan.documents.money import (
    amount_pairs, check_amounts, format_figures, parse_uppercase, payment_clause, to_uppercase,
)

VECTORS = [
    ("0", "人民币零元整"),
    ("0.05", "人民币伍分"),
    ("0.5", "人民币伍角"),
    ("0.55", "人民币伍角伍分"),
    ("1", "人民币壹元整"),
    ("10", "人民币壹拾元整"),
    ("16", "人民币壹拾陆元整"),
    ("101", "人民币壹佰零壹元整"),
    ("110", "人民币壹佰壹拾元整"),
    ("325.04", "人民币叁佰贰拾伍元零肆分"),
    ("1000.5", "人民币壹仟元伍角"),
    ("1409.50", "人民币壹仟肆佰零玖元伍角"),
    ("1680.32", "人民币壹仟陆佰捌拾元叁角贰分"),
    ("6007.14", "人民币陆仟零柒元壹角肆分"),
    ("6500.50", "人民币陆仟伍佰元伍角"),
    ("8000", "人民币捌仟元整"),
    ("10000", "人民币壹万元整"),
    ("10010.05", "人民币壹万零壹拾元零伍分"),
    ("10100", "人民币壹万零壹佰元整"),
    ("30000.10", "人民币叁万元壹角"),
    ("100700", "人民币壹拾万零柒佰元整"),
    ("107000.53", "人民币壹拾万柒仟元伍角叁分"),
    ("1000000", "人民币壹佰万元整"),
    ("1007000", "人民币壹佰万柒仟元整"),
    ("20000000", "人民币贰仟万元整"),
    ("100000000", "人民币壹亿元整"),
    ("100000001", "人民币壹亿零壹元整"),
    ("100001000", "人民币壹亿零壹仟元整"),
    ("100010000", "人民币壹亿零壹万元整"),
    ("110000000", "人民币壹亿壹仟万元整"),
    ("2000100000", "人民币贰拾亿零壹拾万元整"),
    ("999999999999.99", "人民币玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
]


@pytest.mark.parametrize(("figures", "words"), VECTORS)
def test_uppercase_follows_the_bank_rules(figures, words):
    assert to_uppercase(Decimal(figures)) == words


@pytest.mark.parametrize(("figures", "words"), VECTORS)
def test_uppercase_reads_back_to_the_same_amount(figures, words):
    assert parse_uppercase(words) == Decimal(figures).quantize(Decimal("0.01"))


def test_trailing_zero_decimals_do_not_change_the_words():
    assert to_uppercase(Decimal("8000.00")) == to_uppercase(Decimal("8000")) == "人民币捌仟元整"
    assert to_uppercase(Decimal("6500.5")) == to_uppercase(Decimal("6500.50"))


def test_prefix_can_be_left_off():
    assert to_uppercase(Decimal("35"), prefix="") == "叁拾伍元整"


@pytest.mark.parametrize("bad", ["-1", "0.001", "1000000000000", "NaN", "Infinity"])
def test_amounts_that_cannot_be_written_are_refused(bad):
    with pytest.raises(ValueError):
        to_uppercase(Decimal(bad))


def test_a_float_is_refused_because_it_cannot_hold_fen_exactly():
    with pytest.raises(TypeError):
        to_uppercase(0.1)  # type: ignore[arg-type]


@pytest.mark.parametrize(("words", "value"), [
    ("人民币拾元整", "10.00"),  # 壹 missing before 拾: tolerated when reading
    ("壹佰圆正", "100.00"),  # 圆 and 正 are the older spellings
    ("人民币伍角", "0.50"),
    ("人民币零元整", "0.00"),
])
def test_reading_tolerates_common_variants(words, value):
    assert parse_uppercase(words) == Decimal(value)


@pytest.mark.parametrize("bad", ["人民币", "捌仟元整abc", "伍伍元", "八千元整"])
def test_reading_refuses_what_is_not_an_uppercase_amount(bad):
    with pytest.raises(ValueError):
        parse_uppercase(bad)


def test_figures_use_the_full_width_yuan_sign_and_two_decimals():
    assert format_figures(Decimal("8000")) == "￥8000.00"
    assert format_figures(Decimal("0.5")) == "￥0.50"


def test_pairs_are_found_in_both_orders_and_with_grouping():
    text = (
        "被申请人支付人民币陆仟伍佰元整（￥6500.00），另付￥300.00（人民币叁佰元整）；"
        "押金人民币伍仟元整(¥ 5,000.00元)，房租每月3000元（人民币叁仟元整）。"
    )
    pairs = amount_pairs(text)
    assert [(p.words, p.figures_value) for p in pairs] == [
        ("人民币陆仟伍佰元整", Decimal("6500.00")),
        ("人民币叁佰元整", Decimal("300.00")),
        ("人民币伍仟元整", Decimal("5000.00")),
        ("人民币叁仟元整", Decimal("3000")),
    ]
    assert all(p.agrees for p in pairs)
    assert check_amounts(text) == []


def test_a_word_before_the_amount_is_not_read_as_part_of_it():
    (pair,) = amount_pairs("赔偿金额调整为伍佰元整（￥500.00）")
    assert pair.words == "伍佰元整" and pair.agrees


def test_disagreeing_forms_are_reported_with_both_values():
    (error,) = check_amounts("支付人民币陆仟伍佰元整（￥6500.50）", field="协议.条款[1]")
    assert error.field == "协议.条款[1]"
    assert "人民币陆仟伍佰元整" in error.message and "￥6500.50" in error.message
    assert "人民币陆仟伍佰元伍角" in error.message  # what the figures should read


def test_unreadable_uppercase_in_a_pair_is_reported():
    (error,) = check_amounts("支付人民币伍伍元整（￥55.00）")
    assert "无法识别" in error.message


def test_text_without_pairs_has_nothing_to_check():
    assert check_amounts("被申请人于2026年10月30日前支付8000元。") == []
    assert amount_pairs("（2026）东柳人调字第087号") == []


def test_payment_clause_reads_as_an_agreement_clause():
    clause = payment_clause("被申请人李四", "申请人张三", Decimal("8000"), dt.date(2026, 10, 30), "银行转账")
    assert clause == "被申请人李四于2026年10月30日前以银行转账方式一次性向申请人张三支付人民币捌仟元整（￥8000.00）。"
    assert check_amounts(clause) == []


def test_payment_clause_does_not_double_the_word_method():
    clause = payment_clause("被申请人李四", "申请人张三", Decimal("6500.50"), dt.date(2026, 11, 27), "现金方式")
    assert "以现金方式一次性" in clause
    assert "人民币陆仟伍佰元伍角（￥6500.50）" in clause
