"""The benchmark's database: migrated, users seeded in bulk (not through the API), tokens minted
in-process with the server's key."""

import uuid
from datetime import timedelta

import flask_migrate
from flask_jwt_extended import create_refresh_token
from sqlalchemy import func, insert, select, text

from loopin import create_app
from loopin.auth.passwords import passwords
from loopin.auth.sessions import start_session
from loopin.auth.tokens import issue_tokens
from loopin.core.clock import utcnow
from loopin.core.database import transaction
from loopin.core.extensions import db
from loopin.core.schema import register_migrations
from loopin.models import AuthSession, User


class BenchDatabase:
    def __init__(self, url, secret_key, instance, password):
        self.password = password
        self.user_hash = None
        self.app = create_app({"DATABASE_URL": url, "SECRET_KEY": secret_key, "INSTANCE_PATH": str(instance),
                               "LOAD_DOTENV": False, "RATELIMIT_ENABLED": False, "LOG_LEVEL": "WARNING",
                               "MAIL_SEND_INTERVAL": 0,
                               # Seeding a million posts keeps PostgreSQL writing and checkpointing: a
                               # new connection then took longer than a server's 3 s (a full run died so).
                               "DB_CONNECT_TIMEOUT": 60})

    def migrate_and_seed(self, users):
        register_migrations(self.app)  # a WSGI-style app has none (servers never load Alembic)
        with self.app.app_context():
            flask_migrate.upgrade()
            # One real Argon2id hash at production cost, shared by every seeded user.
            self.user_hash = passwords().hash(self.password)
        self.seed_users(users)

    def seed_users(self, total):
        """Users user1@bench.edu … user<total>@bench.edu, added with one INSERT … SELECT."""
        with self.app.app_context():
            have = db.session.scalar(select(func.count()).select_from(User).where(User.email.like("user%@bench.edu")))
            # A million rows take longer than the production statement timeout; lift it for this transaction.
            db.session.execute(text("SET LOCAL statement_timeout = 0"))
            db.session.execute(text(
                "INSERT INTO users (email, hashed_password, is_active) "
                "SELECT 'user' || g || '@bench.edu', :hashed, true FROM generate_series(:first, :last) AS g"),
                {"hashed": self.user_hash, "first": have + 1, "last": total})
            db.session.commit()
            db.session.execute(text("ANALYZE users"))
            db.session.commit()

    def seed_posts(self, total):
        """Posts up to `total`, in one INSERT ... SELECT: eight departments, five tags (one row each in
        post_tags), every 17th anonymous, one a second back in time, so a bigger table adds older posts
        and the feed's first page is the same; three pinned for good. Their words: "lab" and "exam" are
        each in a tenth of the texts, and both in every 100th title (the search scenario's ~1 %)."""
        with self.app.app_context():
            have = db.session.scalar(text("SELECT count(*) FROM posts"))
            db.session.execute(text("SET LOCAL statement_timeout = 0"))
            db.session.execute(text(
                "INSERT INTO posts (author_id, title, content, department, department_key, type, tags, "
                "is_anonymous, created_at) "
                "SELECT first_user + g % 1000, 'Post ' || g || CASE WHEN g % 100 = 0 THEN ' lab exam schedule' "
                "ELSE '' END, 'Seeded content ' || g || ' about the ' || word, dep, lower(dep), "
                "'discussion', tag, g % 17 = 0, now() - make_interval(secs => g) "
                "FROM generate_series(:first, :last) AS g, (SELECT min(id) AS first_user FROM users) AS u, "
                "LATERAL (SELECT (ARRAY['CSE','ECE','ME','CE','EEE','IT','BIO','MBA'])[1 + g % 8] AS dep, "
                "(ARRAY['Event','Academic','Sports','Notice','Club'])[1 + g % 5] AS tag, "
                "(ARRAY['notes','timetable','fest','canteen','library','hostel','club','seminar','lab','exam'])"
                "[1 + g % 10] AS word) AS x"),
                {"first": have + 1, "last": total})
            db.session.execute(text("INSERT INTO post_tags (post_id, tag_key) "
                                    "SELECT id, lower(tags) FROM posts WHERE id > :have"), {"have": have})
            if have == 0:
                db.session.execute(text("UPDATE posts SET pinned_at = now() WHERE id IN (5, 500, 5000)"))
            db.session.commit()
            db.session.execute(text("ANALYZE posts"))
            db.session.execute(text("ANALYZE post_tags"))
            db.session.commit()
            # As autovacuum would after a million inserts: the search index's pending list merged into
            # the GIN index (every search would read it otherwise), and its statistics.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE post_search"))

    def seed_comments(self, post_id, total):
        """`total` comments on one post (every fifth a reply to the one before), counted on the post."""
        with self.app.app_context():
            db.session.execute(text(
                "INSERT INTO comments (post_id, author_id, content, created_at) "
                "SELECT :post, first_user + g % 1000, 'Seeded comment ' || g, now() - make_interval(secs => :n - g) "
                "FROM generate_series(1, :n) AS g, (SELECT min(id) AS first_user FROM users) AS u"),
                {"post": post_id, "n": total})
            db.session.execute(text("UPDATE comments SET parent_id = id - 1 WHERE post_id = :post AND id % 5 = 0 "
                                    "AND id > (SELECT min(id) FROM comments WHERE post_id = :post)"), {"post": post_id})
            db.session.execute(text("UPDATE posts SET comments_count = comments_count + :n, score = score + 2 * :n "
                                    "WHERE id = :post"), {"post": post_id, "n": total})
            db.session.commit()

    def seed_notifications(self, email, events, announcements):
        """`events` notifications for one user (every third unread) and `announcements` to everyone."""
        with self.app.app_context():
            db.session.execute(text(
                "INSERT INTO notifications (user_id, type, title, message, post_id, sender_id, is_read) "
                "SELECT u.id, 'comment', 'New Comment', 'Someone commented on your post', 1, u.id + 1, g % 3 <> 0 "
                "FROM generate_series(1, :n) AS g, (SELECT id FROM users WHERE email = :email) AS u"),
                {"n": events, "email": email})
            db.session.execute(text(
                "INSERT INTO notifications (user_id, type, title, message, sender_id) "
                "SELECT NULL, 'announcement', 'Notice ' || g, 'Seeded announcement', 1 "
                "FROM generate_series(1, :n) AS g"),
                {"n": announcements})
            db.session.commit()
            db.session.execute(text("ANALYZE notifications"))
            db.session.commit()

    def seed_moderation(self, muter_email, mutes, hidden_every):
        """`muter_email` mutes `mutes` authors spread over the 1,000 who post (every 20th), and every
        `hidden_every`th post is hidden by reports, as moderation leaves a busy board."""
        with self.app.app_context():
            db.session.execute(text(
                "INSERT INTO mutes (user_id, muted_id) "
                "SELECT m.id, u.first_user + 20 * g - 1 FROM generate_series(1, :mutes) AS g, "
                "(SELECT min(id) AS first_user FROM users) AS u, (SELECT id FROM users WHERE email = :email) AS m"),
                {"mutes": mutes, "email": muter_email})
            db.session.execute(text("UPDATE posts SET hidden_at = now() WHERE id % :every = 7"),
                               {"every": hidden_every})
            db.session.commit()
            db.session.execute(text("ANALYZE mutes"))
            db.session.execute(text("ANALYZE posts"))
            db.session.commit()

    def seed_department(self, department, total):
        """`total` more users of `department` (dept-<name>-<n>@bench.edu): an announcement's audience."""
        with self.app.app_context():
            db.session.execute(text("SET LOCAL statement_timeout = 0"))
            db.session.execute(text(
                "INSERT INTO users (email, hashed_password, is_active, department) "
                "SELECT 'dept-' || lower(:department) || '-' || g || '@bench.edu', :hashed, true, :department "
                "FROM generate_series(1, :total) AS g"),
                {"department": department, "hashed": self.user_hash, "total": total})
            db.session.commit()
            db.session.execute(text("ANALYZE users"))
            db.session.commit()

    def faculty_token(self, email):
        with self.app.app_context():
            db.session.execute(text("UPDATE users SET role = 'faculty' WHERE email = :email"), {"email": email})
            db.session.commit()
        return self.access_token(email)

    def access_token(self, email):
        with self.app.test_request_context():
            with transaction():
                user = db.session.scalar(select(User).where(User.email == email))
                session = start_session(user)
            return issue_tokens(user, session).access_token

    def refresh_tokens(self, path, count):
        """`count` sessions of user1, one refresh token each, written one per line to `path`."""
        with self.app.app_context():
            user = db.session.scalar(select(User).where(User.email == "user1@bench.edu"))
            now = utcnow()
            rows = [{"id": uuid.uuid4().hex, "user_id": user.id, "refresh_jti": str(uuid.uuid4()),
                     "created_at": now, "last_used_at": now, "expires_at": now + timedelta(days=1)}
                    for _ in range(count)]
            db.session.execute(insert(AuthSession), rows)
            db.session.commit()
            tokens = [create_refresh_token(identity=user.email,
                                           additional_claims={"sid": r["id"], "jti": r["refresh_jti"]})
                      for r in rows]
        path.write_text("\n".join(tokens) + "\n", encoding="utf-8")
        return path
