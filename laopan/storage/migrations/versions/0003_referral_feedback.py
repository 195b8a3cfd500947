"""referral feedback loop: first contact, feedback result, return to police, second mediation; police reports

Written by hand; columns are added without rebuilding police_referral.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 10:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('police_referral', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_contact_by', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('first_contact_note', sa.String(), nullable=True))
        batch_op.add_column(sa.Column('feedback_by', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('feedback_result', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('feedback_agreement_no', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('feedback_performance', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('returned_by', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('returned_reason', sa.String(), nullable=True))
        batch_op.add_column(sa.Column('second_mediation', sa.Boolean(), server_default='0', nullable=False))

    op.create_table('police_report',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('reported_to', sa.String(length=100), nullable=False),
        sa.Column('note', sa.String(), nullable=False),
        sa.Column('by_login', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_police_report_case_id_mediation_case'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_police_report')),
    )
    with op.batch_alter_table('police_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_police_report_case_id'), ['case_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('police_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_police_report_case_id'))
    op.drop_table('police_report')
    with op.batch_alter_table('police_referral', schema=None) as batch_op:
        for column in ('second_mediation', 'returned_reason', 'returned_by', 'feedback_performance',
                       'feedback_agreement_no', 'feedback_result', 'feedback_by', 'first_contact_note', 'first_contact_by'):
            batch_op.drop_column(column)
