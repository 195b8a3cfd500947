"""case file: follow-up purpose, judicial confirmation, case attachments (scans filed in the 卷宗)

Written by hand.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 10:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purpose', sa.String(length=60), nullable=True))

    op.create_table('judicial_confirmation',
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('updated_by', sa.String(length=64), nullable=True),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('court', sa.String(length=100), nullable=False),
        sa.Column('applied_on', sa.Date(), nullable=False),
        sa.Column('court_case_no', sa.String(length=60), nullable=True),
        sa.Column('result', sa.String(length=12), nullable=True),
        sa.Column('ruled_on', sa.Date(), nullable=True),
        sa.Column('notes', sa.String(), nullable=False),
        sa.CheckConstraint("result IS NULL OR result IN ('confirmed', 'dismissed')", name=op.f('ck_judicial_confirmation_result')),
        sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_judicial_confirmation_case_id_mediation_case'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_judicial_confirmation')),
    )
    with op.batch_alter_table('judicial_confirmation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_judicial_confirmation_case_id'), ['case_id'], unique=False)

    op.create_table('case_attachment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=24), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('mime', sa.String(length=60), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('note', sa.String(), nullable=False),
        sa.Column('uploaded_by', sa.String(length=64), nullable=False),
        sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('id_proof', 'power', 'investigation', 'evidence', 'performance_proof', 'judicial', 'explanation', 'other')",
            name=op.f('ck_case_attachment_kind')),
        sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_case_attachment_case_id_mediation_case'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_case_attachment')),
    )
    with op.batch_alter_table('case_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_attachment_case_id'), ['case_id'], unique=False)


def downgrade() -> None:
    for table in ('case_attachment', 'judicial_confirmation'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_case_id'))
        op.drop_table(table)
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.drop_column('purpose')
