"""Comments, votes and reactions: threads under posts and toggles with exact counters.

Foreign keys cascade from posts, comments and users, so deleting any of them never fails on rows that
point at it. One vote per user and target and one reaction per user, target and emoji are unique
indexes (NULLs never collide, on SQLite and PostgreSQL alike), which is what makes concurrent
identical votes safe.

Revision ID: 0008_comments_votes_reactions
Revises: 0007_posts
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_comments_votes_reactions"
down_revision = "0007_posts"
branch_labels = None
depends_on = None

ONE_TARGET = "(post_id IS NULL) <> (comment_id IS NULL)"


def target_columns():
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("comment_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["comment_id"], ["comments.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    ]


def upgrade():
    op.create_table(
        "comments",
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
        sa.ForeignKeyConstraint(["parent_id"], ["comments.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_comments_post", "comments", ["post_id", "id"])
    op.create_index("ix_comments_parent", "comments", ["parent_id"])
    op.create_table(
        "votes", *target_columns(),
        sa.Column("vote_type", sa.SmallInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(ONE_TARGET, name="ck_votes_one_target"),
        sa.CheckConstraint("vote_type IN (1, -1)", name="ck_votes_type"),
    )
    op.create_index("uq_votes_user_post", "votes", ["user_id", "post_id"], unique=True)
    op.create_index("uq_votes_user_comment", "votes", ["user_id", "comment_id"], unique=True)
    op.create_index("ix_votes_post", "votes", ["post_id"])
    op.create_index("ix_votes_comment", "votes", ["comment_id"])
    op.create_table(
        "reactions", *target_columns(),
        sa.Column("emoji", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(ONE_TARGET, name="ck_reactions_one_target"),
    )
    op.create_index("uq_reactions_user_post_emoji", "reactions", ["user_id", "post_id", "emoji"], unique=True)
    op.create_index("uq_reactions_user_comment_emoji", "reactions", ["user_id", "comment_id", "emoji"], unique=True)
    op.create_index("ix_reactions_post", "reactions", ["post_id", "emoji"])
    op.create_index("ix_reactions_comment", "reactions", ["comment_id", "emoji"])


def downgrade():
    for table, indexes in (
        ("reactions", ("ix_reactions_comment", "ix_reactions_post", "uq_reactions_user_comment_emoji",
                       "uq_reactions_user_post_emoji")),
        ("votes", ("ix_votes_comment", "ix_votes_post", "uq_votes_user_comment", "uq_votes_user_post")),
        ("comments", ("ix_comments_parent", "ix_comments_post")),
    ):
        for index in indexes:
            op.drop_index(index, table_name=table)
        op.drop_table(table)
