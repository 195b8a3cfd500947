"""case outcome flags: 防止民转刑 and 防止群体性上访, counted by the monthly report to the 司法所

Written by hand; columns are added in place (no rebuild of mediation_case, which every child table references).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 10:20:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('mediation_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prevented_criminal', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('prevented_group_petition', sa.Boolean(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('mediation_case', schema=None) as batch_op:
        batch_op.drop_column('prevented_group_petition')
        batch_op.drop_column('prevented_criminal')
