"""Read models of the 审计日志 (audit viewer)."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

# Action groups the viewer filters by (the 修改 / 查看隐私 / 打印 / 导出 / 登录 / 登录失败); here, not in the
# service, because the CLI's parser offers them as choices without importing the tables.
GROUPS = ("修改", "查看隐私", "打印", "导出", "登录", "登录失败")


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime
    login: str
    action: str
    action_label: str
    group: str
    entity: str
    entity_id: int | None
    intake_no: str | None
    changes: dict[str, Any]
    note: str | None

    @property
    def key(self) -> tuple[dt.datetime, int]:
        """The keyset position of this row (newest first by (at, id))."""
        return (self.at, self.id)
