"""search reach: an agent's phone is searchable by tail; names are indexed with Traditional folded to Simplified

Adds agent.phone_rev (digits reversed, indexed) and fills it; re-grams the cases whose party names change under
Traditional → Simplified folding (陳 is indexed as 陈). Both in batches, so a 100k database upgrades in seconds.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 12:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000


def upgrade() -> None:
    from laopan.services.derived import case_grams, fold, phone_key

    with op.batch_alter_table('agent') as batch:
        batch.add_column(sa.Column('phone_rev', sa.String(length=20), nullable=True))
        batch.create_index('ix_agent_phone_rev', ['phone_rev'])
    bind = op.get_bind()
    phones = bind.execute(sa.text("SELECT id, phone FROM agent WHERE phone IS NOT NULL")).all()
    update = sa.text("UPDATE agent SET phone_rev = :rev WHERE id = :id")
    rows = [{"id": id_, "rev": phone_key(phone)} for id_, phone in phones]
    for start in range(0, len(rows), BATCH):
        bind.execute(update, rows[start : start + BATCH])

    names = bind.execute(sa.text("SELECT case_id, name FROM party ORDER BY case_id")).all()
    folded_cases = {case_id for case_id, name in names if fold(name) != name}
    by_case: dict[int, list[str]] = {}
    for case_id, name in names:
        if case_id in folded_cases:
            by_case.setdefault(case_id, []).append(name)
    delete = sa.text("DELETE FROM name_gram WHERE case_id = :case_id")
    insert = sa.text("INSERT INTO name_gram (gram, case_id) VALUES (:gram, :case_id)")
    cases = sorted(by_case)
    for start in range(0, len(cases), BATCH):
        chunk = cases[start : start + BATCH]
        bind.execute(delete, [{"case_id": case_id} for case_id in chunk])
        bind.execute(insert, [{"gram": gram, "case_id": case_id} for case_id in chunk for gram in sorted(case_grams(by_case[case_id]))])


def downgrade() -> None:
    with op.batch_alter_table('agent') as batch:
        batch.drop_index('ix_agent_phone_rev')
        batch.drop_column('phone_rev')
