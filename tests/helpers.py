"""Helpers shared by test modules (conftest.py holds only fixtures and hooks): the test app's
configuration, building and migrating apps, AuthActions, sockets."""

import socket
from contextlib import closing

import flask_migrate
import pytest

from loopin import create_app
from loopin.core.extensions import db



def free_port():
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening_socket():
    """A TCP listener on a free port that never accepts: anything that connects waits in its backlog."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.setblocking(False)
    return listener


def was_connected_to(listener):
    """True if anything connected to `listener` (a connection waits in the backlog until accepted)."""
    try:
        connection, _ = listener.accept()
    except BlockingIOError:
        return False
    connection.close()
    return True


TEST_SECRET_KEY = "test-signing-key-that-is-long-enough-0123456789"
# Cheap hashing: the suite hashes hundreds of passwords (cookiecutter-flask's BCRYPT_LOG_ROUNDS idea).
TEST_CONFIG = {
    "LOAD_DOTENV": False,
    "TESTING": True,
    "SECRET_KEY": TEST_SECRET_KEY,
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_KIB": 64,
    "ARGON2_PARALLELISM": 1,
    # The suite logs in hundreds of times from one address; tests/test_rate_limits.py turns limits on.
    "RATELIMIT_ENABLED": False,
}


def make_app(database_url, tmp_path, **overrides):
    return create_app({**TEST_CONFIG, "DATABASE_URL": database_url, "INSTANCE_PATH": str(tmp_path / "instance"),
                       **overrides})


def migrate_to_head(database_url, tmp_path):
    app = make_app(database_url, tmp_path)
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()


# For tests that need an empty database (no tables) of each kind: @both_databases.
both_databases = pytest.mark.parametrize(
    "empty_database_url", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)], indirect=True
)


class AuthActions:
    """Register, log in and build bearer headers in one line (flaskr's AuthActions)."""

    EMAIL = "test@test.edu"
    PASSWORD = "correct horse battery"

    def __init__(self, client):
        self.client = client

    def register(self, email=EMAIL, password=PASSWORD):
        return self.client.post("/auth/register", json={"email": email, "password": password})

    def login(self, email=EMAIL, password=PASSWORD):
        return self.client.post("/auth/login", json={"email": email, "password": password})

    def headers(self, email=EMAIL, password=PASSWORD):
        response = self.register(email, password)
        if response.status_code != 200:
            response = self.login(email, password)
        assert response.status_code == 200, response.get_json()
        return {"Authorization": f"Bearer {response.get_json()['access_token']}"}
