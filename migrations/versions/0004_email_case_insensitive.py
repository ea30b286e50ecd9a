"""One account per address whatever its letter case: a unique index on lower(email).

The original compared emails case-sensitively, so an adopted database may hold addresses that differ
only by case. Merging them silently would lose an account, so this revision stops and names them
instead, changing nothing; the database stays at 0003, where Loopin runs and each of those users still
logs in with the email exactly as stored. This step is the last of the chain for that reason: until
the duplicates are resolved, every revision before it is applied. docs/switching.md ("Emails that differ only
by case") says how to resolve them; then run `flask --app loopin db upgrade` again.

Revision ID: 0004_email_case_insensitive
Revises: 0003_sessions
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_email_case_insensitive"
down_revision = "0003_sessions"
branch_labels = None
depends_on = None

CASE_DUPLICATES = sa.text(
    "SELECT lower(email) AS address, count(*) AS accounts FROM users "
    "GROUP BY lower(email) HAVING count(*) > 1 ORDER BY lower(email)"
)


class CaseDuplicatesFound(RuntimeError):
    pass


def refuse_case_duplicates(connection):
    duplicates = connection.execute(CASE_DUPLICATES).all()
    if duplicates:
        listed = ", ".join(f"{row.address} ({row.accounts} accounts)" for row in duplicates)
        raise CaseDuplicatesFound(
            f"Cannot make emails case-insensitive: {len(duplicates)} address(es) belong to several accounts "
            f"that differ only by letter case: {listed}. Nothing was changed by this step. Resolve them "
            "(docs/switching.md: 'Emails that differ only by case'), then run `flask --app loopin db upgrade` again."
        )


def upgrade():
    refuse_case_duplicates(op.get_bind())
    op.create_index("uq_users_email_lower", "users", [sa.text("lower(email)")], unique=True)


def downgrade():
    op.drop_index("uq_users_email_lower", table_name="users")
