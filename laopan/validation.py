"""Checks and masks for identity numbers, phone numbers and credit codes; the rules on times, dates and amounts
that a dialog checks as the user leaves a field and the service checks again when saving.

Pure standard library. Every refusal is a `ValidationError` whose message is
Chinese and meant to be shown to the user as is (under the field, or as "field: message").
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from laopan.errors import ValidationError

__all__ = [
    "ValidationError", "ResidentId", "check_resident_id", "check_phone", "check_mobile",
    "check_credit_code", "mask_id_number", "mask_phone", "mask_address",
    "check_not_future", "check_not_before", "check_not_after", "check_day_not_after_today", "yuan_to_fen",
    "parse_local_time", "TIME_HINT",
]


@dataclass(frozen=True)
class ResidentId:
    """A checked resident identity number and what it encodes."""

    number: str
    birth_date: datetime.date
    sex: str
    legacy: bool
    warnings: tuple[str, ...] = ()


_EMPTY = "不能为空"
_ID_FORMAT = "应为18位（或15位旧号码），只能含数字和末位X"
_ID_AREA = "前6位地区码无效"
_ID_CHECKSUM = "校验位错误"
_ID_DATE_INVALID = "出生日期无效"
_ID_DATE_FUTURE = "出生日期晚于今天"
_ID_LEGACY_WARNING = "15位旧身份证号，请核对后换用18位号码"
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
_EARLIEST_BIRTH = datetime.date(1800, 1, 1)
_SEX_WORDS = {"male": "male", "男": "male", "female": "female", "女": "female"}
_SEX_LABELS = {"male": "男性", "female": "女性"}

_PHONE_INVALID = "不是有效的手机号或固定电话"
_MOBILE_INVALID = "不是有效的手机号"
_LANDLINE_NEEDS_AREA = "固定电话请带区号，如0574-87654321"
_MOBILE_RE = re.compile(r"1[3-9]\d{9}")
_PHONE_JUNK_RE = re.compile(r"[\s\-()]")

_CREDIT_FORMAT = "应为18位，由数字和大写字母组成（不含I、O、Z、S、V）"
_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)



def _squeeze(value: str | None) -> str:
    """Folds full-width characters to ASCII and removes all whitespace."""
    text = unicodedata.normalize("NFKC", value or "")
    return re.sub(r"\s+", "", text)


def _format_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS))
    return _ID_CHECK_CHARS[total % 11]


def _birth_date(digits: str, field: str, today: datetime.date) -> datetime.date:
    try:
        day = datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise ValidationError(field, _ID_DATE_INVALID) from None
    if day < _EARLIEST_BIRTH:
        raise ValidationError(field, _ID_DATE_INVALID)
    if day > today:
        raise ValidationError(field, _ID_DATE_FUTURE)
    return day


def check_resident_id(
    value: str, *, field: str = "身份证号", today: datetime.date,
    sex: str | None = None, birth_date: datetime.date | None = None,
) -> ResidentId:
    """Checks an 18-digit (GB 11643) or 15-digit legacy resident ID number.

    The address code is not looked up: only its first digit must be 1-9.

    Args:
        value: The number as typed; spaces and a lowercase x are tolerated.
        field: Field name used in errors.
        today: Birth dates after this day are refused.
        sex: If given ("male"/"female", or "男"/"女"), must match the number.
        birth_date: If given, must match the number.

    Returns:
        The normalised number with its birth date, sex and warnings.

    Raises:
        ValidationError: The number is malformed or disagrees with sex/birth_date.
    """
    number = _squeeze(value).upper()
    if not number:
        raise ValidationError(field, _EMPTY)
    if re.fullmatch(r"\d{17}[\dX]", number):
        legacy = False
    elif re.fullmatch(r"\d{15}", number):
        legacy = True
    else:
        raise ValidationError(field, _ID_FORMAT)
    if number[0] == "0":
        raise ValidationError(field, _ID_AREA)
    if legacy:
        born = _birth_date("19" + number[6:12], field, today)
        sex_digit = int(number[14])
        warnings: tuple[str, ...] = (_ID_LEGACY_WARNING,)
    else:
        if _id_check_char(number[:17]) != number[17]:
            raise ValidationError(field, _ID_CHECKSUM)
        born = _birth_date(number[6:14], field, today)
        sex_digit = int(number[16])
        warnings = ()
    encoded_sex = "male" if sex_digit % 2 else "female"
    if birth_date is not None and birth_date != born:
        raise ValidationError(field, f"与出生日期不符：身份证号对应{_format_date(born)}")
    if sex is not None:
        if sex not in _SEX_WORDS:
            raise ValueError(f"sex must be 'male' or 'female', got {sex!r}")
        if _SEX_WORDS[sex] != encoded_sex:
            raise ValidationError(field, f"与性别不符：身份证号对应{_SEX_LABELS[encoded_sex]}")
    return ResidentId(number, born, encoded_sex, legacy, warnings)


def _phone_digits(value: str) -> str:
    """Strips separators and a country prefix that precedes a mobile number."""
    text = _PHONE_JUNK_RE.sub("", unicodedata.normalize("NFKC", value or ""))
    for prefix in ("+86", "0086", "86"):
        rest = text[len(prefix):]
        if text.startswith(prefix) and _MOBILE_RE.fullmatch(rest):
            return rest
    return text


def check_phone(value: str, *, field: str = "电话") -> str:
    """Checks a mobile or landline number.

    Returns:
        11 digits for a mobile, "area-local" (e.g. "0574-87654321") for a landline.

    Raises:
        ValidationError: Empty, malformed, or a landline without area code.
            Extensions are not supported.
    """
    digits = _phone_digits(value)
    if not digits:
        raise ValidationError(field, _EMPTY)
    if _MOBILE_RE.fullmatch(digits):
        return digits
    if re.fullmatch(r"0[1-9]\d+", digits):
        area_len = 3 if digits[1] in "12" else 4
        area, local = digits[:area_len], digits[area_len:]
        if re.fullmatch(r"\d{7,8}", local):
            return f"{area}-{local}"
    elif re.fullmatch(r"[1-9]\d{6,7}", digits):
        raise ValidationError(field, _LANDLINE_NEEDS_AREA)
    raise ValidationError(field, _PHONE_INVALID)


def check_mobile(value: str, *, field: str = "手机号") -> str:
    """Checks a mainland mobile number and returns its 11 digits."""
    digits = _phone_digits(value)
    if not digits:
        raise ValidationError(field, _EMPTY)
    if not _MOBILE_RE.fullmatch(digits):
        raise ValidationError(field, _MOBILE_INVALID)
    return digits


def check_credit_code(value: str, *, field: str = "统一社会信用代码") -> str:
    """Checks a unified social credit code (GB 32100-2015) and returns it upper-case."""
    code = _squeeze(value).upper()
    if not code:
        raise ValidationError(field, _EMPTY)
    if len(code) != 18 or any(c not in _CREDIT_CHARS for c in code):
        raise ValidationError(field, _CREDIT_FORMAT)
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(code, _CREDIT_WEIGHTS))
    if _CREDIT_CHARS[(31 - total % 31) % 31] != code[17]:
        raise ValidationError(field, _ID_CHECKSUM)
    return code


def _keep_ends(text: str, head: int, tail: int) -> str:
    """Keeps `head` and `tail` characters and stars the rest; all stars if too short."""
    if len(text) <= head + tail:
        return "*" * len(text)
    return text[:head] + "*" * (len(text) - head - tail) + text[len(text) - tail:]


def mask_id_number(value: str | None) -> str:
    """Masks an ID number so it cannot be rebuilt: at most the last 4 characters stay, and for a resident ID
    (18 or 15 digits) the birth year, "**************1234（1985年生）". Neither the district (first 6 digits)
    nor the birth month and day are shown: with those the remaining digits are a guess away."""
    text = (value or "").strip()
    year = _id_birth_year(text)
    if len(text) < 8:
        return "*" * len(text)
    stars = _keep_ends(text, 0, 4)
    return f"{stars}（{year}年生）" if year else stars


def _id_birth_year(text: str) -> str | None:
    if len(text) == 18 and text[6:10].isdigit():
        return text[6:10]
    if len(text) == 15 and text.isdigit():
        return "19" + text[6:8]
    return None


def mask_phone(value: str | None) -> str:
    """Masks a phone: only the last 4 digits stay, "*******5678", "********4321"."""
    text = (value or "").strip()
    if not text:
        return ""
    try:
        phone = check_phone(text).replace("-", "")
    except ValidationError:
        phone = text
    return _keep_ends(phone, 0, 4)


_NUMBER_PART = re.compile(r"[0-9０-９]|[一二三四五六七八九十百千零〇两]+[号幢栋楼层室单弄组排]")


def mask_address(value: str | None) -> str:
    """Keeps the address up to its community/street part and hides the building, room and door numbers:
    "宁波市鄞州区东柳街道华光城12幢2单元301室" → "宁波市鄞州区东柳街道华光城****".

    Everything from the first number on (12幢, 一百二十号…) is hidden; an address without a number is kept
    whole (it names no door)."""
    text = (value or "").strip()
    if not text:
        return ""
    first_number = _NUMBER_PART.search(text)
    return (text[: first_number.start()] if first_number else text) + "****"


# ---------------------------------------------------------------------- times, dates, amounts

TIME_HINT = "2026-11-27 07:10"
_TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d %H:%M")
_AMOUNT_FORMAT = "金额格式不对，应为数字，如 12000.00"


def check_not_future(at: datetime.datetime, *, now: datetime.datetime, field: str, what: str = "") -> datetime.datetime:
    """Refuses an instant after `now` ("<what>晚于现在"): the desk records what has happened."""
    if at > now:
        raise ValidationError(field, f"{what}晚于现在")
    return at


def check_not_before(
    at: datetime.datetime, earliest: datetime.datetime, *, field: str, earliest_name: str, shown: str | None = None,
) -> datetime.datetime:
    """Refuses an instant before the event it follows: "早于警情移交时间", with `shown` (the time) in brackets."""
    if at < earliest:
        raise ValidationError(field, f"早于{earliest_name}" + (f"（{shown}）" if shown else ""))
    return at


def check_not_after(at: datetime.datetime, latest: datetime.datetime, *, field: str, latest_name: str) -> datetime.datetime:
    """Refuses an instant after the event it precedes: "晚于移交时间"."""
    if at > latest:
        raise ValidationError(field, f"晚于{latest_name}")
    return at


def check_day_not_after_today(day: datetime.date, *, today: datetime.date, field: str, what: str = "") -> datetime.date:
    """Refuses a date after today ("<what>晚于今天"), e.g. a birth date."""
    if day > today:
        raise ValidationError(field, f"{what}晚于今天")
    return day


MAX_YUAN = Decimal("999999999.99")  # ¥999,999,999.99: fits 64-bit fen on SQLite and PostgreSQL alike


def yuan_to_fen(text: str, *, field: str = "标的额") -> int:
    """"12000.00" (thousands commas allowed) → 1200000 fen, exactly (no floats); not negative, at most two decimals."""
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        raise ValidationError(field, _AMOUNT_FORMAT) from None
    if not value.is_finite():
        raise ValidationError(field, _AMOUNT_FORMAT)
    if value < 0:
        raise ValidationError(field, "金额不能为负数")
    if value > MAX_YUAN:  # checked before quantize, which cannot hold 1e400 (decimal.InvalidOperation)
        raise ValidationError(field, "金额过大：最多 999999999.99 元")
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(field, "金额最多两位小数")
    return int(value * 100)


def parse_local_time(text: str, zone: ZoneInfo, *, field: str = "时间") -> datetime.datetime:
    """"2026-11-27 07:10" (also with seconds, a T or slashes) as an instant in the committee's zone."""
    for pattern in _TIME_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), pattern).replace(tzinfo=zone)
        except ValueError:
            continue
    raise ValidationError(field, f"时间格式应为 {TIME_HINT}")
