"""Loopin's first addition to users: created_at, stamped by the database.

Revision ID: 0002_users_created_at
Revises: 0001_original_users
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_users_created_at"
down_revision = "0001_original_users"
branch_labels = None
depends_on = None


def upgrade():
    # SQLite cannot ADD COLUMN with a non-constant default; batch mode copies the table instead.
    recreate = "always" if op.get_bind().dialect.name == "sqlite" else "auto"
    with op.batch_alter_table("users", recreate=recreate) as batch:
        batch.add_column(sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                                   server_default=sa.func.now()))


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_column("created_at")
