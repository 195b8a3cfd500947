"""audit append-only: the database itself refuses to change or delete an audit entry

SQLite: BEFORE UPDATE / BEFORE DELETE triggers on audit_entry RAISE(ABORT, '审计记录不可修改'). PostgreSQL: the
same refusal as a trigger function, so it holds even for a role that was granted UPDATE/DELETE by mistake (the
README's multi-desk setup also revokes UPDATE/DELETE from the app role). audit_entry.committee_id is ON DELETE SET
NULL, which would be an UPDATE: committees are never deleted by the program, and with these triggers such a delete
is refused as a whole rather than silently rewriting the audit.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 14:30:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = '审计记录不可修改'


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        for event in ('UPDATE', 'DELETE'):
            op.execute(
                f"CREATE TRIGGER audit_entry_no_{event.lower()} BEFORE {event} ON audit_entry "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )
    else:
        op.execute(
            "CREATE FUNCTION audit_entry_refuse() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry "
            "FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse()"
        )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry")
        op.execute("DROP FUNCTION IF EXISTS audit_entry_refuse()")
