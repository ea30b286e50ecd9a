"""users.email_verified_at: when the account's address was proved by a mailed link (NULL: not yet).

It branches from 0005, like 0005 from 0003: an adopted database whose addresses differ only by case
stops before 0004, and the accounts code reads every column of `users`, so signing in keeps working
while the duplicates are resolved. 0011 joins this branch again. ADD COLUMN, not a batch rebuild:
rebuilding `users` on SQLite would drop 0009's audience triggers.

Revision ID: 0010_users_email_verified
Revises: 0005_profiles_roles_audit
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_users_email_verified"
down_revision = "0005_profiles_roles_audit"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("users", sa.Column("email_verified_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.drop_column("users", "email_verified_at")  # in place (SQLite 3.35+): the triggers stay
