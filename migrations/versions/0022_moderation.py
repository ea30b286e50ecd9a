"""Moderation: reports, what the community hid (`hidden_at`), mutes, and moderation notices.

`reports` holds one row per report of a post or a comment (exactly one of the two), its reason and,
once an admin reviewed it, when and how (`resolved_at`, `resolution`); at most one open report per
reporter and target (partial unique indexes). Reports go with their target and with their reporter's
account (ON DELETE CASCADE); the reviewing admin's account going leaves them without one (SET NULL).
`posts.hidden_at` and `comments.hidden_at` are set while reports hide the row (NULL: shown), added in
place: rebuilding either table on SQLite would drop the search triggers of 0020. `mutes` holds who mutes
whom (both sides CASCADE). Notifications gain the `moderation` type: PostgreSQL swaps the CHECK
constraint; SQLite, which cannot alter one, rebuilds `notifications` from its definition below (it has
no triggers; 0009's are on `users`).

Revision ID: 0022_moderation
Revises: 0021_edits_and_revisions
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0022_moderation"
down_revision = "0021_edits_and_revisions"
branch_labels = None
depends_on = None

OLD_TYPES = ("comment", "reply", "upvote", "announcement")
NEW_TYPES = (*OLD_TYPES, "moderation")
REASONS = ("spam", "harassment", "off_topic", "personal_data", "other")
RESOLUTIONS = ("dismissed", "removed", "warned")


def notifications_table(types):
    """`notifications` as 0009 made it, with `types` allowed."""
    table = sa.Table(
        "notifications", sa.MetaData(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("sender_id", sa.Integer(), nullable=True),
        sa.Column("audience_key", sa.String(64), nullable=True),
        sa.Column("is_read", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["sender_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.CheckConstraint(f"type IN {types}", name="ck_notifications_type"),
        sa.CheckConstraint("(user_id IS NULL) = (type = 'announcement')", name="ck_notifications_recipient"),
    )
    sa.Index("ix_notifications_user", table.c.user_id, table.c.id)
    sa.Index("ix_notifications_unread", table.c.user_id, sqlite_where=sa.text("NOT is_read"))
    sa.Index("ix_notifications_announcements", table.c.id, sqlite_where=sa.text("user_id IS NULL"))
    sa.Index("uq_notifications_upvote", table.c.user_id, table.c.post_id, table.c.sender_id, unique=True,
             sqlite_where=sa.text("type = 'upvote'"))
    sa.Index("ix_notifications_post", table.c.post_id)
    sa.Index("ix_notifications_sender", table.c.sender_id)
    sa.Index("ix_notifications_created", table.c.created_at)
    return table


def allow_notification_types(types):
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("ck_notifications_type", "notifications", type_="check")
        op.create_check_constraint("ck_notifications_type", "notifications", f"type IN {types}")
        return
    with op.batch_alter_table("notifications", copy_from=notifications_table(types), recreate="always"):
        pass


def upgrade():
    for table in ("posts", "comments"):
        op.add_column(table, sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("reporter_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("post_id", sa.Integer(), sa.ForeignKey("posts.id", ondelete="CASCADE"), nullable=True),
        sa.Column("comment_id", sa.Integer(), sa.ForeignKey("comments.id", ondelete="CASCADE"), nullable=True),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("details", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.String(16), nullable=True),
        sa.Column("resolver_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.CheckConstraint("(post_id IS NULL) <> (comment_id IS NULL)", name="ck_reports_one_target"),
        sa.CheckConstraint(f"reason IN {REASONS}", name="ck_reports_reason"),
        sa.CheckConstraint(f"resolution IS NULL OR resolution IN {RESOLUTIONS}", name="ck_reports_resolution"),
        sqlite_autoincrement=True)
    open_only = {"postgresql_where": sa.text("resolved_at IS NULL"), "sqlite_where": sa.text("resolved_at IS NULL")}
    op.create_index("uq_reports_open_post", "reports", ["post_id", "reporter_id"], unique=True, **open_only)
    op.create_index("uq_reports_open_comment", "reports", ["comment_id", "reporter_id"], unique=True, **open_only)
    op.create_index("ix_reports_post", "reports", ["post_id"])
    op.create_index("ix_reports_comment", "reports", ["comment_id"])
    op.create_index("ix_reports_reporter", "reports", ["reporter_id", "created_at"])
    op.create_index("ix_reports_resolver", "reports", ["resolver_id"])
    op.create_table(
        "mutes",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("muted_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint("user_id <> muted_id", name="ck_mutes_not_self"))
    op.create_index("ix_mutes_muted", "mutes", ["muted_id"])
    allow_notification_types(NEW_TYPES)


def downgrade():
    op.execute("DELETE FROM notifications WHERE type = 'moderation'")
    allow_notification_types(OLD_TYPES)
    op.drop_table("mutes")
    op.drop_table("reports")
    for table in ("posts", "comments"):
        # Not batch mode: rebuilding the table on SQLite would drop its search triggers.
        op.execute(f"ALTER TABLE {table} DROP COLUMN hidden_at")
