"""A database as the FastAPI original left it, built the way the original built it: the four columns of
its create_all, no alembic_version, rows with passlib-style bcrypt hashes at cost 12 (made with the
`bcrypt` package, not Loopin's code)."""

from datetime import datetime, timedelta, timezone
from functools import lru_cache
from itertools import cycle

import bcrypt
import jwt as pyjwt
import sqlalchemy as sa

# What SQLAlchemy's create_all emitted for the original's model, per dialect.
ORIGINAL_DDL = {
    "postgresql": [
        "CREATE TABLE users (id SERIAL NOT NULL, email VARCHAR NOT NULL, hashed_password VARCHAR NOT NULL, "
        "is_active BOOLEAN, PRIMARY KEY (id))",
        "CREATE INDEX ix_users_id ON users (id)",
        "CREATE UNIQUE INDEX ix_users_email ON users (email)",
    ],
    "sqlite": [
        "CREATE TABLE users (id INTEGER NOT NULL, email VARCHAR NOT NULL, hashed_password VARCHAR NOT NULL, "
        "is_active BOOLEAN, PRIMARY KEY (id))",
        "CREATE INDEX ix_users_id ON users (id)",
        "CREATE UNIQUE INDEX ix_users_email ON users (email)",
    ],
}

# (email as the original stored it, password, is_active). The 7-character password predates any policy.
ORIGINAL_USERS = [
    ("alice@college.edu", "alice-password-1", True),
    ("Bob.Smith@college.edu", "pass123", True),
    ("carol@college.edu", "c" * 80, True),  # passlib hashed only the first 72 bytes
    ("dave@college.edu", "dave-password-4", False),
]
BCRYPT_VARIANTS = ("$2b$", "$2a$", "$2y$", "$2b$")


@lru_cache(maxsize=None)  # cost 12 takes ~0.25 s a hash; the same rows serve every test
def original_hash(password, variant="$2b$"):
    hashed = bcrypt.hashpw(password.encode()[:72], bcrypt.gensalt(rounds=12)).decode()
    return variant + hashed[len("$2b$"):]


def build_original_database(url, users=ORIGINAL_USERS):
    """Create the original's table in the empty database at `url` and fill it; returns the rows' ids."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            for statement in ORIGINAL_DDL[engine.dialect.name]:
                connection.execute(sa.text(statement))
            for (email, password, active), variant in zip(users, cycle(BCRYPT_VARIANTS)):
                connection.execute(sa.text("INSERT INTO users (email, hashed_password, is_active) "
                                           "VALUES (:e, :h, :a)"), {"e": email, "h": original_hash(password, variant),
                                                                   "a": active})
            return dict(connection.execute(sa.text("SELECT email, id FROM users")).all())
    finally:
        engine.dispose()


def original_token(email, secret_key, minutes=30):
    """An access token as python-jose minted it in the original: HS256, sub = email, exp, nothing else."""
    return pyjwt.encode({"sub": email, "exp": datetime.now(timezone.utc) + timedelta(minutes=minutes)},
                        secret_key, algorithm="HS256")
