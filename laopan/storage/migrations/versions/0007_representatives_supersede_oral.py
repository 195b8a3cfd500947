"""agreements: representatives (agent kind/scope/ID, organisation kind, capacity), who signed for a party,
superseding agreements (a case may hold several, one in force), oral agreement register and confirmation

Written by hand. Columns are added in place; only `agreement` (its one-per-case unique becomes "one in force per
case") and `number_sequence` (a third kind, 'oral') are rebuilt by SQLite's batch mode.

Revision ID: 0007
Revises: 0006 (re-chained when merged)
Create Date: 2026-12-08 10:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('agent', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=12), server_default='entrusted', nullable=False))
        batch_op.add_column(sa.Column('scope', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('id_type', sa.String(length=32), nullable=True))
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.add_column(sa.Column('org_kind', sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column('capacity', sa.String(length=20), nullable=True))
    with op.batch_alter_table('agreement_signature', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signer_name', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('signer_capacity', sa.String(length=12), nullable=True))
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('supersedes_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('superseded_reason', sa.String(), nullable=True))
        batch_op.add_column(sa.Column('oral_register_no', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('confirmed_by', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('confirmed_on', sa.Date(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_agreement_supersedes_id_agreement'), 'agreement', ['supersedes_id'], ['id'],
                                    ondelete='SET NULL')
        batch_op.drop_constraint(batch_op.f('uq_agreement_case_id'), type_='unique')
        batch_op.create_index(batch_op.f('ix_agreement_case_id'), ['case_id'], unique=False)
        batch_op.create_index('uq_agreement_case_in_force', ['case_id'], unique=True,
                              sqlite_where=sa.text('superseded_at IS NULL'), postgresql_where=sa.text('superseded_at IS NULL'))
    with op.batch_alter_table('number_sequence', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_number_sequence_kind'), type_='check')
        batch_op.create_check_constraint('kind', "kind IN ('intake', 'agreement', 'oral')")


def downgrade() -> None:
    with op.batch_alter_table('number_sequence', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_number_sequence_kind'), type_='check')
        batch_op.create_check_constraint('kind', "kind IN ('intake', 'agreement')")
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.drop_index('uq_agreement_case_in_force')
        batch_op.drop_index(batch_op.f('ix_agreement_case_id'))
        batch_op.create_unique_constraint(batch_op.f('uq_agreement_case_id'), ['case_id'])
        batch_op.drop_constraint(batch_op.f('fk_agreement_supersedes_id_agreement'), type_='foreignkey')
        for column in ('confirmed_on', 'confirmed_by', 'oral_register_no', 'superseded_reason', 'superseded_at', 'supersedes_id'):
            batch_op.drop_column(column)
    with op.batch_alter_table('agreement_signature', schema=None) as batch_op:
        batch_op.drop_column('signer_capacity')
        batch_op.drop_column('signer_name')
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.drop_column('capacity')
        batch_op.drop_column('org_kind')
    with op.batch_alter_table('agent', schema=None) as batch_op:
        batch_op.drop_column('id_type')
        batch_op.drop_column('scope')
        batch_op.drop_column('kind')
