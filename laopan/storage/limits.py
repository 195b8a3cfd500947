"""Limits checked before a row is written, so SQLite and PostgreSQL give the same answer (issue 10).

SQLite stores a 100,000-character address in a VARCHAR(200) column and a NUL in any text; PostgreSQL refuses
both with a driver error. Checking every new or changed row at flush time, against the column lengths the
models declare, turns both into the same Chinese refusal naming the field, whichever path wrote the row
(intake form, import, edits). Control characters (ESC, BEL, NUL, bidirectional overrides that reorder what
a terminal or the window shows) are refused, not stripped: a silently changed name is worse than a question.
"""

import re
from functools import cache

from sqlalchemy import String, event, inspect
from sqlalchemy.orm import Session

from laopan.errors import ValidationError

# C0 controls except tab, newline and carriage return; DEL; C1 controls; bidi embeddings/overrides/isolates.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_TABLE_LABELS = {
    "mediation_case": "案件", "party": "当事人", "agent": "代理人", "mediator": "调解员", "agreement": "协议",
    "police_referral": "警情转办", "mediation_session": "调解记录", "app_user": "用户",
}
_installed = False


def install() -> None:
    """Check every ORM flush (once per process; sessions of every engine share the listener)."""
    global _installed
    if not _installed:
        event.listen(Session, "before_flush", _before_flush)
        _installed = True


def check_text(field: str, value: str, max_length: int | None = None) -> None:
    """Refuse `value` for `field` if it holds a control character or is longer than `max_length`."""
    refuse_control(field, value)
    if max_length is not None and len(value) > max_length:
        raise ValidationError(field, f"最多 {max_length} 个字（现有 {len(value)} 个）")


def refuse_control(field: str, value: str) -> None:
    match = CONTROL.search(value)
    if match:
        raise ValidationError(field, f"含有控制字符 U+{ord(match.group()):04X}（第{match.start() + 1}个字符），请删除后重试")


def _before_flush(session: Session, _context, _instances) -> None:
    for obj in (*session.new, *session.dirty):
        mapper = inspect(obj).mapper
        table = mapper.local_table
        state = inspect(obj)
        for column in table.columns:
            impl = getattr(column.type, "impl", column.type)  # SQLModel's AutoString decorates a String
            if not isinstance(impl, String):
                continue
            attr = mapper.get_property_by_column(column).key
            if obj not in session.new and not state.attrs[attr].history.has_changes():
                continue
            value = state.dict.get(attr)
            if isinstance(value, str):
                label = _TABLE_LABELS.get(table.name, table.name)
                check_text(f"{label}.{column.name}", value, impl.length)


def check_row(table, row: dict) -> None:
    """What `_before_flush` checks, for a row written with a Core insert (laopan.services.case_rows)."""
    for name, field, length in _text_columns(table):
        value = row.get(name)
        if isinstance(value, str):
            check_text(field, value, length)


@cache
def _text_columns(table) -> tuple[tuple[str, str, int | None], ...]:
    label = _TABLE_LABELS.get(table.name, table.name)
    found = []
    for column in table.columns:
        impl = getattr(column.type, "impl", column.type)
        if isinstance(impl, String):
            found.append((column.name, f"{label}.{column.name}", impl.length))
    return tuple(found)
