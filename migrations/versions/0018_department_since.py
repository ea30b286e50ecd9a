"""A department's announcements reach those who were in it when they were sent: users.department_since.

Changing one's own department (`PUT /users/me`) let a student read the announcements a department had
been sent before they moved into it. `department_since` is when an account's department last changed
(NULL: never, so since it joined); a department's announcement older than that is not theirs. On
PostgreSQL the unread count's function (0009) takes it as a fourth argument.

Revision ID: 0018_department_since
Revises: 0017_enrollment_any_case
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_department_since"
down_revision = "0017_enrollment_any_case"
branch_labels = None
depends_on = None

UNREAD_COUNT = """
    CREATE FUNCTION loopin_unread_count(reader integer, reader_department text, reader_joined timestamptz{since})
    RETURNS bigint
    LANGUAGE plpgsql STABLE AS $$
    DECLARE
        events bigint;
        announcements bigint;
    BEGIN
        SELECT count(*) INTO events FROM notifications WHERE user_id = reader AND NOT is_read;
        SELECT count(*) INTO announcements FROM notifications AS n
        WHERE n.user_id IS NULL
          AND (n.audience_key IS NULL OR n.audience_key = lower(coalesce(reader_department, '')){in_department_then})
          AND n.created_at >= reader_joined
          AND (n.sender_id IS NULL OR n.sender_id <> reader)
          AND n.id > coalesce((SELECT read_through FROM notification_cursors WHERE user_id = reader), 0)
          AND NOT EXISTS (SELECT 1 FROM notification_reads AS r WHERE r.user_id = reader AND r.notification_id = n.id);
        RETURN events + announcements;
    END $$
"""
IN_DEPARTMENT_THEN = "\n    AND (reader_department_since IS NULL OR n.created_at >= reader_department_since)"
WITH_SINCE = UNREAD_COUNT.format(since=", reader_department_since timestamptz", in_department_then=IN_DEPARTMENT_THEN)
WITHOUT_SINCE = UNREAD_COUNT.format(since="", in_department_then="")


def upgrade():
    op.add_column("users", sa.Column("department_since", sa.DateTime(timezone=True), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION loopin_unread_count(integer, text, timestamptz)")
        op.execute(WITH_SINCE)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION loopin_unread_count(integer, text, timestamptz, timestamptz)")
        op.execute(WITHOUT_SINCE)
    # Not batch mode: rebuilding users on SQLite would lose its expression indexes and triggers.
    op.execute("ALTER TABLE users DROP COLUMN department_since")
