"""The database the original's later version leaves behind (commit bbb78d4 of mebisen06/Loop.in): its
tables made by `create_all`, no migration history. Recognised by every table and the columns only it
has, never by one table: the first version's database has a `users` table too, and so does Loopin's.

While the upgrade runs, its tables sit in a schema of their own, `loopin_original` (on PostgreSQL a
schema, on SQLite the backup file attached under that name); before it, in the database's own."""

from sqlalchemy import inspect, text

ORIGINAL = "loopin_original"

# Each table with columns that only the later version's has (Loopin's tables name them differently).
SIGNATURE = {
    "users": {"id", "email", "hashed_password", "auth_provider", "username", "role"},
    "posts": {"id", "author_id", "tags", "is_pinned", "upvotes", "comments_count"},
    "comments": {"id", "post_id", "author_id", "parent_id", "upvotes"},
    "votes": {"id", "user_id", "post_id", "comment_id", "vote_type"},
    "reactions": {"id", "user_id", "post_id", "comment_id", "emoji"},
    "notifications": {"id", "recipient_id", "sender_id", "reference_id", "reference_type", "is_read"},
    "audit_logs": {"id", "action", "admin_id", "target_id", "timestamp"},
}
TABLES = tuple(SIGNATURE)


class Recognition:
    """What a database without migration history holds: the later original's schema (`complete`),
    part of it (`missing` names what is not there), or something else (`found` is False)."""

    def __init__(self, found, missing=()):
        self.found, self.missing = found, tuple(missing)

    @property
    def complete(self):
        return self.found and not self.missing


def recognise(connection):
    inspector = inspect(connection)
    tables = set(inspector.get_table_names())
    if "alembic_version" in tables or "auth_provider" not in column_names(inspector, tables, "users"):
        return Recognition(False)
    missing = []
    for table, columns in SIGNATURE.items():
        absent = columns - column_names(inspector, tables, table)
        if absent:
            missing.append(f"{table} ({', '.join(sorted(absent))})" if table in tables else table)
    return Recognition(True, missing)


def column_names(inspector, tables, table):
    return {column["name"] for column in inspector.get_columns(table)} if table in tables else set()


def prefix(in_place):
    """How the SQL of this package names the original's tables: in the database's own schema (before
    the upgrade) or in `loopin_original` (during it)."""
    return "" if in_place else ORIGINAL + "."


def row_counts(connection, in_place=True):
    source = prefix(in_place)
    union = " UNION ALL ".join(f"SELECT '{table}', count(*) FROM {source}{table}" for table in TABLES)
    return dict(connection.execute(text(union)).all())


def announcement_rows(connection, in_place=True):
    return connection.execute(text(f"SELECT count(*) FROM {prefix(in_place)}notifications "
                                   "WHERE type = 'announcement'")).scalar()
