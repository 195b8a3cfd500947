"""Reading the free text of old ledgers: dispute types by synonym, dates in the common Chinese forms, amounts
with 万/元/commas, results in words. Each parser returns the value or raises ValidationError("", message)."""

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from laopan.errors import ValidationError
from laopan.models.enums import DISPUTE_TYPES

_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01, past Excel's phantom 1900-02-29
_DATE_HINT = "可写 2026-11-03、2026.11.3、2026/11/3、2026年11月3日 或 20261103"

DISPUTE_SYNONYMS: dict[str, str] = {
    "邻里": "neighbour", "相邻": "neighbour", "相邻关系": "neighbour", "邻居": "neighbour",
    "婚姻家庭": "marriage_family", "婚姻": "marriage_family", "家庭": "marriage_family", "婚姻家庭类": "marriage_family",
    "赡养": "marriage_family", "抚养": "marriage_family", "继承": "marriage_family", "离婚": "marriage_family",
    "交通事故": "traffic", "道路交通事故": "traffic", "交通": "traffic",
    "物业": "property_management", "物业管理": "property_management", "物业服务": "property_management",
    "劳动争议": "labour", "劳资": "labour", "劳动": "labour", "劳资纠纷": "labour", "欠薪": "labour", "拖欠工资": "labour",
    "房屋宅基地": "housing_homestead", "房屋": "housing_homestead", "宅基地": "housing_homestead",
    "合同": "contract", "借贷": "contract", "民间借贷": "contract",
    "生产经营": "business", "经营": "business",
    "损害赔偿": "damages", "人身损害": "damages", "财产损害": "damages", "人身损害赔偿": "damages",
    "山林土地": "land_forest", "土地": "land_forest", "山林": "land_forest", "土地承包": "land_forest",
    "征地拆迁": "land_requisition", "拆迁": "land_requisition", "征地": "land_requisition",
    "环境污染": "pollution", "污染": "pollution",
    "消费": "consumer", "消费者权益": "consumer",
    "医疗": "medical", "医患": "medical", "医疗纠纷": "medical",
    "旅游": "tourism", "知识产权": "intellectual_property", "互联网": "internet", "网络": "internet",
    "其他": "other", "其它": "other",
}

RESULTS: dict[str, str] = {
    "成功": "settled", "调解成功": "settled", "达成协议": "settled", "已调解": "settled", "调成": "settled",
    "已达成协议": "settled", "调处成功": "settled",
    "不成功": "terminated", "调解不成功": "terminated", "未成功": "terminated", "终止": "terminated",
    "调解终止": "terminated", "未达成协议": "terminated", "调解不成": "terminated",
    "在办": "mediating", "调解中": "mediating", "正在调解": "mediating", "办理中": "mediating", "未结": "mediating",
    "受理": "accepted", "已受理": "accepted", "待调解": "accepted",
    "登记": "registered", "不予受理": "rejected",
}
_RESULT_HINT = "可写 调解成功、调解不成功、调解中、受理、不予受理"


def squeeze(value: Any) -> str:
    """A cell as text: full-width folded, outer spaces removed; whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def parse_date(value: Any) -> dt.date | None:
    """A real date/datetime cell, an Excel serial (45234), 20261103, 2026-11-03, 2026/11/3, 2026.11.3, 2026年11月3日."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = squeeze(value)
    try:
        if isinstance(value, int | float) or re.fullmatch(r"\d{5}(\.\d+)?", text):
            serial = float(text)
            if 1 <= serial < 2958466:
                return _EXCEL_EPOCH + dt.timedelta(days=int(serial))
        elif re.fullmatch(r"\d{8}", text):
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        else:
            match = re.fullmatch(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?(?:[\sT]+\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?", text)
            if match:
                return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except (ValueError, OverflowError):
        raise ValidationError("", f"日期不存在：{text}") from None
    raise ValidationError("", f"日期无法识别：{text}（{_DATE_HINT}）")


def parse_amount(value: Any) -> str | None:
    """"12000", "1.2万", "12,000.00元", "￥12000", a number cell → "12000.00"-style text for the intake's own check.
    Text in no known form is passed on as is, so the intake refuses it with its own message."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(Decimal(str(value)))
    text = squeeze(value)
    if not text:
        return None
    bare = re.sub(r"^(人民币|RMB|[¥￥])", "", text).replace(",", "").replace("，", "")
    bare = re.sub(r"元(整)?$", "", bare)
    ten_thousand = bare.endswith("万")
    bare = bare.removesuffix("万")
    try:
        amount = Decimal(bare)
    except InvalidOperation:
        return text
    if ten_thousand:
        amount *= 10000
    return format(amount.normalize() if amount == amount.to_integral_value() else amount, "f")


def dispute_type_code(value: Any, labels: dict[str, str]) -> str | None:
    """The code for a ledger's free-text type; `labels` maps the committee's own labels and codes to codes.

    Unknown text is refused (not filed under 其他): the monthly report counts by type, so a silent 其他 would
    skew it; the user fixes the cell or adds a synonym."""
    text = squeeze(value)
    if not text:
        return None
    candidates = [text, text.removesuffix("纠纷"), text.removesuffix("类"), text.removesuffix("纠纷类")]
    candidates += [c.removesuffix("纠纷") for c in candidates]
    for candidate in candidates:
        code = labels.get(candidate) or labels.get(candidate.lower()) or DISPUTE_SYNONYMS.get(candidate)
        if code:
            return code
    known = "、".join(dict.fromkeys(lab for lab in labels if not re.fullmatch(r"[a-z_]+", lab)))
    raise ValidationError("", f"纠纷类型“{text}”无法识别，已知类型：{known}")


def dispute_labels(codes: dict[int, str], labels: dict[int, str]) -> dict[str, str]:
    """Label → code and code → code for the committee's dispute types, national labels included."""
    table = {label: code for code, label in DISPUTE_TYPES.items()}
    table.update({code: code for code in DISPUTE_TYPES})
    for type_id, code in codes.items():
        table[labels.get(type_id, code)] = code
        table[code] = code
    return table


def result_status(value: Any) -> str | None:
    text = squeeze(value)
    if not text:
        return None
    status = RESULTS.get(text) or RESULTS.get(text.rstrip("。."))
    if status is None:
        raise ValidationError("", f"调解结果“{text}”无法识别（{_RESULT_HINT}）")
    return status


def split_parties(value: Any) -> tuple[list[str], list[str]]:
    """"张三 诉 李四", "张三与李四", "张三、李四" → ([张三], [李四]); "甲、乙 诉 丙" keeps both applicants."""
    text = squeeze(value)
    if not text:
        return [], []
    for separator in (r"\s*诉\s*", r"\s*(?:与|和|VS\.?|vs\.?|—|--|/)\s*"):
        parts = re.split(separator, text, maxsplit=1)
        if len(parts) == 2:
            return _names(parts[0]), _names(parts[1])
    names = _names(text)
    return names[:1], names[1:]


def _names(text: str) -> list[str]:
    return [name for name in re.split(r"[、,，;；\s]+", text) if name]


def id_text(value: Any) -> str | None:
    """An ID or phone stored as a number cell loses nothing but its type: 13812345678.0 → "13812345678"."""
    text = squeeze(value)
    return text or None


_ORGANISATION_WORDS = ("公司", "有限", "物业", "委员会", "厂", "店", "医院", "学校", "中心", "集团", "合作社", "银行", "酒店")


def looks_like_organisation(name: str) -> bool:
    return len(name) > 4 and any(word in name for word in _ORGANISATION_WORDS)
