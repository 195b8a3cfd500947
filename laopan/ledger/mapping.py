"""Which ledger column holds which case field: guessed from Chinese headers, or read from a saved mapping.

A saved mapping is JSON, keyed by column letter or by header text, so it survives a column being moved:
    {"format": "laopan.ledger-mapping/1", "columns": {"B": "applicant_name", "纠纷类型": "dispute_type"},
     "defaults": {"source": "party_application", "level": "street"}}
"""

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from laopan.errors import Refused, ValidationError
from laopan.ledger.reading import Table, column_index, column_letter

FORMAT = "laopan.ledger-mapping/1"

FIELDS: dict[str, str] = {
    "parties": "当事人（“甲 诉 乙”）",
    "applicant_name": "申请人",
    "applicant_id_number": "申请人身份证号",
    "applicant_phone": "申请人电话",
    "applicant_address": "申请人住址",
    "respondent_name": "被申请人",
    "respondent_id_number": "被申请人身份证号",
    "respondent_phone": "被申请人电话",
    "respondent_address": "被申请人住址",
    "received_on": "受理日期",
    "dispute_type": "纠纷类型",
    "source": "案件来源",
    "level": "层级",
    "community": "社区",
    "grid": "网格",
    "summary": "纠纷简要情况",
    "result": "调解结果",
    "amount": "金额（元）",
    "mediator": "调解员",
    "agreement_no": "协议书编号",
}

# A ledger rarely says where a case came from or at which level it was handled; these fill the gap and can be
# changed in the mapping file ("defaults").
DEFAULTS: dict[str, str] = {"source": "party_application", "level": "street"}

_PARTY_PARTS = (
    (("身份证号码", "身份证号", "身份证", "证件号码", "证件号", "公民身份号码"), "id_number"),
    (("联系电话", "电话号码", "电话", "手机号码", "手机号", "手机", "联系方式"), "phone"),
    (("住址", "地址", "家庭住址", "住所"), "address"),
    (("姓名", "名称", ""), "name"),
)
# Exact header texts first (after normalising), then the first rule whose word the header contains.
_EXACT: dict[str, str] = {
    "姓名": "applicant_name", "当事人": "parties", "当事人姓名": "parties", "双方当事人": "parties",
    "日期": "received_on", "结果": "result", "金额": "amount", "社区": "community", "网格": "grid",
    "摘要": "summary", "来源": "source", "层级": "level",
}
_CONTAINS: tuple[tuple[str, str], ...] = (
    ("协议书编号", "agreement_no"), ("协议编号", "agreement_no"), ("协议书号", "agreement_no"),
    ("纠纷类型", "dispute_type"), ("案件类型", "dispute_type"), ("纠纷类别", "dispute_type"), ("纠纷种类", "dispute_type"),
    ("受理日期", "received_on"), ("登记日期", "received_on"), ("受理时间", "received_on"), ("登记时间", "received_on"),
    ("调解结果", "result"), ("处理结果", "result"), ("调处结果", "result"),
    ("协议金额", "amount"), ("标的额", "amount"), ("涉及金额", "amount"), ("涉案金额", "amount"), ("金额", "amount"),
    ("简要情况", "summary"), ("简要案情", "summary"), ("纠纷情况", "summary"), ("案情", "summary"), ("主要事实", "summary"),
    ("调解员", "mediator"), ("主调", "mediator"), ("承办人", "mediator"),
    ("案件来源", "source"), ("纠纷来源", "source"), ("调解层级", "level"),
    ("网格", "grid"), ("社区", "community"), ("村居", "community"),
    ("身份证", "applicant_id_number"), ("证件号", "applicant_id_number"),
    ("电话", "applicant_phone"), ("手机", "applicant_phone"), ("住址", "applicant_address"), ("地址", "applicant_address"),
    ("当事人", "parties"),
)


def normalise_header(text: str) -> str:
    """Full-width folded, spaces and a bracketed unit dropped: "协议金额（元）" → "协议金额"."""
    folded = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    return re.sub(r"\([^)]*\)$", "", folded)


def guess_field(header: str) -> str | None:
    text = normalise_header(header)
    if not text:
        return None
    for side, prefix in (("respondent", "被申请人"), ("applicant", "申请人")):
        if text.startswith(prefix):
            rest = text[len(prefix):]
            for words, part in _PARTY_PARTS:
                if rest in words or (rest and any(w and w in rest for w in words)):
                    return f"{side}_{part}"
            return None
    if text in _EXACT:
        return _EXACT[text]
    for word, name in _CONTAINS:
        if word in text:
            return name
    return None


@dataclass(frozen=True)
class Mapping:
    columns: dict[int, str]
    """0-based column index → field code."""
    defaults: dict[str, str] = field(default_factory=lambda: dict(DEFAULTS))

    def column_of(self, name: str) -> int | None:
        return next((index for index, code in self.columns.items() if code == name), None)

    def document(self, table: Table) -> dict[str, Any]:
        """The mapping as a file to save and edit (keyed by column letter, header shown beside it)."""
        return {
            "format": FORMAT,
            "columns": {column_letter(i): code for i, code in sorted(self.columns.items())},
            "headers": {column_letter(i): table.headers[i] for i in sorted(self.columns)},
            "defaults": dict(self.defaults),
        }

    def describe(self, table: Table) -> list[str]:
        lines = [f"{column_letter(i)}列 {table.headers[i] or '（无表头）'} → {FIELDS[code]}（{code}）" for i, code in sorted(self.columns.items())]
        unmapped = [f"{column_letter(i)}列 {h}" for i, h in enumerate(table.headers) if i not in self.columns and h]
        if unmapped:
            lines.append("未使用：" + "、".join(unmapped))
        lines.append("默认值：" + "，".join(f"{FIELDS[k]}={v}" for k, v in self.defaults.items()))
        return lines


def guess_mapping(table: Table) -> Mapping:
    """Each recognised header to its field; a field claimed twice keeps its first column."""
    columns: dict[int, str] = {}
    for index, header in enumerate(table.headers):
        name = guess_field(header)
        if name and name not in columns.values():
            columns[index] = name
    # "姓名" alone next to a 当事人 column is still the applicant; a lone 当事人 with 被申请人 columns is the applicant.
    if "parties" in columns.values() and any(code.startswith("respondent_") for code in columns.values()):
        columns = {i: ("applicant_name" if code == "parties" else code) for i, code in columns.items()}
    return Mapping(columns=columns)


def load_mapping(path: str | Path, table: Table) -> Mapping:
    """A saved mapping file, checked against the sheet; refuses unknown fields, columns and headers by key."""
    text = Path(path).read_text(encoding="utf-8-sig")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(str(path), f"不是有效的 JSON（第{exc.lineno}行第{exc.colno}列：{exc.msg}）") from None
    return parse_mapping(document, table)


def parse_mapping(document: Any, table: Table) -> Mapping:
    errors: list[ValidationError] = []
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise Refused([ValidationError("format", f"格式标识应为 {FORMAT}")])
    for key in document:
        if key not in ("format", "columns", "headers", "defaults", "sheet"):
            errors.append(ValidationError(key, "未知字段"))
    columns: dict[int, str] = {}
    raw_columns = document.get("columns")
    if not isinstance(raw_columns, dict) or not raw_columns:
        errors.append(ValidationError("columns", "应为对象，如 {\"B\": \"applicant_name\"}"))
        raw_columns = {}
    headers = {h: i for i, h in reversed(list(enumerate(table.headers))) if h}
    for key, code in raw_columns.items():
        where = f"columns.{key}"
        if code in (None, ""):
            continue  # a column the user chose not to import
        if code not in FIELDS:
            errors.append(ValidationError(where, f"未知的字段“{code}”，可选：{', '.join(FIELDS)}"))
            continue
        if re.fullmatch(r"[A-Z]{1,3}", key):
            index = column_index(key)
            if index >= len(table.headers):
                errors.append(ValidationError(where, f"表格只有 {len(table.headers)} 列"))
                continue
        elif key in headers:
            index = headers[key]
        else:
            errors.append(ValidationError(where, f"表头中没有“{key}”，表头有：{'、'.join(headers)}"))
            continue
        if code in columns.values():
            errors.append(ValidationError(where, f"字段 {code} 已对应另一列"))
            continue
        columns[index] = code
    defaults = dict(DEFAULTS)
    raw_defaults = document.get("defaults") or {}
    if not isinstance(raw_defaults, dict):
        errors.append(ValidationError("defaults", "应为对象"))
        raw_defaults = {}
    for key, value in raw_defaults.items():
        if key not in FIELDS or not isinstance(value, str):
            errors.append(ValidationError(f"defaults.{key}", "未知字段或不是文字"))
        else:
            defaults[key] = value
    if errors:
        raise Refused(errors)
    return Mapping(columns=columns, defaults=defaults)
