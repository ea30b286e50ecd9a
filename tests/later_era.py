"""A database as the original's later version leaves it (mebisen06/Loop.in at bbb78d4): its schema from
the dumps in switching/original_later/, filled with a small board and every awkward case its code let
in. PostgreSQL enforced its foreign keys, so rows that point at nothing exist on SQLite only."""

from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from original_era import original_hash

SCHEMAS = Path(__file__).parent / "switching" / "original_later"
ADMIN_PASSWORD, BOB_PASSWORD = "Admin-password-1", "Bob-password-22"
T0 = datetime(2026, 10, 1, 9, 30, 0)  # naive UTC, as the original wrote it

# id, email, password, auth_provider, username, full_name, department, role
USERS = [
    (1, "admin@college.edu", ADMIN_PASSWORD, "local", "admin", "Campus Admin", "Administration", "admin"),
    (2, "asha@college.edu", None, "firebase", "asha", "Asha Rao", "CSE", "student"),
    (3, "Asha2@college.edu", None, "google", "Asha", None, "CSE", "student"),  # "asha" in another case
    (4, "rene@college.edu", None, "firebase", "rené1234", "René", "ECE", "student"),  # isalnum(), not ASCII
    (5, "bob@college.edu", BOB_PASSWORD, "local", None, None, "Électronique", None),  # registered: no username
    (6, "prof@college.edu", None, "firebase", "prof", "Prof. Iyer", "CSE", "faculty"),
    (7, "weird@college.edu", None, "firebase", "weird", "Weird", "CSE", "superuser"),
]
# The original's numbers were unique only exactly: 6 holds 2's in another case.
ENROLLMENT = {2: "CSE-001", 4: "ECE-7", 6: "cse-001"}
# id, author, title, department, tags, type, anonymous, pinned, upvotes (wrong), shares, media url, media type
POSTS = [
    (10, 1, "Exam week", "Administration", "Academic, event ,academic,,Notice", "announcement", False, True, 99, 4,
     None, None),
    (11, 2, "Anyone up for chess?", "CSE", None, "discussion", True, False, 0, 0, "blob:http://localhost/1", "image"),
    (12, 5, "Lab timings?", "Électronique", "Lab", "poll", False, False, 7, 1,
     "https://res.cloudinary.com/demo/image/upload/v1/loopin/x.png", "image"),
]
# id, post, author, parent, content
COMMENTS = [(20, 10, 2, None, "When do results come?"), (21, 10, 3, 20, "Friday, I think"),
            (22, 10, 1, 21, "Friday, confirmed."), (23, 11, 5, None, "Me!")]
# id, user, post, comment, vote_type
VOTES = [(30, 2, 10, None, 1), (31, 3, 10, None, 1), (32, 5, 10, None, 1), (33, 6, 10, None, -1),
         (34, 1, 11, None, 1), (35, 3, None, 20, 1), (36, 5, None, 20, -1),
         (37, 7, 12, 20, 1),  # two targets
         (38, 7, 11, None, 2)]  # neither 1 nor -1
# id, user, post, comment, emoji
REACTIONS = [(40, 2, 10, None, "+1"), (41, 3, 10, None, "heart"), (42, None, 10, None, "rocket"),
             (43, None, 10, None, "rocket"), (44, 5, None, 20, "🎉")]
EXAM, FEST = "Exam schedule", "Fest on Friday"
# id, recipient, sender, type, title, reference id, reference type, read, seconds after T0
NOTIFICATIONS = [
    (100, 1, 2, "comment", "New comment", 10, "post", False, 10),
    (101, 1, 2, "upvote", "New upvote", 10, "post", False, 11),
    (102, 1, 2, "upvote", "New upvote", 10, "post", True, 50),  # the same upvote again, after an unvote
    (103, 2, 1, "upvote", "New upvote", 11, "post", True, 60),
    (104, 3, None, "system", "Welcome", None, None, False, 70),  # a type Loopin has not
    # One announcement, one row per user but its sender, as the original fanned it out; 2 and 3 read it.
    *[(110 + user, user, 1, "announcement", EXAM, None, "announcement", user in (2, 3), 100) for user in range(2, 8)],
    # Another, ten minutes later, across a second's boundary; nobody read it.
    *[(120 + user, user, 1, "announcement", FEST, None, "announcement", False, 700 + (user > 4))
      for user in range(2, 8)],
]
AUDIT = [(1, "PIN_POST", 1, 10, "post", "pinned for exam week", 5), (2, "DELETE_POST", 1, 50, "post", None, 6)]

# What SQLite's lack of foreign-key enforcement let in: rows pointing at deleted posts, comments, users.
ORPHAN_COMMENTS = [(24, 11, 5, 999, "reply to a deleted comment"), (25, 777, 2, None, "on a deleted post")]
ORPHAN_VOTES = [(50, 2, 777, None, 1), (51, 3, None, 998, 1), (52, 555, 10, None, 1)]
ORPHAN_REACTIONS = [(60, 2, 777, None, "+1")]
ORPHAN_NOTIFICATIONS = [(130, 2, 1, "comment", "New comment", 777, "post", False, 20)]


def statements(dialect):
    text = (SCHEMAS / f"{dialect}.sql").read_text(encoding="utf-8")
    lines = "\n".join(line for line in text.splitlines() if not line.startswith("--"))
    return [statement.strip() for statement in lines.split(";\n") if statement.strip()]


def at(seconds):
    return T0 + timedelta(seconds=seconds)


def fill(connection, orphans):
    insert = lambda table, columns, rows: connection.execute(  # noqa: E731
        sa.text(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})"),
        [dict(zip(columns, row)) for row in rows])
    insert("users", ["id", "email", "hashed_password", "is_active", "auth_provider", "username", "full_name",
                     "department", "role", "created_at", "enrollment_number"],
           [(i, e, original_hash(p) if p else None, True, a, u, f, d, r, T0 - timedelta(days=30 - i), ENROLLMENT.get(i))
            for i, e, p, a, u, f, d, r in USERS])
    insert("posts", ["id", "author_id", "title", "content", "department", "tags", "type", "is_anonymous",
                     "is_pinned", "upvotes", "downvotes", "comments_count", "share_count", "media_url",
                     "media_type", "created_at"],
           [(i, a, t, f"{t} (body)", d, tags, kind, anon, pin, up, 0, 0, shares, url, media, at(i))
            for i, a, t, d, tags, kind, anon, pin, up, shares, url, media in POSTS])
    comments = COMMENTS + (ORPHAN_COMMENTS if orphans else [])
    insert("comments", ["id", "post_id", "author_id", "parent_id", "content", "upvotes", "downvotes", "created_at"],
           [(*row, 0, 0, at(row[0])) for row in comments])
    insert("votes", ["id", "user_id", "post_id", "comment_id", "vote_type"], VOTES + (ORPHAN_VOTES if orphans else []))
    insert("reactions", ["id", "user_id", "post_id", "comment_id", "emoji", "created_at"],
           [(*row, at(row[0])) for row in REACTIONS + (ORPHAN_REACTIONS if orphans else [])])
    insert("notifications", ["id", "recipient_id", "sender_id", "type", "title", "message", "reference_id",
                             "reference_type", "is_read", "created_at"],
           [(i, r, s, k, t, f"{t}: details", ref, kind, read, at(seconds))
            for i, r, s, k, t, ref, kind, read, seconds in NOTIFICATIONS + (ORPHAN_NOTIFICATIONS if orphans else [])])
    insert("audit_logs", ["id", "action", "admin_id", "target_id", "target_type", "details", "timestamp"],
           [(i, a, admin, target, kind, details, at(seconds)) for i, a, admin, target, kind, details, seconds in AUDIT])


def build_later_database(url, orphans=None):
    """The original's later schema in the empty database at `url`, filled; with orphans (SQLite's
    default) also the rows pointing at nothing."""
    engine = sa.create_engine(url)
    try:
        sqlite = engine.dialect.name == "sqlite"
        with engine.begin() as connection:
            for statement in statements("sqlite" if sqlite else "postgresql"):
                connection.exec_driver_sql(statement)
            fill(connection, sqlite if orphans is None else orphans)
            if not sqlite:  # the original's sequences had moved past the rows it made
                for table in ("users", "posts", "comments", "votes", "reactions", "notifications", "audit_logs"):
                    connection.execute(sa.text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))"))
    finally:
        engine.dispose()
