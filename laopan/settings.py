"""Settings of two kinds (DESIGN §2).

* `DeskSettings`: this desk's own (database URL, current user, window layout), a JSON text file in the data
  dir, written atomically.
* `CommitteeSettings`: the committee's rules that every desk sharing the database must agree on (number
  formats, deadlines, time zone); stored as JSON on the `Committee` row.
"""

import json
import os
import tempfile
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from laopan import paths
from laopan.clock import DEFAULT_TZ

ENV_DATABASE_URL = "LAOPAN_DATABASE_URL"


class DeskSettings(BaseModel):
    model_config = ConfigDict(extra="ignore")

    database_url: str | None = None
    committee: str | None = None
    current_user: str | None = None
    window_geometry: str | None = Field(default=None, description="base64 of QWidget.saveGeometry()")
    window_state: str | None = None
    start_pages: dict[str, str] = Field(default_factory=dict, description="login → the page the window opens on")
    backup_keep: int = Field(default=10, ge=1, le=1000, description="backups kept in the backups dir (newest first)")
    backup_daily: bool = Field(default=True, description="back up on the first open of a day and on window exit")


class SubsidyRules(BaseModel):
    """How a case's difficulty is judged and what a mediator is paid for it (案件补贴), per the street's scheme:
    简单 (marriage/family, neighbour, clear simple disputes) 50 元, 一般 (homestead, land/forest contracting,
    damages, labour disputes of fewer than 5 people, …) 100 元, 重大疑难 (requisition, 10+ parties, risk of
    turning criminal or of group petitions, claims over 100,000 元, …) 200 元, and 100 元 for a major dispute not
    settled but kept from escalating and filed. A type in none of the lists counts as 一般."""

    model_config = ConfigDict(extra="forbid")

    simple_yuan: int = Field(default=50, ge=0)
    ordinary_yuan: int = Field(default=100, ge=0)
    major_yuan: int = Field(default=200, ge=0)
    contained_yuan: int = Field(default=100, ge=0)
    simple_types: tuple[str, ...] = ("marriage_family", "neighbour", "consumer", "property_management", "other")
    ordinary_types: tuple[str, ...] = (
        "housing_homestead", "land_forest", "damages", "labour", "contract", "business", "traffic", "medical",
        "pollution", "tourism", "intellectual_property", "internet",
    )
    major_types: tuple[str, ...] = ("land_requisition",)
    major_party_count: int = Field(default=10, ge=2, description="this many parties or more: 重大疑难")
    major_amount_yuan: int = Field(default=100_000, ge=0, description="a claim above this: 重大疑难")
    major_risk_flags: tuple[str, ...] = ("criminal_risk", "group")


class DossierItem(BaseModel):
    """One line of the 卷宗 file list: a code the dossier check knows how to find (laopan.services.dossier), its
    title, whether it is 必须 (required) or 按需 (as needed), and the paths (settled/terminated/rejected) it
    belongs to (empty: every path)."""

    model_config = ConfigDict(extra="forbid")

    code: str
    title: str
    required: bool = False
    paths: tuple[str, ...] = ()


def _item(code: str, title: str, required: bool, *paths: str) -> DossierItem:
    return DossierItem(code=code, title=title, required=required, paths=paths)


# The published county template of the 调解卷宗, in order, plus the police feedback slip and the closing report.
# 按需 items become required by their own rule (a 授权委托书 once an entrusted agent exists, a 回访记录 once a
# performance deadline has passed, a 反馈单 for a police-referred case).
DEFAULT_DOSSIER: tuple[DossierItem, ...] = (
    _item("application", "人民调解申请书或受理登记表", True),
    _item("notice", "人民调解当事人权利义务告知书", True, "settled", "terminated"),
    _item("id_proof", "当事人身份证明", True, "settled", "terminated"),
    _item("power", "授权委托书", False, "settled", "terminated"),
    _item("investigation", "调查记录", False, "settled", "terminated"),
    _item("evidence", "证据材料", False, "settled", "terminated"),
    _item("session_record", "人民调解记录", True, "settled", "terminated"),
    _item("agreement", "人民调解协议书（或口头协议登记表、调解终止记录）", True, "settled", "terminated"),
    _item("performance_proof", "履行凭证", False, "settled"),
    _item("followup", "人民调解回访记录", False, "settled"),
    _item("judicial", "司法确认材料", False, "settled"),
    _item("police_feedback", "警调移交反馈单", False),
    _item("explanation", "卷宗情况说明", False),
    _item("closing_report", "结案报告表", True),
    _item("back_cover", "封底", True),
)


class CommitteeSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    time_zone: str = DEFAULT_TZ
    intake_no_format: str = "DL{year}-{seq:05d}"
    agreement_no_format: str = "（{year}）东柳人调字第{seq:03d}号"
    oral_register_no_format: str | None = "（{year}）东柳口调字第{seq:03d}号"
    """The 口头协议登记表's own number series; None when the committee keeps no such register number."""
    mediation_days: int = Field(default=30, ge=1, le=365)
    due_soon_days: int = Field(default=3, ge=0, le=60)
    referral_first_contact_hours: int = Field(default=24, ge=1, le=240)
    referral_feedback_days: int = Field(default=5, ge=1, le=60)
    judicial_confirmation_days: int = Field(default=30, ge=1, le=365)
    judicial_warning_days: int = Field(default=7, ge=0, le=60, description="warn this many days before the window closes")
    # Dispute types whose agreements the courts do not confirm (民诉法解释 Art. 357: 确认婚姻关系、亲子关系、收养关系
    # and the like). The dictionary's 婚姻家庭 is the type those status matters are filed under; a committee that
    # files maintenance or property agreements of families under it may take it off this list.
    judicial_excluded_types: tuple[str, ...] = ("marriage_family",)
    # The 卷宗 file list the close checks (empty: no check).
    dossier: tuple[DossierItem, ...] = DEFAULT_DOSSIER
    subsidy: SubsidyRules = Field(default_factory=SubsidyRules)
    # Login (issue 11): this many wrong passwords in a row lock the login for login_lock_minutes; the window locks
    # itself after idle_lock_minutes without input until the password is given again.
    login_max_failures: int = Field(default=5, ge=1, le=100)
    login_lock_minutes: int = Field(default=15, ge=1, le=24 * 60)
    idle_lock_minutes: int = Field(default=10, ge=1, le=24 * 60)

    @field_validator("intake_no_format", "agreement_no_format", "oral_register_no_format")
    @classmethod
    def _format_has_fields(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            value.format(year=2026, seq=1)
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"编号格式只能使用 {{year}} 和 {{seq}}：{exc}") from exc
        if "{seq" not in value or "{year" not in value:
            raise ValueError("编号格式必须包含 {year} 和 {seq}（序号每年从 1 开始）")
        return value


def load_desk(path: Path | None = None) -> DeskSettings:
    path = path or paths.settings_file()
    if not path.exists():
        return DeskSettings()
    try:
        return DeskSettings.model_validate_json(path.read_bytes())
    except ValueError as exc:  # pydantic's ValidationError: damaged JSON or a wrong value
        from laopan.errors import StorageError

        raise StorageError(f"设置文件 {path} 已损坏：请修正或删除它（删除后将使用默认设置）") from exc


def save_desk(settings: DeskSettings, path: Path | None = None) -> None:
    """Write temp + fsync + os.replace, so a crash leaves the old file or the new one, never half."""
    path = path or paths.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(settings.model_dump(mode="json"), ensure_ascii=False, indent=2)
    fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def database_url(desk: DeskSettings | None = None) -> str:
    """LAOPAN_DATABASE_URL, else the desk's setting, else the SQLite file in the data dir."""
    if os.environ.get(ENV_DATABASE_URL):
        return os.environ[ENV_DATABASE_URL]
    desk = desk if desk is not None else load_desk()
    if desk.database_url:
        return desk.database_url
    return f"sqlite:///{paths.database_file()}"
