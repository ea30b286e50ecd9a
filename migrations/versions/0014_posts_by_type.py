"""Posts by type, newest first: campus news reads the newest announcements with one index scan.

Revision ID: 0014_posts_by_type
Revises: 0013_join_accounts_and_board
Create Date: 2026-12-02
"""

from alembic import op

revision = "0014_posts_by_type"
down_revision = "0013_join_accounts_and_board"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_posts_type_created", "posts", ["type", "created_at", "id"])


def downgrade():
    op.drop_index("ix_posts_type_created", table_name="posts")
