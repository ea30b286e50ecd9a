"""Loopin's additions to users: created_at, and one account per address whatever its letter case.

The original compared emails case-sensitively, so an adopted database may hold addresses that differ
only by case. Merging them silently would lose an account, so the upgrade stops and names them
instead; README.md ("Switching from the FastAPI backend") says how to resolve them.

Revision ID: 0002_loopin_users
Revises: 0001_original_users
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_loopin_users"
down_revision = "0001_original_users"
branch_labels = None
depends_on = None

CASE_DUPLICATES = sa.text(
    "SELECT lower(email) AS address, count(*) AS accounts FROM users "
    "GROUP BY lower(email) HAVING count(*) > 1 ORDER BY lower(email)"
)


def refuse_case_duplicates(connection):
    duplicates = connection.execute(CASE_DUPLICATES).all()
    if duplicates:
        listed = ", ".join(f"{row.address} ({row.accounts} accounts)" for row in duplicates)
        raise RuntimeError(
            f"Cannot make emails case-insensitive: {len(duplicates)} address(es) belong to several accounts "
            f"that differ only by letter case: {listed}. Nothing was changed. Resolve them first "
            "(README: 'Emails that differ only by case'), then run `flask --app loopin db upgrade` again."
        )


def upgrade():
    connection = op.get_bind()
    refuse_case_duplicates(connection)
    # SQLite cannot ADD COLUMN with a non-constant default; batch mode copies the table instead.
    recreate = "always" if connection.dialect.name == "sqlite" else "auto"
    with op.batch_alter_table("users", recreate=recreate) as batch:
        batch.add_column(sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                                   server_default=sa.func.now()))
    op.create_index("uq_users_email_lower", "users", [sa.text("lower(email)")], unique=True)


def downgrade():
    op.drop_index("uq_users_email_lower", table_name="users")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("created_at")
