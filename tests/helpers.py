"""Helpers shared by test modules (conftest.py holds only fixtures and hooks): the test app's
configuration, building and migrating apps, AuthActions, sockets."""

import socket
from contextlib import closing

import flask_migrate
import pytest
from sqlalchemy import event

from loopin import create_app
from loopin.core.extensions import db
from loopin.core.schema import register_migrations


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
    # No background mail sender per app: tests deliver the outbox themselves (tests/test_mail.py).
    "MAIL_SEND_INTERVAL": 0,
}


def make_app(database_url, tmp_path, **overrides):
    """An app as a command line builds it: with Flask-Migrate, so tests can migrate its database."""
    app = create_app({**TEST_CONFIG, "DATABASE_URL": database_url, "INSTANCE_PATH": str(tmp_path / "instance"),
                      **overrides})
    register_migrations(app)
    return app


def flask_command(app, *args):
    """Run one of the app's commands (`db upgrade`, `check`): its exit code, and its output with the
    exception's message, if any."""
    result = app.test_cli_runner().invoke(args=list(args))
    return result.exit_code, result.output + (str(result.exception) if result.exception else "")


def migrate_to_head(database_url, tmp_path):
    app = make_app(database_url, tmp_path)
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()


# For tests that need an empty database (no tables) of each kind: @both_databases.
both_databases = pytest.mark.parametrize(
    "empty_database_url", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)], indirect=True
)


# GET /health's answers.
HEALTHY = {"status": "ok", "database": "connected", "migrations": "current", "rate_limit_store": None}
DATABASE_DOWN = {"status": "error", "database": "unavailable", "migrations": None, "rate_limit_store": None}


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


class AuthActions:
    """Register, log in, refresh and call /auth/me in one line (flaskr's AuthActions). The defaults
    (email, password, client IP) are per instance, and every call can override them."""

    EMAIL = "test@test.edu"
    PASSWORD = "correct horse battery"

    def __init__(self, client, email=EMAIL, password=PASSWORD, ip=None):
        self.client, self.email, self.password, self.ip = client, email, password, ip

    def _post(self, path, email, password, ip, headers):
        credentials = {"email": email or self.email, "password": password or self.password}
        address = ip or self.ip
        return self.client.post(path, json=credentials, headers=headers or {},
                                environ_base={"REMOTE_ADDR": address} if address else {})

    def register(self, email=None, password=None, ip=None, headers=None):
        return self._post("/auth/register", email, password, ip, headers)

    def login(self, email=None, password=None, ip=None, headers=None):
        return self._post("/auth/login", email, password, ip, headers)

    def sign_in(self, email=None, password=None, agent=None):
        """The token pair of a new session: register, or log in when the account exists."""
        headers = {"User-Agent": agent} if agent else None
        response = self.register(email, password, headers=headers)
        if response.status_code == 400:
            response = self.login(email, password, headers=headers)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def headers(self, email=None, password=None):
        return bearer(self.sign_in(email, password)["access_token"])

    def refresh(self, refresh_token):
        return self.client.post("/auth/refresh", json={"refresh_token": refresh_token})

    def me(self, access_token):
        """(status, body) of GET /auth/me with this token."""
        response = self.client.get("/auth/me", headers=bearer(access_token))
        return response.status_code, response.get_json()


def statements_during(app, action):
    """(the SQL texts the app's engine ran while `action()` ran, what it returned)."""
    with app.app_context():
        engine = db.engine
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731 (the SQL text)
    event.listen(engine, "before_cursor_execute", listener)
    try:
        result = action()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return statements, result


def statements_for(app, client, path, headers):
    """(how many SQL statements one request made, its JSON answer)."""
    statements, body = statements_during(app, lambda: client.get(path, headers=headers).get_json())
    return len(statements), body


def at_once(call, arguments):
    """`call(argument)` for each argument, each in its own thread, all released together: the
    concurrency tests' race. The results, in the order of `arguments`."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    start_together = threading.Barrier(len(arguments))

    def released(argument):
        start_together.wait()
        return call(argument)

    with ThreadPoolExecutor(len(arguments)) as pool:
        return list(pool.map(released, arguments))


def run_together(threads, seconds, stop):
    """Start `threads`, let them run `seconds`, then set `stop` and wait for every one."""
    import time

    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()


def signed_in_people(client, count, prefix):
    """Bearer headers of `count` new accounts."""
    return [bearer(AuthActions(client, email=f"{prefix}{n}@test.edu").sign_in()["access_token"]) for n in range(count)]
