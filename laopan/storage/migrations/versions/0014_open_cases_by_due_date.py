"""open cases by due date: the deadline index leads with the status, so "what is overdue" reads the open cases
only

The status bar's overdue count, the 工作台's deadline lists, the list's 逾期/即将到期 filters and the monthly
report's overdue column all ask for `status IN (accepted, mediating) AND due_on <= day`. The old index
(committee, due_on) answered that by reading every case ever given a deadline up to that day — closed ones
included, 97% of a street's 100k — and SQLite keeps choosing it once ANALYZE has run (it cannot tell how
selective a date range is): 48–113 ms, where (committee, status, due_on) reads the ~460 open cases in 0.7 ms.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 01:30:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain CREATE/DROP INDEX on both engines (no batch copy of the table: SQLite does these in place).
    op.create_index('ix_case_committee_status_due', 'mediation_case', ['committee_id', 'status', 'due_on'], unique=False)
    op.drop_index('ix_case_committee_due', table_name='mediation_case')
    _analyze('ix_case_committee_status_due')


def _analyze(index: str) -> None:
    """SQLite: a database that has statistics (sqlite_stat1, from ANALYZE or `PRAGMA optimize`) gets this index's
    too. Among analysed indexes one without statistics looks cheap to the planner: it chose (committee, status,
    due_on) for the whole list's first page and sorted 100k cases (50 ms, 220 ms cold) instead of reading the
    newest 200 from (committee, received_at, id). PostgreSQL plans from column statistics and needs nothing."""
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite':
        return
    if bind.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first():
        bind.exec_driver_sql(f'ANALYZE "{index}"')


def downgrade() -> None:
    op.create_index('ix_case_committee_due', 'mediation_case', ['committee_id', 'due_on'], unique=False)
    op.drop_index('ix_case_committee_status_due', table_name='mediation_case')
    _analyze('ix_case_committee_due')
