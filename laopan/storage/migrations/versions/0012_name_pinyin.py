"""pinyin search: every party name's full reading and initials, per case (张伟 → zhangwei, zw)

Adds the `name_pinyin` table (issue 16 item 5) and fills it from the parties' names in batches, with the
readings laopan.services.pinyin gives at write time (surnames by their surname readings), so a 100k database
upgrades in seconds.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 14:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 20000


def upgrade() -> None:
    from laopan.services.pinyin import case_keys

    op.create_table('name_pinyin',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_name_pinyin_case_id_mediation_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key', 'case_id', name=op.f('pk_name_pinyin')),
    sqlite_with_rowid=False
    )
    bind = op.get_bind()
    by_case: dict[int, list[str]] = {}
    for case_id, name in bind.execute(sa.text("SELECT case_id, name FROM party")):
        by_case.setdefault(case_id, []).append(name)
    # In key order, so the B-tree fills from the left (as the demo writes name_gram).
    rows = sorted((key, case_id) for case_id, names in by_case.items() for key in case_keys(names))
    insert = sa.text("INSERT INTO name_pinyin (key, case_id) VALUES (:key, :case_id)")
    for start in range(0, len(rows), BATCH):
        bind.execute(insert, [{"key": key, "case_id": case_id} for key, case_id in rows[start : start + BATCH]])
    # The second index after the fill: building it once is cheaper than keeping it through every insert.
    op.create_index('ix_name_pinyin_case', 'name_pinyin', ['case_id', 'key'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_name_pinyin_case', table_name='name_pinyin')
    op.drop_table('name_pinyin')
