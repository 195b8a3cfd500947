"""amounts: mediation_case.amount_fen becomes 64-bit, so ¥999,999,999.99 fits on PostgreSQL too

Written by hand. SQLite's INTEGER already holds 64 bits, so nothing is rebuilt there (a batch rebuild of the
largest table would change nothing but take time on every desk).

Revision ID: 0006
Revises: 0004 (re-chained after 0005 when merged)
Create Date: 2026-12-04 10:50:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        return
    op.alter_column('mediation_case', 'amount_fen', type_=sa.BigInteger(), existing_type=sa.Integer(), existing_nullable=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        return
    op.alter_column('mediation_case', 'amount_fen', type_=sa.Integer(), existing_type=sa.BigInteger(), existing_nullable=True)
