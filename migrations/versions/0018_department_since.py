"""users.department_since: when an account's department last changed (NULL: never).

A department's announcements reach those who were in it when they were sent: changing one's own
department (`PUT /users/me`) let a student read what a department had been told before they moved into
it. On the accounts' branch (after 0012, like it): a database that 0004 stops on for case duplicates
still gets every column the accounts read, so everyone signs in meanwhile. 0019 joins the branches and
gives PostgreSQL's unread count the column.

Revision ID: 0018_department_since
Revises: 0012_accounts_always_named
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_department_since"
down_revision = "0012_accounts_always_named"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("users", sa.Column("department_since", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    # Not batch mode: rebuilding users on SQLite would lose its expression indexes and triggers.
    op.execute("ALTER TABLE users DROP COLUMN department_since")
