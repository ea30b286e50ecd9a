"""Join the accounts' branch (0018) and the board (0017); PostgreSQL's unread count takes department_since.

A department's announcement older than the reader's `department_since` is not theirs: the function
(0009) gets it as a fourth argument, as notifications/audience.py says on SQLite.

Revision ID: 0019_join_department_since
Revises: 0017_enrollment_any_case, 0018_department_since
Create Date: 2026-12-02
"""

from alembic import op

revision = "0019_join_department_since"
down_revision = ("0017_enrollment_any_case", "0018_department_since")
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
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION loopin_unread_count(integer, text, timestamptz)")
        op.execute(WITH_SINCE)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION loopin_unread_count(integer, text, timestamptz, timestamptz)")
        op.execute(WITHOUT_SINCE)
