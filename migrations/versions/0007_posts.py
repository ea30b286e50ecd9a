"""Posts and their tags: the feed's table, its indexes, one row per (post, tag).

Real foreign keys (deleting a user or a post takes what hangs off it), the indexes the feed's order
and filters use, and one row per (post, tag) so the whole-tag filter is an index lookup on SQLite and
PostgreSQL alike.

Revision ID: 0007_posts
Revises: 0006_merge_profiles_and_case
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_posts"
down_revision = "0006_merge_profiles_and_case"
branch_labels = None
depends_on = None

PINNED = sa.text("pinned_at IS NOT NULL")


def upgrade():
    op.create_table(
        "posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("department", sa.String(length=64), nullable=False),
        sa.Column("department_key", sa.String(length=64), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("tags", sa.String(length=400), nullable=True),
        sa.Column("is_anonymous", sa.Boolean(), nullable=False),
        sa.Column("pinned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("pinned_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("upvotes", sa.Integer(), server_default="0", nullable=False),
        sa.Column("downvotes", sa.Integer(), server_default="0", nullable=False),
        sa.Column("comments_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("share_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("score", sa.Integer(), server_default="0", nullable=False),
        sa.Column("media_url", sa.String(length=2048), nullable=True),
        sa.Column("media_public_id", sa.String(length=255), nullable=True),
        sa.Column("media_type", sa.String(length=8), nullable=True),
        sa.CheckConstraint("type IN ('discussion', 'question', 'announcement')", name="ck_posts_type"),
        sa.CheckConstraint("media_type IS NULL OR media_type IN ('image', 'video')", name="ck_posts_media_type"),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_posts_created", "posts", ["created_at", "id"])
    op.create_index("ix_posts_department_created", "posts", ["department_key", "created_at", "id"])
    op.create_index("ix_posts_author_created", "posts", ["author_id", "created_at", "id"])
    op.create_index("ix_posts_pinned", "posts", ["pinned_at"], postgresql_where=PINNED, sqlite_where=PINNED)
    op.create_index("ix_posts_score", "posts", ["score", "created_at"])
    op.create_table(
        "post_tags",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("tag_key", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("post_id", "tag_key"),
    )
    op.create_index("ix_post_tags_tag", "post_tags", ["tag_key", "post_id"])


def downgrade():
    op.drop_index("ix_post_tags_tag", table_name="post_tags")
    op.drop_table("post_tags")
    for index in ("ix_posts_score", "ix_posts_pinned", "ix_posts_author_created", "ix_posts_department_created",
                  "ix_posts_created"):
        op.drop_index(index, table_name="posts")
    op.drop_table("posts")
