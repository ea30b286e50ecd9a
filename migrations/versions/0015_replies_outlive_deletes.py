"""Deleting a thread never depends on its depth: a reply's parent_id is SET NULL, not CASCADE.

When its parent row goes, a reply's parent_id is set NULL instead of the reply being deleted by cascade.

SQLite runs cascades as nested triggers, at most 1,000 deep: a post over a reply chain ~1,000 long could
not be deleted (503 after seconds holding the write lock; `loopin users delete` crashed). Loopin never
deletes a comment that has replies (it leaves a "[deleted]" placeholder), so SET NULL only acts while a
whole post, with every comment under it, is being deleted by its own cascade: one level, whatever the
depth. SQLite rebuilds `comments` in batch mode for it (its foreign keys have no names to alter).

Revision ID: 0015_replies_outlive_deletes
Revises: 0014_posts_by_type
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_replies_outlive_deletes"
down_revision = "0014_posts_by_type"
branch_labels = None
depends_on = None

POSTGRESQL_NAME = "comments_parent_id_fkey"  # PostgreSQL's name for 0008's unnamed constraint


def comments_table(parent_ondelete):
    """`comments` as 0008 made it, with the parent's ON DELETE as given."""
    table = sa.Table(
        "comments", sa.MetaData(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("is_deleted", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("upvotes", sa.Integer(), server_default="0", nullable=False),
        sa.Column("downvotes", sa.Integer(), server_default="0", nullable=False),
        sa.Column("reactions_count", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["parent_id"], ["comments.id"], ondelete=parent_ondelete),
        sa.PrimaryKeyConstraint("id"),
    )
    sa.Index("ix_comments_post", table.c.post_id, table.c.id)
    sa.Index("ix_comments_parent", table.c.parent_id)
    return table


def parent_on_delete(ondelete):
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(POSTGRESQL_NAME, "comments", type_="foreignkey")
        op.create_foreign_key(POSTGRESQL_NAME, "comments", "comments", ["parent_id"], ["id"], ondelete=ondelete)
        return
    # SQLite: the table is made again from this definition, and its rows copied into it.
    with op.batch_alter_table("comments", copy_from=comments_table(ondelete), recreate="always"):
        pass


def upgrade():
    parent_on_delete("SET NULL")


def downgrade():
    parent_on_delete("CASCADE")
