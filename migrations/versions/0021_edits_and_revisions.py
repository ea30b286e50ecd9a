"""Posts and comments can be edited: `edited_at` on each, and the versions an edit replaced.

`post_revisions` and `comment_revisions` keep each replaced version (its text, and for a post its
title, department, type and tags) with who made the edit. They go with their post or comment (ON
DELETE CASCADE); an editor's account going leaves the revision without an editor (SET NULL). The
columns are added in place (no batch mode): rebuilding `posts` or `comments` on SQLite would drop the
search triggers of 0020.

Revision ID: 0021_edits_and_revisions
Revises: 0020_search
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_edits_and_revisions"
down_revision = "0020_search"
branch_labels = None
depends_on = None


def upgrade():
    for table in ("posts", "comments"):
        op.add_column(table, sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True))
    sqlite = {"sqlite_autoincrement": True}  # ids never reused (0016)
    op.create_table(
        "post_revisions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("post_id", sa.Integer(), sa.ForeignKey("posts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("editor_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("department", sa.String(64), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("tags", sa.String(400), nullable=True),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        **sqlite)
    op.create_index("ix_post_revisions_post", "post_revisions", ["post_id", "id"])
    op.create_table(
        "comment_revisions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("comment_id", sa.Integer(), sa.ForeignKey("comments.id", ondelete="CASCADE"), nullable=False),
        sa.Column("editor_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        **sqlite)
    op.create_index("ix_comment_revisions_comment", "comment_revisions", ["comment_id", "id"])


def downgrade():
    op.drop_table("comment_revisions")
    op.drop_table("post_revisions")
    for table in ("posts", "comments"):
        # Not batch mode: rebuilding the table on SQLite would drop its search triggers.
        op.execute(f"ALTER TABLE {table} DROP COLUMN edited_at")
