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
                               "LOAD_DOTENV": False, "RATELIMIT_ENABLED": False, "LOG_LEVEL": "WARNING"})

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
