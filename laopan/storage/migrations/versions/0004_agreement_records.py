"""agreements: structured clauses, review note, wet signatures, the signed scan, revisions

Written by hand; columns are added in place.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 10:50:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('clause_specs', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('review_note', sa.String(), nullable=True))

    op.create_table('agreement_signature',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agreement_id', sa.Integer(), nullable=False),
        sa.Column('signer_kind', sa.String(length=12), nullable=False),
        sa.Column('party_id', sa.Integer(), nullable=True),
        sa.Column('method', sa.String(length=16), nullable=False),
        sa.Column('signed_on', sa.Date(), nullable=False),
        sa.Column('recorded_by', sa.String(length=64), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_agreement_signature_agreement_id_agreement'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['party_id'], ['party.id'], name=op.f('fk_agreement_signature_party_id_party'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_signature')),
        sa.UniqueConstraint('agreement_id', 'signer_kind', 'party_id', name=op.f('uq_agreement_signature_agreement_id_signer_kind_party_id')),
    )
    with op.batch_alter_table('agreement_signature', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_signature_agreement_id'), ['agreement_id'], unique=False)

    op.create_table('agreement_scan',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agreement_id', sa.Integer(), nullable=False),
        sa.Column('revision', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('mime', sa.String(length=60), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('uploaded_by', sa.String(length=64), nullable=False),
        sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_agreement_scan_agreement_id_agreement'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_scan')),
    )
    with op.batch_alter_table('agreement_scan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_scan_agreement_id'), ['agreement_id'], unique=False)

    op.create_table('agreement_revision',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agreement_id', sa.Integer(), nullable=False),
        sa.Column('revision', sa.Integer(), nullable=False),
        sa.Column('content', sa.JSON(), nullable=False),
        sa.Column('reason', sa.String(), nullable=False),
        sa.Column('by_login', sa.String(length=64), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_agreement_revision_agreement_id_agreement'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_revision')),
        sa.UniqueConstraint('agreement_id', 'revision', name=op.f('uq_agreement_revision_agreement_id_revision')),
    )
    with op.batch_alter_table('agreement_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_revision_agreement_id'), ['agreement_id'], unique=False)


def downgrade() -> None:
    for table in ('agreement_revision', 'agreement_scan', 'agreement_signature'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_agreement_id'))
        op.drop_table(table)
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.drop_column('review_note')
        batch_op.drop_column('clause_specs')
