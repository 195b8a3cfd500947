"""login: app users get a password hash, a failed-login counter and a lock-out; logins become case-insensitive

Existing logins are casefolded (and the audit trail keeps the login as it was written). If two logins of one
committee differ only in case, the upgrade is refused naming them: an administrator renames one first.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 14:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    users = bind.execute(sa.text("SELECT id, committee_id, login FROM app_user ORDER BY id")).all()
    seen: dict[tuple[int, str], str] = {}
    for _id, committee_id, login in users:
        key = (committee_id, login.strip().casefold())
        if key in seen:
            raise RuntimeError(
                f"无法升级数据库：登录名“{seen[key]}”和“{login}”只有大小写不同（登录名今后不区分大小写）。"
                "请用旧版程序先把其中一个改名或删除，再升级"
            )
        seen[key] = login
    with op.batch_alter_table('app_user') as batch:
        batch.add_column(sa.Column('password_hash', sa.String(length=255), nullable=True))
        batch.add_column(sa.Column('password_changed_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
    update = sa.text("UPDATE app_user SET login = :login WHERE id = :id")
    for id_, _committee_id, login in users:
        folded = login.strip().casefold()
        if folded != login:
            bind.execute(update, {"id": id_, "login": folded})


def downgrade() -> None:
    with op.batch_alter_table('app_user') as batch:
        batch.drop_column('locked_until')
        batch.drop_column('failed_logins')
        batch.drop_column('password_changed_at')
        batch.drop_column('password_hash')
