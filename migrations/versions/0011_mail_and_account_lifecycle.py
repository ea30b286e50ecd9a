"""Mail and the account lifecycle: the outbox, single-use emailed tokens, verified addresses.

The outbox holds every message from the transaction that queued it until it is delivered (its body is
emptied then); `email_tokens` keeps only SHA-256 digests of the tokens mailed in links
(`users.email_verified_at` came in 0010, on the branch after 0005). A post may lose its
author (`posts.author_id` NULL): a deleted account's posts stay, anonymized. SQLite rebuilds `posts`
for that in batch mode (env.py turns foreign keys off around it, so nothing cascades).

Revision ID: 0011_mail_and_account_lifecycle
Revises: 0009_notifications, 0010_users_email_verified
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_mail_and_account_lifecycle"
down_revision = ("0009_notifications", "0010_users_email_verified")
branch_labels = None
depends_on = None

DUE = sa.text("sent_at IS NULL AND failed_at IS NULL")
# Batch mode reflects `posts` to copy it; not the tables its keys point at (users has an expression
# index SQLAlchemy cannot reflect, and nothing of it is copied anyway).
ONLY_POSTS = {"resolve_fks": False}


def upgrade():
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("template", sa.String(length=32), nullable=True),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_outbox_due", "outbox", ["next_attempt_at"], postgresql_where=DUE, sqlite_where=DUE)
    op.create_table(
        "email_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_email_tokens_user_id", "email_tokens", ["user_id"])
    with op.batch_alter_table("posts", reflect_kwargs=ONLY_POSTS) as batch:
        batch.alter_column("author_id", existing_type=sa.Integer(), nullable=True)


def downgrade():
    op.execute("DELETE FROM posts WHERE author_id IS NULL")  # posts without an author cannot go back
    with op.batch_alter_table("posts", reflect_kwargs=ONLY_POSTS) as batch:
        batch.alter_column("author_id", existing_type=sa.Integer(), nullable=False)
    op.drop_index("ix_email_tokens_user_id", table_name="email_tokens")
    op.drop_table("email_tokens")
    op.drop_index("ix_outbox_due", table_name="outbox")
    op.drop_table("outbox")
