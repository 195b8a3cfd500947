"""Read models of the 审计日志 (audit viewer)."""

import datetime as dt
from dataclasses import dataclass
from typing import Any


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
