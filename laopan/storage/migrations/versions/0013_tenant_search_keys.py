"""search indexes keyed by committee: name grams, pinyin keys, the party's phone, ID and credit-code indexes and
the agent's phone index lead with the case's committee (issue 16 item 4)

In a district (ten committees on one PostgreSQL server) every search range held all ten committees' entries:
zw's pinyin range was 10,783 keys of which a committee could match ~1,100, and 138's phone and ID tails read
4,693 parties and 4,521 heap blocks to find ~470. With the committee leading, a range holds the committee's
own entries only (EXPLAIN ANALYZE in the note of issue 16).

`party.committee_id` and `agent.committee_id` are copied from the case (a case never changes committee); the
party's number indexes end with the case, so a range answers which cases without reading the table (PostgreSQL
read 437 heap blocks for 138's 452 parties); `name_gram` and `name_pinyin` are rebuilt with the committee in
their primary key, filled in key order from the old tables.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 22:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# index: (its column before 0013, its columns from 0013)
PARTY_INDEXES = {'ix_party_id_number': ('id_number', ['committee_id', 'id_number', 'case_id']),
                 'ix_party_id_number_rev': ('id_number_rev', ['committee_id', 'id_number_rev', 'case_id']),
                 'ix_party_phone_rev': ('phone_rev', ['committee_id', 'phone_rev', 'case_id']),
                 'ix_party_credit_code': ('credit_code', ['committee_id', 'credit_code'])}
# table: (its text column and that column's type, the secondary index on (case_id, text column) if it has one)
KEY_TABLES = {'name_gram': ('gram', sa.String(length=2), None),
              'name_pinyin': ('key', sa.String(length=60), 'ix_name_pinyin_case')}


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == 'sqlite'
    op.add_column('party', sa.Column('committee_id', sa.Integer(), nullable=True))
    op.execute('UPDATE party SET committee_id = '
               '(SELECT mediation_case.committee_id FROM mediation_case WHERE mediation_case.id = party.case_id)')
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.alter_column('committee_id', existing_type=sa.Integer(), nullable=False)
        for name, (_column, columns) in PARTY_INDEXES.items():
            batch_op.drop_index(name)
            batch_op.create_index(name, columns, unique=False)
    op.add_column('agent', sa.Column('committee_id', sa.Integer(), nullable=True))
    op.execute('UPDATE agent SET committee_id = (SELECT party.committee_id FROM party WHERE party.id = agent.party_id)')
    with op.batch_alter_table('agent', schema=None) as batch_op:
        batch_op.alter_column('committee_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_index('ix_agent_phone_rev')
        batch_op.create_index('ix_agent_phone_rev', ['committee_id', 'phone_rev'], unique=False)
    for table, (column, type_, case_index) in KEY_TABLES.items():
        _rebuild(table, column, type_, case_index, sqlite=sqlite, tenant=True)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for table, (column, type_, case_index) in KEY_TABLES.items():
        _rebuild(table, column, type_, case_index, sqlite=sqlite, tenant=False)
    with op.batch_alter_table('agent', schema=None) as batch_op:
        batch_op.drop_index('ix_agent_phone_rev')
        batch_op.create_index('ix_agent_phone_rev', ['phone_rev'], unique=False)
        batch_op.drop_column('committee_id')
    with op.batch_alter_table('party', schema=None) as batch_op:
        for name, (column, _columns) in PARTY_INDEXES.items():
            batch_op.drop_index(name)
            batch_op.create_index(name, [column], unique=False)
        batch_op.drop_column('committee_id')


def _rebuild(table: str, column: str, type_: sa.types.TypeEngine, case_index: str | None, *, sqlite: bool,
             tenant: bool) -> None:
    """`table` again, with (tenant) or without the committee leading its primary key, filled in key order.

    SQLite's table is WITHOUT ROWID, so its primary key is declared with it and rows go in in key order;
    PostgreSQL's key is built once after the fill (cheaper than keeping it through every insert) and takes the
    old name when the old table is gone (an index name is unique in a schema)."""
    new = f'{table}_0013'
    keys = (['committee_id'] if tenant else []) + [column, 'case_id']
    columns = [sa.Column(name, sa.Integer() if name != column else type_, nullable=False) for name in keys]
    constraints = [sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=f'fk_{table}_case_id_mediation_case',
                                           ondelete='CASCADE')]
    if sqlite:
        constraints.append(sa.PrimaryKeyConstraint(*keys, name=f'pk_{table}'))
    op.create_table(new, *columns, *constraints, sqlite_with_rowid=False)
    listed = ', '.join(keys)
    if tenant:
        source = f'SELECT c.committee_id, t.{column}, t.case_id FROM {table} t JOIN mediation_case c ON c.id = t.case_id'
    else:
        source = f'SELECT DISTINCT t.{column}, t.case_id FROM {table} t'
    op.execute(f'INSERT INTO {new} ({listed}) {source} ORDER BY {listed}')
    if case_index is not None:
        op.drop_index(case_index, table_name=table)
    op.drop_table(table)
    op.rename_table(new, table)
    if not sqlite:
        op.create_primary_key(f'pk_{table}', table, keys)
    if case_index is not None:
        op.create_index(case_index, table, ['case_id', column], unique=False)
