"""Notifications: events per recipient, announcements as one row each, audience sizes kept by triggers.

An announcement is one row whatever its audience; each reader's read state is a marker (read-all) and
a row per announcement read one by one. `audience_sizes` counts active users per lower(department)
('' for none); triggers on `users` keep it exact in the transaction of every insert, delete and
change of `is_active` or `department`, whichever code (or person) makes it. It starts from the users
already there, so an adopted database counts right away. (A later SQLite migration that rebuilds
`users` in batch mode drops its triggers with the old table, and must create them again.)

Revision ID: 0009_notifications
Revises: 0008_comments_votes_reactions
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_notifications"
down_revision = "0008_comments_votes_reactions"
branch_labels = None
depends_on = None

UNREAD = sa.text("NOT is_read")
ANNOUNCEMENTS = sa.text("user_id IS NULL")
UPVOTES = sa.text("type = 'upvote'")
# A row's audience key in SQLite's row triggers.
KEY_OLD, KEY_NEW = "lower(coalesce(OLD.department, ''))", "lower(coalesce(NEW.department, ''))"

# PostgreSQL: statement-level triggers with transition tables, one upsert per department per statement.
# (Row-level ones would update one hot row once per user: in a bulk insert of a million users, each
# update walks the chain of versions the same transaction left behind, which grows without end.)
MEMBERS = "lower(coalesce(department, ''))"
POSTGRESQL_TRIGGERS = [
    f"""
    CREATE FUNCTION loopin_count_audience() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO audience_sizes (department_key, members)
            SELECT {MEMBERS}, count(*) FROM new_rows WHERE is_active IS NOT FALSE GROUP BY 1
            ON CONFLICT (department_key) DO UPDATE SET members = audience_sizes.members + EXCLUDED.members;
        ELSIF TG_OP = 'DELETE' THEN
            UPDATE audience_sizes SET members = audience_sizes.members - gone.members
            FROM (SELECT {MEMBERS} AS department_key, count(*) AS members FROM old_rows
                  WHERE is_active IS NOT FALSE GROUP BY 1) AS gone
            WHERE audience_sizes.department_key = gone.department_key;
        ELSE
            INSERT INTO audience_sizes (department_key, members)
            SELECT department_key, sum(step) FROM (
                SELECT lower(coalesce(o.department, '')) AS department_key, -1 AS step
                FROM old_rows AS o WHERE o.is_active IS NOT FALSE
                UNION ALL
                SELECT lower(coalesce(n.department, '')), 1 FROM new_rows AS n WHERE n.is_active IS NOT FALSE
            ) AS moved GROUP BY department_key HAVING sum(step) <> 0
            ON CONFLICT (department_key) DO UPDATE SET members = audience_sizes.members + EXCLUDED.members;
        END IF;
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER users_audience_insert AFTER INSERT ON users REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION loopin_count_audience()",
    "CREATE TRIGGER users_audience_delete AFTER DELETE ON users REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION loopin_count_audience()",
    # Transition tables take no column list: every UPDATE of users runs it, and writes only when a
    # department or a standing moved (the HAVING above).
    "CREATE TRIGGER users_audience_update AFTER UPDATE ON users REFERENCING OLD TABLE AS old_rows "
    "NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION loopin_count_audience()",
]
# The unread count, polled by every open client: in a PL/pgSQL function, PostgreSQL plans its queries
# once per connection instead of on every poll (planning was most of the poll's database time). It
# says what inbox.unread_expression says on SQLite; tests/test_announcements.py holds them equal.
# A migration that changes these columns recreates it.
POSTGRESQL_UNREAD_COUNT = """
    CREATE FUNCTION loopin_unread_count(reader integer, reader_department text, reader_joined timestamptz)
    RETURNS bigint
    LANGUAGE plpgsql STABLE AS $$
    DECLARE
        events bigint;
        announcements bigint;
    BEGIN
        SELECT count(*) INTO events FROM notifications WHERE user_id = reader AND NOT is_read;
        SELECT count(*) INTO announcements FROM notifications AS n
        WHERE n.user_id IS NULL
          AND (n.audience_key IS NULL OR n.audience_key = lower(coalesce(reader_department, '')))
          AND n.created_at >= reader_joined
          AND (n.sender_id IS NULL OR n.sender_id <> reader)
          AND n.id > coalesce((SELECT read_through FROM notification_cursors WHERE user_id = reader), 0)
          AND NOT EXISTS (SELECT 1 FROM notification_reads AS r WHERE r.user_id = reader AND r.notification_id = n.id);
        RETURN events + announcements;
    END $$
"""
# SQLite: no procedures, so each trigger says it in statements (WHERE stands in for IF; the SELECT's
# WHERE also tells SQLite's parser the ON CONFLICT belongs to the INSERT).
SQLITE_LEAVE = f"UPDATE audience_sizes SET members = members - 1 WHERE department_key = {KEY_OLD};"
SQLITE_JOIN = (f"INSERT INTO audience_sizes (department_key, members) SELECT {KEY_NEW}, 1 WHERE NEW.is_active IS NOT 0 "
               "ON CONFLICT (department_key) DO UPDATE SET members = members + 1;")
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER users_audience_insert AFTER INSERT ON users BEGIN {SQLITE_JOIN} END",
    f"CREATE TRIGGER users_audience_delete AFTER DELETE ON users WHEN OLD.is_active IS NOT 0 BEGIN {SQLITE_LEAVE} END",
    "CREATE TRIGGER users_audience_update AFTER UPDATE OF is_active, department ON users "
    f"WHEN (OLD.is_active IS NOT 0) IS NOT (NEW.is_active IS NOT 0) OR {KEY_OLD} IS NOT {KEY_NEW} "
    f"BEGIN UPDATE audience_sizes SET members = members - 1 WHERE department_key = {KEY_OLD} "
    f"AND OLD.is_active IS NOT 0; {SQLITE_JOIN} END",
]
DROP = {
    "postgresql": ["DROP TRIGGER users_audience_update ON users", "DROP TRIGGER users_audience_delete ON users",
                   "DROP TRIGGER users_audience_insert ON users",
                   "DROP FUNCTION loopin_count_audience()",
                   "DROP FUNCTION loopin_unread_count(integer, text, timestamptz)"],
    "sqlite": ["DROP TRIGGER users_audience_update", "DROP TRIGGER users_audience_delete",
               "DROP TRIGGER users_audience_insert"],
}


def upgrade():
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("sender_id", sa.Integer(), nullable=True),
        sa.Column("audience_key", sa.String(length=64), nullable=True),
        sa.Column("is_read", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["sender_id"], ["users.id"], ondelete="SET NULL"),
        sa.CheckConstraint("type IN ('comment', 'reply', 'upvote', 'announcement')", name="ck_notifications_type"),
        sa.CheckConstraint("(user_id IS NULL) = (type = 'announcement')", name="ck_notifications_recipient"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_notifications_user", "notifications", ["user_id", "id"])
    op.create_index("ix_notifications_unread", "notifications", ["user_id"], postgresql_where=UNREAD,
                    sqlite_where=UNREAD)
    op.create_index("ix_notifications_announcements", "notifications", ["id"],
                    postgresql_where=ANNOUNCEMENTS, sqlite_where=ANNOUNCEMENTS)
    op.create_index("uq_notifications_upvote", "notifications", ["user_id", "post_id", "sender_id"], unique=True,
                    postgresql_where=UPVOTES, sqlite_where=UPVOTES)
    op.create_index("ix_notifications_post", "notifications", ["post_id"])
    op.create_index("ix_notifications_sender", "notifications", ["sender_id"])
    op.create_index("ix_notifications_created", "notifications", ["created_at"])
    op.create_table(
        "notification_reads",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["notification_id"], ["notifications.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "notification_id"),
    )
    op.create_index("ix_notification_reads_notification", "notification_reads", ["notification_id"])
    op.create_table(
        "notification_cursors",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("read_through", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id"),
    )
    audience_sizes = op.create_table(
        "audience_sizes",
        sa.Column("department_key", sa.String(length=64), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("department_key"),
    )
    users = sa.table("users", sa.column("department", sa.String), sa.column("is_active", sa.Boolean))
    key = sa.func.lower(sa.func.coalesce(users.c.department, ""))
    op.execute(audience_sizes.insert().from_select(
        ["department_key", "members"],
        sa.select(key, sa.func.count()).where(users.c.is_active.isnot(False)).group_by(key)))
    on_postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in [*POSTGRESQL_TRIGGERS, POSTGRESQL_UNREAD_COUNT] if on_postgresql else SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade():
    for statement in DROP[op.get_bind().dialect.name]:
        op.execute(statement)
    op.drop_table("audience_sizes")
    op.drop_table("notification_cursors")
    op.drop_index("ix_notification_reads_notification", table_name="notification_reads")
    op.drop_table("notification_reads")
    for index in ("ix_notifications_created", "ix_notifications_sender", "ix_notifications_post",
                  "uq_notifications_upvote", "ix_notifications_announcements", "ix_notifications_unread",
                  "ix_notifications_user"):
        op.drop_index(index, table_name="notifications")
    op.drop_table("notifications")
