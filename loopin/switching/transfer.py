"""The copy of the original's later database into Loopin's tables, at head and empty: set-based
INSERT ... SELECT per table, ids kept, the rules of rules.py applied on the way, then every counter and
score recomputed from the rows. Parents before children, so PostgreSQL checks each foreign key as the
rows arrive; SQLite's are checked at the end (takeover.py)."""

from sqlalchemy import DateTime, bindparam, text

from ..comments.models import DELETED_CONTENT
from ..core.clock import utcnow
from ..posts.counters import COMMENT_WEIGHT, SHARE_WEIGHT, VOTE_WEIGHT
from . import rules
from .dialect import Spelling
from .notifications_transfer import copy_audit_logs, copy_notifications

SCRATCH = ("loopin_renames", "loopin_tags", "loopin_folds")
SERIAL_TABLES = ("users", "posts", "comments", "votes", "reactions", "notifications", "audit_logs")


class Copy:
    """One run: the connection, how the original's tables are named (`o`), the dialect's spellings
    and the time the copy stamps where the original kept none."""

    def __init__(self, connection, o):
        self.connection, self.o = connection, o
        self.spell = Spelling(connection.dialect.name)
        self.now = utcnow()

    def run(self, sql, parameters=None):
        statement = text(sql)
        if ":now" in sql:
            statement = statement.bindparams(bindparam("now", self.now, type_=DateTime(timezone=True)))
        return self.connection.execute(statement, parameters or {})

    def insert_rows(self, table, rows):
        if rows:
            columns = list(rows[0])
            self.run(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})",
                     rows)


def copy_everything(connection, o, renames, tags):
    """Every row of the original's tables into Loopin's, with the usernames and tags counted before
    (repairs.count_repairs: the same rows, read before they were set aside)."""
    copy = Copy(connection, o)
    for table, columns in (("loopin_renames", "user_id INTEGER PRIMARY KEY, username VARCHAR(30)"),
                           ("loopin_tags", "post_id INTEGER PRIMARY KEY, tags VARCHAR(400)"),
                           ("loopin_folds", "id INTEGER PRIMARY KEY, folded_id INTEGER")):
        copy.run(f"CREATE TEMPORARY TABLE {table} ({columns})")
    copy.insert_rows("loopin_renames", [{"user_id": r.user_id, "username": r.new} for r in renames])
    copy_users(copy)
    copy_posts(copy, tags)
    copy_threads(copy)
    recount(copy)
    copy_notifications(copy)
    copy_audit_logs(copy)
    for table in SCRATCH:
        copy.run(f"DROP TABLE {table}")
    if copy.spell.postgresql:
        for table in SERIAL_TABLES:  # the next id follows the kept ones
            copy.run(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 1), "
                     f"max(id) IS NOT NULL) FROM {table}")


def copy_users(copy):
    o, utc = copy.o, copy.spell.utc
    copy.run(f"""
        INSERT INTO users (id, email, hashed_password, is_active, created_at, username, full_name, department,
                           bio, profile_photo_url, enrollment_number, role, email_verified_at)
        SELECT u.id, u.email, u.hashed_password, coalesce(u.is_active, true), coalesce({utc('u.created_at')}, :now),
               coalesce(r.username, u.username), substr(coalesce(u.full_name, r.username, u.username), 1, 100),
               substr(u.department, 1, 64), substr(u.bio, 1, 500),
               CASE WHEN length(u.profile_photo_url) <= {rules.MAX_PHOTO} THEN u.profile_photo_url END,
               CASE WHEN {rules.enrollment_kept(o, 'u')} THEN u.enrollment_number END,
               CASE WHEN {rules.known_role('u')} THEN u.role ELSE 'student' END,
               -- Google or Firebase verified the address when the account was made.
               CASE WHEN u.auth_provider IN ('google', 'firebase') THEN coalesce({utc('u.created_at')}, :now) END
        FROM {o}users u LEFT JOIN loopin_renames r ON r.user_id = u.id""")


def copy_posts(copy, tags):
    o, utc = copy.o, copy.spell.utc
    copy.insert_rows("loopin_tags", [{"post_id": post_id, "tags": shown} for post_id, shown in tags.shown.items()])
    # A pin in force is dated by its PIN_POST in the audit log, or else by the post.
    copy.run(f"""
        INSERT INTO posts (id, author_id, title, content, department, department_key, type, tags, is_anonymous,
                           pinned_at, pinned_until, created_at, share_count, media_url, media_public_id, media_type)
        SELECT p.id, CASE WHEN {rules.user_exists(o, 'p.author_id')} THEN p.author_id END,
               substr(p.title, 1, 200), p.content, substr(p.department, 1, 64), substr(p.department, 1, 64),
               CASE WHEN {rules.known_post_type('p')} THEN p.type ELSE 'discussion' END,
               t.tags, coalesce(p.is_anonymous, false),
               CASE WHEN p.is_pinned THEN coalesce(
                   (SELECT max(a.timestamp) FROM {o}audit_logs a WHERE a.action = 'PIN_POST'
                    AND a.target_type = 'post' AND a.target_id = p.id), {utc('p.created_at')}, :now) END,
               CASE WHEN p.is_pinned THEN {utc('p.pinned_until')} END,
               coalesce({utc('p.created_at')}, :now), CASE WHEN p.share_count > 0 THEN p.share_count ELSE 0 END,
               CASE WHEN {rules.media_kept('p')} THEN p.media_url END,
               CASE WHEN {rules.media_kept('p')} THEN p.media_public_id END,
               CASE WHEN {rules.media_kept('p')} THEN p.media_type END
        FROM {o}posts p LEFT JOIN loopin_tags t ON t.post_id = p.id""")
    # The department's key is its casefold() (posts/services.py): one UPDATE per department, in Python.
    departments = copy.run("SELECT DISTINCT department FROM posts").scalars().all()
    for department in departments:
        copy.run("UPDATE posts SET department_key = :key WHERE department = :department",
                 {"key": department.casefold()[:64], "department": department})  # "ß" folds to two letters
    copy.insert_rows("post_tags", tags.rows)


def copy_threads(copy):
    """Comments (a reply whose parent the original lost gets the parent back as a "[deleted]"
    placeholder, as Loopin shows a deleted comment with replies), then votes and reactions."""
    o, utc = copy.o, copy.spell.utc
    copy.run(f"""
        INSERT INTO comments (id, post_id, author_id, parent_id, content, is_deleted, created_at)
        SELECT c.parent_id, min(c.post_id), NULL, NULL, :deleted, true, coalesce(min({utc('c.created_at')}), :now)
        FROM {o}comments c
        WHERE {rules.post_exists(o, 'c.post_id')} AND c.parent_id IS NOT NULL
          AND NOT {rules.comment_kept(o, 'c.parent_id')}
        GROUP BY c.parent_id""", {"deleted": DELETED_CONTENT})
    copy.run(f"""
        INSERT INTO comments (id, post_id, author_id, parent_id, content, is_deleted, created_at)
        SELECT c.id, c.post_id, CASE WHEN {rules.user_exists(o, 'c.author_id')} THEN c.author_id END, c.parent_id,
               c.content, false, coalesce({utc('c.created_at')}, :now)
        FROM {o}comments c WHERE {rules.post_exists(o, 'c.post_id')}""")
    copy.run(f"""
        INSERT INTO votes (id, user_id, post_id, comment_id, vote_type, created_at)
        SELECT v.id, v.user_id, v.post_id, v.comment_id, v.vote_type, :now
        FROM {o}votes v WHERE {rules.vote_kept(o, 'v')}""")
    copy.run(f"""
        INSERT INTO reactions (id, user_id, post_id, comment_id, emoji, created_at)
        SELECT r.id, r.user_id, r.post_id, r.comment_id, r.emoji, coalesce({utc('r.created_at')}, :now)
        FROM {o}reactions r WHERE {rules.reaction_kept(o, 'r')}""")


def recount(copy):
    """Counters and scores from the rows, never from the original's counters (its votes lost updates):
    one UPDATE per table, of the rows that count anything (each rewrite of a row costs its indexes)."""
    votes = ("SELECT {target} AS id, sum(CASE WHEN vote_type = 1 THEN 1 ELSE 0 END) AS up, "
             "sum(CASE WHEN vote_type = -1 THEN 1 ELSE 0 END) AS down FROM votes WHERE {target} IS NOT NULL "
             "GROUP BY {target}")
    counted = "SELECT {target} AS id, count(*) AS counted FROM {table} WHERE {where} GROUP BY {target}"
    up, down, many = "coalesce(counts.up, 0)", "coalesce(counts.down, 0)", "coalesce(counts.counted, 0)"
    copy.run(f"""
        UPDATE posts SET upvotes = {up}, downvotes = {down}, comments_count = {many},
               score = {VOTE_WEIGHT} * ({up} - {down}) + {COMMENT_WEIGHT} * {many} + {SHARE_WEIGHT} * posts.share_count
        FROM (SELECT p.id, v.up, v.down, c.counted FROM posts p
              LEFT JOIN ({votes.format(target='post_id')}) v ON v.id = p.id
              LEFT JOIN ({counted.format(target='post_id', table='comments', where='NOT is_deleted')}) c ON c.id = p.id
              WHERE v.id IS NOT NULL OR c.id IS NOT NULL OR p.share_count > 0) counts
        WHERE counts.id = posts.id""")
    copy.run(f"""
        UPDATE comments SET upvotes = {up}, downvotes = {down}, reactions_count = {many}
        FROM (SELECT c.id, v.up, v.down, r.counted FROM comments c
              LEFT JOIN ({votes.format(target='comment_id')}) v ON v.id = c.id
              LEFT JOIN ({counted.format(target='comment_id', table='reactions', where='comment_id IS NOT NULL')}) r
                     ON r.id = c.id
              WHERE v.id IS NOT NULL OR r.id IS NOT NULL) counts
        WHERE counts.id = comments.id""")
