"""Money in agreement clauses: Chinese uppercase amounts (大写金额), and the check that both forms agree.

The uppercase form follows the bank rules for 票据和结算凭证 (中国人民银行《支付结算办法》附件一): 壹拾 keeps its
壹, a run of zeros inside a four-digit group is one 零, a group that starts with zeros after a higher group
gets one 零 (壹万零壹拾), the 元 place being zero before 角 is not written (陆仟伍佰元伍角), 角 being zero before
分 is (壹万零壹拾元零伍分), and an amount ending at 元 ends with 整.
"""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from laopan.clock import format_date_cn
from laopan.validation import ValidationError

__all__ = [
    "AmountPair", "amount_pairs", "check_amounts", "format_figures", "instalment_clause", "parse_uppercase", "payment_clause",
    "to_uppercase",
]

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("", "拾", "佰", "仟")
GROUPS = ("", "万", "亿")
LIMIT = Decimal(10) ** 12  # below 壹万亿元: 亿 is the largest group word used
PREFIX = "人民币"


def _group(digits: str) -> str:
    """One group of up to four digits: "0010" → 零壹拾, "1010" → 壹仟零壹拾; trailing zeros say nothing."""
    words = []
    zero = False
    for index, digit in enumerate(digits):
        if digit == "0":
            zero = True
            continue
        if zero:
            words.append("零")
        zero = False
        words.append(DIGITS[int(digit)] + PLACES[len(digits) - 1 - index])
    return "".join(words)


def _integer_words(value: int) -> str:
    """壹亿零壹仟 for 100001000: groups of four digits under 亿 and 万, lower groups padded so leading zeros read 零."""
    text = str(value)
    groups = [text[max(0, end - 4):end] for end in range(len(text), 0, -4)][::-1]
    words = []
    skipped = False
    for index, digits in enumerate(groups):
        if int(digits) == 0:
            skipped = bool(words)
            continue
        part = _group(digits.rjust(4, "0") if index else digits)
        if skipped and not part.startswith("零"):
            part = "零" + part
        skipped = False
        words.append(part + GROUPS[len(groups) - 1 - index])
    return "".join(words)


def to_uppercase(amount: Decimal, *, prefix: str = PREFIX) -> str:
    """`Decimal("10010.05")` → "人民币壹万零壹拾元零伍分".

    Raises:
        ValueError: negative, more than two decimal places, not finite, or 壹万亿元 and above.
    """
    if not isinstance(amount, Decimal):
        raise TypeError("amount must be a Decimal (floats cannot hold 角 and 分 exactly)")
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"金额无效：{amount}")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"金额最多两位小数（分）：{amount}")
    if amount >= LIMIT:
        raise ValueError(f"金额过大：{amount}")
    fen_total = int(amount * 100)
    yuan, rest = divmod(fen_total, 100)
    jiao, fen = divmod(rest, 10)
    words = _integer_words(yuan)
    if yuan:
        words += "元"
    if jiao:
        words += DIGITS[jiao] + "角"
    elif fen and yuan:
        words += "零"
    if fen:
        words += DIGITS[fen] + "分"
    if not yuan and not jiao and not fen:
        words = "零元"
    if not fen and not jiao:
        words += "整"
    return prefix + words


def format_figures(amount: Decimal) -> str:
    """`Decimal("8000")` → "￥8000.00" (full-width yuan sign, two decimals, no grouping)."""
    return f"￥{amount.quantize(Decimal('0.01')):f}"


_UNIT_VALUES = {"拾": 10, "佰": 100, "仟": 1000}
_UPPER_CHARS = DIGITS + "拾佰仟万亿元圆角分整正"


def parse_uppercase(text: str) -> Decimal:
    """"人民币陆仟伍佰元整" → Decimal("6500.00"). Tolerates 圆 for 元, 正 for 整 and a missing 壹 before 拾.

    Raises:
        ValueError: not an uppercase amount.
    """
    words = text.strip()
    if words.startswith(PREFIX):
        words = words[len(PREFIX):]
    words = words.rstrip("整正").replace("圆", "元")
    if not words or any(ch not in _UPPER_CHARS for ch in words):
        raise ValueError(f"不是大写金额：{text}")
    integer_part, _, fraction = words.partition("元")
    if "元" not in words:
        integer_part, fraction = "", words
    total = _parse_integer(integer_part, text)
    fen = 0
    match = re.fullmatch(r"零?(?:([壹贰叁肆伍陆柒捌玖])角)?零?(?:([壹贰叁肆伍陆柒捌玖])分)?", fraction)
    if match is None:
        raise ValueError(f"角分写法无法识别：{text}")
    if match.group(1):
        fen += DIGITS.index(match.group(1)) * 10
    if match.group(2):
        fen += DIGITS.index(match.group(2))
    return (Decimal(total) + Decimal(fen) / 100).quantize(Decimal("0.01"))


def _parse_integer(words: str, original: str) -> int:
    total = 0  # completed 亿 part
    section = 0  # below 亿: completed 万 part plus the current group
    group = 0
    digit: int | None = None
    for ch in words:
        if ch in DIGITS:
            if digit is not None and ch != "零":
                raise ValueError(f"数位缺失：{original}")
            digit = DIGITS.index(ch) if ch != "零" else None
        elif ch in _UNIT_VALUES:
            group += (1 if digit is None else digit) * _UNIT_VALUES[ch]
            digit = None
        elif ch == "万":
            section += (group + (digit or 0)) * 10_000
            group, digit = 0, None
        elif ch == "亿":
            total += (section + group + (digit or 0)) * 100_000_000
            section, group, digit = 0, 0, None
        else:
            raise ValueError(f"不是大写金额：{original}")
    return total + section + group + (digit or 0)


@dataclass(frozen=True)
class AmountPair:
    """An amount written in both forms, as found in a text."""

    words: str
    figures: str
    words_value: Decimal | None
    figures_value: Decimal | None

    @property
    def agrees(self) -> bool:
        return self.words_value is not None and self.words_value == self.figures_value


_WORDS = (  # starts on a digit (or 人民币拾…), so a word like 调整 before the amount is not taken in
    rf"(?:{PREFIX}[{DIGITS}拾]|[{DIGITS}])[{DIGITS}拾佰仟万亿元圆角分]*[元圆角分][整正]?"
)
_FIGURES = r"(?:人民币)?\s*[￥¥]?\s*\d[\d,]*(?:\.\d+)?\s*元?"
_OPEN, _CLOSE = r"\s*[（(]\s*", r"\s*[）)]"
_PAIR_RE = re.compile(
    rf"(?P<words>{_WORDS}){_OPEN}(?P<figures>{_FIGURES}){_CLOSE}"
    rf"|(?P<figures2>[￥¥]\s*\d[\d,]*(?:\.\d+)?\s*元?|\d[\d,]*(?:\.\d+)?\s*元){_OPEN}(?P<words2>{_WORDS}){_CLOSE}"
)


def _figures_value(figures: str) -> Decimal | None:
    digits = re.sub(r"[^\d.]", "", figures)
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def amount_pairs(text: str) -> list[AmountPair]:
    """Every "大写（小写）" or "小写（大写）" pair in `text`, e.g. 人民币陆仟伍佰元整（￥6500.00）."""
    pairs = []
    for match in _PAIR_RE.finditer(text):
        words = match.group("words") or match.group("words2")
        figures = match.group("figures") or match.group("figures2")
        try:
            words_value: Decimal | None = parse_uppercase(words)
        except ValueError:
            words_value = None
        pairs.append(AmountPair(words=words.strip(), figures=figures.strip(), words_value=words_value,
                                figures_value=_figures_value(figures)))
    return pairs


def check_amounts(text: str, *, field: str = "协议条款") -> list[ValidationError]:
    """One error per amount pair in `text` whose uppercase and figures disagree (or cannot be read)."""
    errors = []
    for pair in amount_pairs(text):
        if pair.words_value is None:
            errors.append(ValidationError(field, f"大写金额“{pair.words}”写法无法识别"))
        elif pair.figures_value is None:
            errors.append(ValidationError(field, f"小写金额“{pair.figures}”无法识别"))
        elif not pair.agrees:
            errors.append(ValidationError(
                field,
                f"大写金额“{pair.words}”（{pair.words_value:f}元）与小写金额“{pair.figures}”不一致，"
                f"{pair.figures_value:f}元应写作“{_uppercase_or_blank(pair.figures_value)}”",
            ))
    return errors


def _uppercase_or_blank(value: Decimal) -> str:
    try:
        return to_uppercase(value)
    except ValueError:
        return "？"


def payment_clause(payer: str, payee: str, amount: Decimal, deadline: dt.date, method: str) -> str:
    """"被申请人李四于2026年10月30日前以银行转账方式一次性向申请人张三支付人民币捌仟元整（￥8000.00）。"

    `payer` and `payee` are written as they should read, role included ("被申请人李四").
    """
    way = method.strip()
    if not way.endswith("方式"):
        way += "方式"
    return (
        f"{payer}于{format_date_cn(deadline)}前以{way}一次性向{payee}支付"
        f"{to_uppercase(amount)}（{format_figures(amount)}）。"
    )


def instalment_clause(payer: str, payee: str, payments: list[tuple[dt.date, Decimal]], method: str) -> str:
    """"被申请人李某分三期向申请人张某支付人民币玖仟元整（￥9000.00）：第一期于2026年12月10日前支付人民币叁仟元整
    （￥3000.00）；第二期……；第三期……。以上款项以银行转账方式支付。"

    The total is the sum of the payments; each one is written in both forms, like any amount of an agreement.
    """
    from laopan.documents.model import chinese_numeral

    total = sum((amount for _, amount in payments), Decimal(0))
    way = method.strip()
    if not way.endswith("方式"):
        way += "方式"
    steps = "；".join(
        f"第{chinese_numeral(number)}期于{format_date_cn(deadline)}前支付{to_uppercase(amount)}（{format_figures(amount)}）"
        for number, (deadline, amount) in enumerate(payments, 1)
    )
    return (
        f"{payer}分{'两' if len(payments) == 2 else chinese_numeral(len(payments))}期向{payee}支付{to_uppercase(total)}（{format_figures(total)}）："
        f"{steps}。以上款项以{way}支付。"
    )
