"""Shared pieces of the table classes: naming convention, audit-friendly columns, check helpers."""

import datetime as dt
from enum import StrEnum

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from laopan.models.types import UTCDateTime

# Table classes build their pydantic validators on first use, not at import: a CLI call that only reads rows
# through SQLAlchemy never needs them, and building ~40 of them cost most of `import laopan.models` (issue 16 item 6).
SQLModel.model_config["defer_build"] = True

# Stable constraint names, so Alembic migrations can refer to them on SQLite (batch mode) and PostgreSQL.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def one_of(column: str, enum: type[StrEnum], *, nullable: bool = False, name: str | None = None) -> CheckConstraint:
    """CHECK (column IN (codes…)): the database refuses a code the application does not know."""
    values = ", ".join(f"'{member.value}'" for member in enum)
    sql = f"{column} IN ({values})"
    if nullable:
        sql = f"{column} IS NULL OR {sql}"
    return CheckConstraint(sql, name=name or column)


class Versioned(SQLModel):
    """Columns of every row a user can edit: optimistic lock and who last changed it."""

    version: int = Field(default=1, nullable=False)
    updated_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_by: str | None = Field(default=None, max_length=64)
