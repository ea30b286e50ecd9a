"""Fixtures: `app`, `client`, `runner`, `auth`, on SQLite and on PostgreSQL; `redis_url`, the real Redis.

API tests take `app` (or `client`), which is parametrized over both databases. SQLite tests get a copy
of a template migrated once per session; PostgreSQL tests share a scratch database migrated once per
session and emptied after each test. Both schemas are built by the real migrations.
"""

import os
import shutil

import pytest
from helpers import AuthActions, make_app, migrate_to_head
from own_redis import shared_redis_url
from pg_wire import WireLog
from postgres import ENABLE_HINT, PostgresServer, in_ci
from sqlalchemy.engine import make_url
from tcp_proxy import TcpProxy

from loopin.core.extensions import db

POSTGRES_FIXTURES = {"postgres_server", "postgres_database", "postgres_url", "pg_app"}


def postgres_unavailable_reason():
    """None when TEST_DATABASE_URL names a reachable server, else why not."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return "TEST_DATABASE_URL is not set"
    try:
        PostgresServer(url).check_reachable()
    except Exception as error:  # psycopg2.OperationalError, with the server's reason
        return f"PostgreSQL at TEST_DATABASE_URL is unreachable: {str(error).strip()}"
    return None


def needs_postgres(item):
    return item.get_closest_marker("postgresql") is not None or bool(POSTGRES_FIXTURES & set(item.fixturenames))


def pytest_collection_modifyitems(config, items):
    """Without PostgreSQL, its tests are deselected with one line saying how to enable them; in CI
    they stay selected, so the missing server fails the run instead of hiding it."""
    reason = postgres_unavailable_reason()
    config.postgres_unavailable = reason
    if reason is None or in_ci():
        return
    deselected = [item for item in items if needs_postgres(item)]
    if deselected:
        items[:] = [item for item in items if not needs_postgres(item)]
        config.hook.pytest_deselected(items=deselected)
        config.postgres_deselected = len(deselected)


def pytest_terminal_summary(terminalreporter, config):
    if getattr(config, "postgres_deselected", 0):
        terminalreporter.write_line(
            f"{config.postgres_deselected} PostgreSQL tests not run ({config.postgres_unavailable}). {ENABLE_HINT}",
            yellow=True,
        )


@pytest.fixture
def redis_url():
    return shared_redis_url()


@pytest.fixture(scope="session")
def postgres_server(pytestconfig):
    """The PostgreSQL server of TEST_DATABASE_URL. Reached only when it is available or in CI."""
    if pytestconfig.postgres_unavailable:
        pytest.fail(f"CI=true and {pytestconfig.postgres_unavailable}: the PostgreSQL half must run in CI")
    return PostgresServer(os.environ["TEST_DATABASE_URL"])


@pytest.fixture(scope="session")
def postgres_database(postgres_server, tmp_path_factory):
    """A scratch database at the migrations' head, shared by the session's PostgreSQL tests."""
    url = postgres_server.create_database()
    migrate_to_head(url, tmp_path_factory.mktemp("pg-migrate"))
    yield url
    postgres_server.drop_database(url)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("sqlite-template") / "loopin.db"
    migrate_to_head(f"sqlite:///{path}", tmp_path_factory.mktemp("sqlite-migrate"))
    return path


def empty_tables(app):
    with app.app_context():
        tables = ", ".join(table.name for table in db.metadata.sorted_tables)
        db.session.execute(db.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.session.commit()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def database_url(request, tmp_path):
    """A database at the migrations' head, empty, for one test."""
    if request.param == "sqlite":
        path = tmp_path / "loopin.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    return request.getfixturevalue("postgres_database")


@pytest.fixture
def empty_database_url(request, tmp_path):
    """An empty database (no tables at all), SQLite or PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    server = request.getfixturevalue("postgres_server")
    url = server.create_database("loopin_migrate")
    yield url
    server.drop_database(url)


@pytest.fixture
def empty_app(empty_database_url, tmp_path):
    """An app on an empty database (no tables); its pool is closed afterwards."""
    app = make_app(empty_database_url, tmp_path)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def postgres_url(postgres_database):
    """The session's PostgreSQL database, for tests that only make sense there (concurrency, pools)."""
    return postgres_database


def app_for(database_url, tmp_path):
    app = make_app(database_url, tmp_path)
    yield app
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        empty_tables(app)
    with app.app_context():
        db.engine.dispose()  # each test's pool closes, so the server's connection slots never run out


@pytest.fixture
def app(database_url, tmp_path):
    yield from app_for(database_url, tmp_path)


@pytest.fixture
def pg_app(postgres_url, tmp_path):
    yield from app_for(postgres_url, tmp_path)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def auth(client):
    return AuthActions(client)


def app_builder(database_url, tmp_path, name, **settings):
    """A fixture's body: build apps over this test's database with these settings (and any given to
    each build), then close their pools. The test's `app` fixture empties the database afterwards."""
    built = []

    def build(**overrides):
        made = make_app(database_url, tmp_path / f"{name}{len(built)}", **{**settings, **overrides})
        built.append(made)
        return made

    yield build
    for made in built:
        with made.app_context():
            db.engine.dispose()


@pytest.fixture
def limited_app(app, database_url, tmp_path):
    """Build an app with rate limits on (in memory), over this test's database; `app` cleans it up."""
    yield from app_builder(database_url, tmp_path, "limited", RATELIMIT_ENABLED=True)


@pytest.fixture(scope="session")
def firebase_signing_key():
    from firebase_keys import new_key

    return new_key()


@pytest.fixture
def firebase_keys(firebase_signing_key):
    """Google's key set as the tests' own server publishes it (tests/firebase_keys.py)."""
    from firebase_keys import KID, KeyServer

    server = KeyServer({KID: firebase_signing_key})
    yield server
    server.close()


@pytest.fixture
def firebase_app(app, database_url, tmp_path, firebase_keys):
    """Build an app that accepts the tests' Firebase project's ID tokens, over this test's database."""
    from firebase_keys import PROJECT

    yield from app_builder(database_url, tmp_path, "firebase", FIREBASE_PROJECT_ID=PROJECT,
                           FIREBASE_JWKS_URL=firebase_keys.url)


@pytest.fixture
def own_redis(tmp_path):
    """A running Redis of the test's own (tests/own_redis.py), stopped afterwards if still up."""
    from own_redis import OwnRedis

    server = OwnRedis(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.fixture
def mail_server():
    """A real SMTP server in-process (tests/mail_server.py), stopped afterwards."""
    from mail_server import MailServer

    server = MailServer().start()
    yield server
    server.stop()


@pytest.fixture
def mail_app(app, database_url, tmp_path, mail_server):
    """Build an app that mails `mail_server` (other settings as given), over this test's database;
    `app` cleans it up."""
    yield from app_builder(database_url, tmp_path, "mail", **mail_server.settings)


@pytest.fixture
def ann(app, client):
    """A signed-in student with a profile (username `ann`): bearer headers."""
    from platform_helpers import signed_in

    return signed_in(app, client, "ann@test.edu")


@pytest.fixture
def post(client, ann):
    """A post by ann, as the API returned it."""
    from platform_helpers import create

    return create(client, ann)


# Issue 26's round-trip tests: an app whose every PostgreSQL connection goes through a proxy that logs
# what the client sends (tests/pg_wire.py).
@pytest.fixture
def wire():
    return WireLog()


@pytest.fixture
def wired_app(postgres_url, tmp_path, wire):
    target = make_url(postgres_url)
    proxy = TcpProxy(target.host or "127.0.0.1", target.port or 5432, wire)
    proxy.restore()
    # No TLS between the app and the proxy, or there would be nothing to read.
    url = target.set(host="127.0.0.1", port=proxy.port, query={"sslmode": "disable"})
    app = make_app(url.render_as_string(hide_password=False), tmp_path)
    yield app
    empty_tables(app)
    with app.app_context():
        db.engine.dispose()
    proxy.cut()
