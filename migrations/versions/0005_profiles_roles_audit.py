"""Profiles and roles on users (existing accounts become students); the audit_logs table.

Plain ADD COLUMN and CREATE INDEX only (no batch copy of users: on SQLite a copy would lose the
lower(email) index). Nothing is seeded: the first admin is made with `flask --app loopin users
create-admin EMAIL`.

Revision ID: 0005_profiles_roles_audit
Revises: 0003_sessions
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_profiles_roles_audit"
down_revision = "0003_sessions"
branch_labels = None
depends_on = None

PROFILE_COLUMNS = [
    ("username", 30), ("full_name", 100), ("department", 64), ("bio", 500), ("profile_photo_url", 2048),
    ("enrollment_number", 32),
]


def upgrade():
    for name, length in PROFILE_COLUMNS:
        op.add_column("users", sa.Column(name, sa.String(length=length), nullable=True))
    op.add_column("users", sa.Column("role", sa.String(length=16), server_default="student", nullable=False))
    # Usernames are stored lower-cased, so a plain unique index makes them unique whatever the case.
    op.create_index("uq_users_username", "users", ["username"], unique=True)
    op.create_index("uq_users_enrollment_number", "users", ["enrollment_number"], unique=True)
    op.create_index("ix_users_role", "users", ["role"])
    op.create_table(
        "audit_logs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("target_type", sa.String(length=32), nullable=False),
        sa.Column("target_id", sa.String(length=64), nullable=False),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_logs_created_at", "audit_logs", ["created_at"])


def downgrade():
    op.drop_index("ix_audit_logs_created_at", table_name="audit_logs")
    op.drop_table("audit_logs")
    for index in ("ix_users_role", "uq_users_enrollment_number", "uq_users_username"):
        op.drop_index(index, table_name="users")
    for name in ("role", *reversed([name for name, _length in PROFILE_COLUMNS])):
        op.drop_column("users", name)
