"""Tests for laopan.validation."""

import datetime
import pickle
from zoneinfo import ZoneInfo

import pytest

from laopan.validation import (
    ResidentId,
    ValidationError,
    check_credit_code,
    check_day_not_after_today,
    check_mobile,
    check_not_after,
    check_not_before,
    check_not_future,
    check_phone,
    check_resident_id,
    mask_address,
    mask_id_number,
    mask_phone,
    parse_local_time,
    yuan_to_fen,
)

TODAY = datetime.date(2024, 6, 1)

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def make_id(first17: str) -> str:
    """Appends the GB 11643 check character (independent re-implementation)."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS))
    return first17 + "10X98765432"[total % 11]


def make_credit(first17: str) -> str:
    """Appends the GB 32100 check character (independent re-implementation)."""
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS))
    return first17 + _CREDIT_CHARS[(31 - total % 31) % 31]


def refusal(func, value, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        func(value, **kwargs)
    return info.value


# --- ValidationError ---------------------------------------------------------


def test_validation_error_fields_and_str():
    err = ValidationError("身份证号", "校验位错误")
    assert err.field == "身份证号"
    assert err.message == "校验位错误"
    assert str(err) == "身份证号: 校验位错误"
    assert isinstance(err, ValueError)


def test_validation_error_at_returns_new_instance():
    err = ValidationError("身份证号", "校验位错误")
    moved = err.at("cases[2].parties[0].id_number")
    assert moved is not err
    assert isinstance(moved, ValidationError)
    assert moved.field == "cases[2].parties[0].id_number"
    assert moved.message == "校验位错误"
    assert str(moved) == "cases[2].parties[0].id_number: 校验位错误"
    assert err.field == "身份证号"


def test_validation_error_survives_pickle():
    err = pickle.loads(pickle.dumps(ValidationError("电话", "不能为空")))
    assert (err.field, err.message) == ("电话", "不能为空")


# --- Resident ID -------------------------------------------------------------


def test_generated_vectors_agree_with_known_ones():
    assert make_id("11010519491231002") == "11010519491231002X"
    assert make_id("44052418800101001") == "440524188001010014"
    assert make_id("36042619910101007") != "360426199101010072"


def test_female_vector_with_x():
    rid = check_resident_id("11010519491231002X", today=TODAY)
    assert rid == ResidentId(
        number="11010519491231002X",
        birth_date=datetime.date(1949, 12, 31),
        sex="female",
        legacy=False,
        warnings=(),
    )


def test_lowercase_x_and_spaces_normalised():
    rid = check_resident_id("  110105 19491231 002x ", today=TODAY)
    assert rid.number == "11010519491231002X"
    assert rid.sex == "female"


def test_fullwidth_input_normalised():
    rid = check_resident_id("１１０１０５１９４９１２３１００２ｘ", today=TODAY)
    assert rid.number == "11010519491231002X"


def test_born_1880_is_valid_male():
    rid = check_resident_id("440524188001010014", today=TODAY)
    assert rid.birth_date == datetime.date(1880, 1, 1)
    assert rid.sex == "male"
    assert rid.legacy is False


def test_bad_checksum_refused():
    err = refusal(check_resident_id, "360426199101010072", today=TODAY)
    assert err.field == "身份证号"
    assert err.message == "校验位错误"
    assert str(err) == "身份证号: 校验位错误"


def test_unknown_address_code_accepted():
    number = make_id("99010119900101001")
    assert number == "990101199001010019"
    rid = check_resident_id(number, today=TODAY)
    assert rid.birth_date == datetime.date(1990, 1, 1)
    assert rid.sex == "male"


def test_address_code_starting_with_zero_refused():
    err = refusal(check_resident_id, make_id("01010119900101001"), today=TODAY)
    assert err.field == "身份证号"


@pytest.mark.parametrize(
    "value",
    [
        "11010519491231002",  # 17 digits
        "1101051949123100212",  # 19 digits
        "1101051949123100X2",  # X not last
        "11010519491231002Y",
        "11010519491231A02X",
        "1101051949123",
        "11010549123100X",  # 15 with X
    ],
)
def test_wrong_shape_refused(value):
    err = refusal(check_resident_id, value, today=TODAY)
    assert err.message == "应为18位（或15位旧号码），只能含数字和末位X"


@pytest.mark.parametrize("value", ["", "   ", None])
def test_empty_id_refused(value):
    err = refusal(check_resident_id, value, today=TODAY, field="当事人身份证号")
    assert err.message == "不能为空"
    assert str(err) == "当事人身份证号: 不能为空"


@pytest.mark.parametrize("birth", ["19900230", "19901301", "19900100", "17991231"])
def test_impossible_birth_date_refused(birth):
    err = refusal(check_resident_id, make_id("110105" + birth + "001"), today=TODAY)
    assert err.message == "出生日期无效"


def test_future_birth_date_refused():
    number = make_id("11010520240602001")
    err = refusal(check_resident_id, number, today=TODAY)
    assert err.message == "出生日期晚于今天"
    born_today = make_id("11010520240601001")
    assert check_resident_id(born_today, today=TODAY).birth_date == TODAY


def test_earliest_allowed_birth_date():
    rid = check_resident_id(make_id("11010518000101002"), today=TODAY)
    assert rid.birth_date == datetime.date(1800, 1, 1)
    assert rid.sex == "female"


def test_custom_field_in_error():
    err = refusal(
        check_resident_id,
        "360426199101010072",
        today=TODAY,
        field="cases[2].parties[0].id_number",
    )
    assert str(err) == "cases[2].parties[0].id_number: 校验位错误"


def test_matching_sex_and_birth_date_accepted():
    rid = check_resident_id(
        "11010519491231002X",
        today=TODAY,
        sex="female",
        birth_date=datetime.date(1949, 12, 31),
    )
    assert rid.sex == "female"
    assert check_resident_id("11010519491231002X", today=TODAY, sex="女").sex == "female"


def test_birth_date_mismatch_refused():
    err = refusal(
        check_resident_id,
        "11010519491231002X",
        today=TODAY,
        birth_date=datetime.date(1950, 1, 1),
    )
    assert err.message == "与出生日期不符：身份证号对应1949年12月31日"
    assert err.field == "身份证号"


def test_sex_mismatch_refused():
    err = refusal(check_resident_id, "11010519491231002X", today=TODAY, sex="male")
    assert err.message == "与性别不符：身份证号对应女性"
    err = refusal(check_resident_id, "440524188001010014", today=TODAY, sex="female")
    assert err.message == "与性别不符：身份证号对应男性"


def test_unknown_sex_word_is_programming_error():
    with pytest.raises(ValueError) as info:
        check_resident_id("11010519491231002X", today=TODAY, sex="unknown")
    assert not isinstance(info.value, ValidationError)


def test_legacy_15_digit_accepted_with_warning():
    rid = check_resident_id("110105491231002", today=TODAY)
    assert rid.legacy is True
    assert rid.number == "110105491231002"
    assert rid.birth_date == datetime.date(1949, 12, 31)
    assert rid.sex == "female"
    assert rid.warnings == ("15位旧身份证号，请核对后换用18位号码",)
    assert check_resident_id("110105491231001", today=TODAY).sex == "male"


def test_legacy_15_digit_bad_date_refused():
    err = refusal(check_resident_id, "110105490230001", today=TODAY)
    assert err.message == "出生日期无效"


def test_legacy_15_digit_mismatch_refused():
    err = refusal(check_resident_id, "110105491231001", today=TODAY, sex="female")
    assert err.message == "与性别不符：身份证号对应男性"


def test_resident_id_is_frozen():
    rid = check_resident_id("11010519491231002X", today=TODAY)
    with pytest.raises(AttributeError):
        rid.sex = "male"


# --- Phones ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+86 138-1234-5678", "13812345678"),
        ("13812345678", "13812345678"),
        ("008613812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("(+86) 199 0000 1111", "19900001111"),
        ("0574 8765 4321", "0574-87654321"),
        ("0574-87654321", "0574-87654321"),
        ("(0574)87654321", "0574-87654321"),
        ("010-12345678", "010-12345678"),
        ("02112345678", "021-12345678"),
        ("0574-8765432", "0574-8765432"),
        ("０５７４－８７６５４３２１", "0574-87654321"),
    ],
)
def test_phone_normalised(raw, expected):
    assert check_phone(raw) == expected


@pytest.mark.parametrize("raw", ["87654321", "8765432"])
def test_landline_without_area_code_refused(raw):
    err = refusal(check_phone, raw)
    assert err.message == "固定电话请带区号，如0574-87654321"
    assert str(err) == "电话: 固定电话请带区号，如0574-87654321"


@pytest.mark.parametrize(
    "raw",
    [
        "12812345678",  # 12x is not a mobile prefix
        "1381234567",  # 10 digits
        "138123456789",  # 12 digits
        "0574-87654321转123",  # extensions not supported
        "0574-87654321 ext 12",
        "0574-87654321-123",
        "0574-123456",  # local too short
        "010-123456789",  # local too long
        "00-12345678",
        "+86 0574 87654321",
        "abc",
        "123456",
    ],
)
def test_invalid_phone_refused(raw):
    err = refusal(check_phone, raw, field="联系电话")
    assert err.message == "不是有效的手机号或固定电话"
    assert err.field == "联系电话"


@pytest.mark.parametrize("raw", ["", "  ", " - ", None])
def test_empty_phone_refused(raw):
    assert refusal(check_phone, raw).message == "不能为空"
    assert refusal(check_mobile, raw).message == "不能为空"


def test_mobile_accepts_only_mobiles():
    assert check_mobile("+86 138-1234-5678") == "13812345678"
    assert check_mobile("0086 13812345678") == "13812345678"
    err = refusal(check_mobile, "0574-87654321")
    assert err.message == "不是有效的手机号"
    assert str(err) == "手机号: 不是有效的手机号"
    assert refusal(check_mobile, "12812345678").message == "不是有效的手机号"


# --- Credit code -------------------------------------------------------------


def test_credit_code_known_vector():
    assert make_credit("91350100M000100Y4") == "91350100M000100Y43"
    assert check_credit_code("91350100M000100Y43") == "91350100M000100Y43"


def test_credit_code_normalised():
    assert check_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"
    assert check_credit_code("9135 0100 M000 100Y 43") == "91350100M000100Y43"


@pytest.mark.parametrize(
    "first17",
    ["91110108MA01A8J54", "12100000400000000", "52330212MJ8800000", "93330200ABCDEFGHJ"],
)
def test_credit_code_generated_vectors_valid(first17):
    code = make_credit(first17)
    assert check_credit_code(code) == code


def test_credit_code_bad_check_char_refused():
    # The check char for 91110108MA01A8J54 is not N.
    assert make_credit("91110108MA01A8J54") != "91110108MA01A8J54N"
    err = refusal(check_credit_code, "91110108MA01A8J54N")
    assert err.message == "校验位错误"
    assert str(err) == "统一社会信用代码: 校验位错误"
    assert refusal(check_credit_code, "91350100M000100Y44").message == "校验位错误"


@pytest.mark.parametrize(
    "raw",
    [
        "91350100M000100Y4",  # 17 chars
        "91350100M000100Y433",  # 19 chars
        "91350100I000100Y43",  # I not allowed
        "91350100O000100Y43",
        "91350100Z000100Y43",
        "91350100S000100Y43",
        "91350100V000100Y43",
        "91350100-000100Y43",
    ],
)
def test_credit_code_bad_shape_refused(raw):
    err = refusal(check_credit_code, raw, field="机构代码")
    assert err.message == "应为18位，由数字和大写字母组成（不含I、O、Z、S、V）"
    assert err.field == "机构代码"


def test_credit_code_empty_refused():
    assert refusal(check_credit_code, " ").message == "不能为空"


# --- Masks -------------------------------------------------------------------
# A masked value must not be rebuildable: the district and the birth month/day of an ID number are what,
# with the last 4, leave only a guess (issue 11), so at most the last 4 and the birth year stay.


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("330212199001011234", "**************1234（1990年生）"),
        ("11010519491231002X", "**************002X（1949年生）"),
        ("110105491231002", "***********1002（1949年生）"),
        ("E12345678", "*****5678"),  # a passport: no birth year in it
        ("12345", "*****"),
        ("1234", "****"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_id_number(raw, expected):
    assert mask_id_number(raw) == expected


def test_a_masked_id_number_shows_neither_district_nor_birth_day():
    masked = mask_id_number("330212199001011234")
    assert "330212" not in masked and "0101" not in masked and "19900101" not in masked


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "*******5678"),
        ("+86 138-1234-5678", "*******5678"),
        ("0574-87654321", "********4321"),
        ("010-12345678", "*******5678"),
        ("87654321", "****4321"),
        ("123", "***"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(raw, expected):
    assert mask_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("浙江省宁波市海曙区南门街道解放南路12号", "浙江省宁波市海曙区南门街道解放南路****"),
        ("宁波市鄞州区东柳街道华光城12幢2单元301室", "宁波市鄞州区东柳街道华光城****"),
        ("象山县石浦镇东门村5号", "象山县石浦镇东门村****"),
        ("北京市朝阳区建国路88号", "北京市朝阳区建国路****"),
        ("解放南路一百二十号三楼", "解放南路****"),
        ("解放南路128弄5号", "解放南路****"),
        ("黑龙江省哈尔滨市道里区某路", "黑龙江省哈尔滨市道里区某路****"),
        ("某某大厦1201室", "某某大厦****"),
        ("3号楼", "****"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_address(raw, expected):
    assert mask_address(raw) == expected


# ---------------------------------------------------------------------- times, dates, amounts

NOW = datetime.datetime(2026, 11, 27, 1, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_an_instant_in_the_future_is_refused_and_now_is_accepted():
    assert check_not_future(NOW, now=NOW, field="联系时间") == NOW
    with pytest.raises(ValidationError) as refused:
        check_not_future(NOW + datetime.timedelta(minutes=1), now=NOW, field="首次联系时间")
    assert (refused.value.field, refused.value.message) == ("首次联系时间", "晚于现在")
    with pytest.raises(ValidationError, match="received_at: 受理时间晚于现在"):
        check_not_future(NOW + HOUR, now=NOW, field="received_at", what="受理时间")


def test_a_time_before_the_event_it_follows_is_refused_naming_that_event():
    assert check_not_before(NOW, NOW, field="反馈时间", earliest_name="首次联系时间") == NOW
    with pytest.raises(ValidationError, match="^反馈时间: 早于首次联系时间$"):
        check_not_before(NOW - HOUR, NOW, field="反馈时间", earliest_name="首次联系时间")
    with pytest.raises(ValidationError) as refused:
        check_not_before(NOW - HOUR, NOW, field="联系时间", earliest_name="警情移交时间", shown="2026-11-27 09:00")
    assert refused.value.message == "早于警情移交时间（2026-11-27 09:00）"


def test_a_call_after_the_referral_is_refused():
    assert check_not_after(NOW - HOUR, NOW, field="call_time", latest_name="移交时间") == NOW - HOUR
    with pytest.raises(ValidationError, match="^call_time: 晚于移交时间$"):
        check_not_after(NOW + HOUR, NOW, field="call_time", latest_name="移交时间")


def test_a_day_after_today_is_refused():
    assert check_day_not_after_today(TODAY, today=TODAY, field="签署日期") == TODAY
    with pytest.raises(ValidationError, match="^birth_date: 出生日期晚于今天$"):
        check_day_not_after_today(TODAY + datetime.timedelta(days=1), today=TODAY, field="birth_date", what="出生日期")


@pytest.mark.parametrize(("text", "fen"), [("12000", 1200000), ("12,000.5", 1200050), (" 0.01 ", 1), ("0", 0)])
def test_yuan_becomes_exact_fen(text, fen):
    assert yuan_to_fen(text) == fen


@pytest.mark.parametrize(("text", "message"), [
    ("一万", "金额格式不对，应为数字，如 12000.00"),
    ("Infinity", "金额格式不对，应为数字，如 12000.00"),
    ("-5", "金额不能为负数"),
    ("1.234", "金额最多两位小数"),
])
def test_a_wrong_amount_is_refused_under_its_field(text, message):
    with pytest.raises(ValidationError) as refused:
        yuan_to_fen(text, field="amount_yuan")
    assert (refused.value.field, refused.value.message) == ("amount_yuan", message)


@pytest.mark.parametrize("text", ["2026-11-27 07:10", "2026-11-27T07:10:00", "2026/11/27 07:10", " 2026-11-27 07:10:00 "])
def test_a_local_time_is_read_in_the_committee_zone(text):
    assert parse_local_time(text, SHANGHAI) == datetime.datetime(2026, 11, 27, 7, 10, tzinfo=SHANGHAI)


@pytest.mark.parametrize("text", ["昨天晚上", "07:10", "2026-11-27 25:10", ""])
def test_a_time_in_another_format_is_refused_with_an_example(text):
    with pytest.raises(ValidationError) as refused:
        parse_local_time(text, SHANGHAI, field="call_time")
    assert (refused.value.field, refused.value.message) == ("call_time", "时间格式应为 2026-11-27 07:10")
