"""workflow: recusal decisions, deadline extensions, review notes, case outcome reasons, declared relatives

Written by hand. Columns are added without rebuilding tables (SQLite's ALTER TABLE ADD COLUMN): rebuilding
mediation_case or mediator would drop a table that child rows reference.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 10:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('mediation_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rejection_reason', sa.String(), nullable=True))
        batch_op.add_column(sa.Column('termination_reason', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('termination_destination', sa.String(length=20), nullable=True))

    with op.batch_alter_table('mediator', schema=None) as batch_op:
        batch_op.add_column(sa.Column('declared_relatives', sa.JSON(), server_default='[]', nullable=False))

    op.create_table('recusal_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('mediator_id', sa.Integer(), nullable=False),
    sa.Column('matches', sa.JSON(), nullable=False),
    sa.Column('decision', sa.String(length=12), nullable=False),
    sa.Column('reason', sa.String(), nullable=True),
    sa.Column('by_login', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("decision IN ('kept', 'replaced')", name=op.f('ck_recusal_decision_decision')),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_recusal_decision_case_id_mediation_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mediator_id'], ['mediator.id'], name=op.f('fk_recusal_decision_mediator_id_mediator')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recusal_decision'))
    )
    with op.batch_alter_table('recusal_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recusal_decision_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recusal_decision_mediator_id'), ['mediator_id'], unique=False)

    op.create_table('deadline_extension',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('previous_due_on', sa.Date(), nullable=False),
    sa.Column('new_due_on', sa.Date(), nullable=False),
    sa.Column('applicant_consent_on', sa.Date(), nullable=False),
    sa.Column('respondent_consent_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(), nullable=True),
    sa.Column('by_login', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('new_due_on > previous_due_on', name=op.f('ck_deadline_extension_later')),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_deadline_extension_case_id_mediation_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadline_extension'))
    )
    with op.batch_alter_table('deadline_extension', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deadline_extension_case_id'), ['case_id'], unique=False)

    op.create_table('review_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('junior_id', sa.Integer(), nullable=False),
    sa.Column('senior_id', sa.Integer(), nullable=True),
    sa.Column('pairing_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(), nullable=False),
    sa.Column('by_login', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_review_note_case_id_mediation_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['junior_id'], ['mediator.id'], name=op.f('fk_review_note_junior_id_mediator')),
    sa.ForeignKeyConstraint(['senior_id'], ['mediator.id'], name=op.f('fk_review_note_senior_id_mediator')),
    sa.ForeignKeyConstraint(['pairing_id'], ['pairing.id'], name=op.f('fk_review_note_pairing_id_pairing')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_note'))
    )
    with op.batch_alter_table('review_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_note_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_review_note_junior_case', ['junior_id', 'case_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('review_note', schema=None) as batch_op:
        batch_op.drop_index('ix_review_note_junior_case')
        batch_op.drop_index(batch_op.f('ix_review_note_case_id'))
    op.drop_table('review_note')
    with op.batch_alter_table('deadline_extension', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deadline_extension_case_id'))
    op.drop_table('deadline_extension')
    with op.batch_alter_table('recusal_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recusal_decision_mediator_id'))
        batch_op.drop_index(batch_op.f('ix_recusal_decision_case_id'))
    op.drop_table('recusal_decision')
    with op.batch_alter_table('mediator', schema=None) as batch_op:
        batch_op.drop_column('declared_relatives')
    with op.batch_alter_table('mediation_case', schema=None) as batch_op:
        batch_op.drop_column('termination_destination')
        batch_op.drop_column('termination_reason')
        batch_op.drop_column('rejection_reason')
