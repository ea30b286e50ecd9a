"""`flask --app loopin check`: one line per check, failures classified with their fix, --json, exit codes."""

import json
import logging

import flask_migrate
import pytest
from helpers import both_databases, free_port, listening_socket, make_app
from original_era import build_original_database
from sqlalchemy.engine import make_url

from loopin.core.database_errors import by_server_message
from loopin.core.extensions import db
from loopin.core.preflight import check_packages
from loopin.models import SCHEMA_REVISION


def run_check(app, *args):
    result = app.test_cli_runner().invoke(args=["check", *args])
    return result.exit_code, result.output


def check_line(output, name):
    return next(line for line in output.splitlines() if f"] {name}:" in line)


def test_all_ok_on_a_migrated_database(app):
    exit_code, output = run_check(app)
    assert exit_code == 0, output
    assert check_line(output, "database").startswith("[ ok ]")
    assert f"at head ({SCHEMA_REVISION})" in check_line(output, "schema")
    assert check_line(output, "package Flask").startswith("[ ok ] package Flask: 3.")
    assert check_line(output, "emails").startswith("[ ok ]")
    expected = "SQLite FTS5" if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") else \
        "btree_gin installed, unaccent installed"  # migrated: the upgrade created both
    assert check_line(output, "full-text search") == f"[ ok ] full-text search: {expected}"
    assert output.rstrip().endswith("All checks passed.")


def test_json_output(app):
    exit_code, output = run_check(app, "--json")
    report = json.loads(output)
    assert exit_code == 0 and report["ok"] is True
    assert {"database", "schema", "SECRET_KEY", ".env", "threads", "app"} <= {c["name"] for c in report["checks"]}


def test_refused_connection_is_classified_and_never_prints_the_password(tmp_path):
    app = make_app(f"postgresql://loopin:Hunter2Secret@127.0.0.1:{free_port()}/loopin", tmp_path)
    exit_code, output = run_check(app)
    assert exit_code == 1
    assert "server not running / connection refused" in check_line(output, "database")
    assert "start PostgreSQL" in output
    assert "Hunter2Secret" not in output
    assert "Hunter2Secret" not in run_check(app, "--json")[1]


def test_timeout_is_classified(tmp_path):
    listener = listening_socket()
    try:
        app = make_app(f"postgresql://loopin@127.0.0.1:{listener.getsockname()[1]}/loopin", tmp_path,
                       DB_CONNECT_TIMEOUT=1)
        exit_code, output = run_check(app)
    finally:
        listener.close()
    assert exit_code == 1 and ": timeout" in check_line(output, "database")


def test_unknown_host_is_classified(tmp_path):
    exit_code, output = run_check(make_app("postgresql://loopin@db.invalid:5432/loopin", tmp_path))
    assert exit_code == 1 and "unknown host" in check_line(output, "database")


@pytest.mark.postgresql
def test_missing_database_and_unknown_role_are_classified(postgres_server, tmp_path):
    missing = postgres_server.url.set(database="loopin_no_such_db").render_as_string(hide_password=False)
    exit_code, output = run_check(make_app(missing, tmp_path))
    assert exit_code == 1 and "database does not exist" in check_line(output, "database")
    assert 'CREATE DATABASE loopin_no_such_db' in output
    stranger = postgres_server.url.set(username="loopin_no_such_role").render_as_string(hide_password=False)
    assert "unknown user" in check_line(run_check(make_app(stranger, tmp_path / "2"))[1], "database")


def test_wrong_password_is_classified():
    """The local server trusts every login, so libpq's own message stands in for a real refusal."""
    message = 'connection to server at "db" (10.0.0.5), port 5432 failed: FATAL:  password authentication failed ' \
              'for user "loopin"'
    assert by_server_message(message, "postgresql+psycopg2://loopin:x@db/loopin") == \
        ("wrong password", "fix the password in DATABASE_URL")


@both_databases
def test_empty_and_behind_schemas_say_run_upgrade(empty_app):
    app = empty_app
    exit_code, output = run_check(app)
    assert exit_code == 1 and "empty database" in check_line(output, "schema")
    assert "flask --app loopin db upgrade" in output
    with app.app_context():
        flask_migrate.upgrade(revision="0002_users_created_at")
    assert f"at 0002_users_created_at, head is {SCHEMA_REVISION}" in check_line(run_check(app)[1], "schema")


@both_databases
def test_original_database_is_recognised_with_adoption_commands(empty_database_url, empty_app):
    build_original_database(empty_database_url, users=[("Eve@x.edu", "p1", True), ("eve@x.edu", "p2", True)])
    exit_code, output = run_check(empty_app)
    assert exit_code == 1
    assert "FastAPI original" in check_line(output, "schema")
    assert "flask --app loopin db stamp 0001_original_users && flask --app loopin db upgrade" in output
    assert "eve@x.edu (2)" in check_line(output, "emails")


def test_sec_32_threads_above_pool_warn_in_check_and_at_startup(tmp_path, caplog):
    caplog.set_level(logging.WARNING, "loopin")
    app = make_app(f"postgresql://loopin@127.0.0.1:{free_port()}/loopin", tmp_path, WAITRESS_THREADS=20)
    assert "WAITRESS_THREADS=20 exceeds the connection pool (15)" in caplog.text
    assert check_line(run_check(app)[1], "threads").startswith("[warn] threads: waitress threads 20 > pool 15")


def test_secret_key_and_dotenv_reported(app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    output = run_check(app)[1]
    assert check_line(output, "SECRET_KEY").startswith("[ ok ] SECRET_KEY: set, ")
    assert check_line(output, ".env").startswith("[warn] .env: not found")
    generated = make_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "generated", SECRET_KEY="")
    assert check_line(run_check(generated)[1], "SECRET_KEY").startswith("[warn]")


def test_psycopg2_built_from_source_passes(tmp_path, monkeypatch):
    """psycopg2 compiled against the system's libpq is the distribution `psycopg2`, not `psycopg2-binary`."""
    from importlib.metadata import packages_distributions

    dist_info = tmp_path / "psycopg2-2.9.13.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: psycopg2\nVersion: 2.9.13\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    providers = {**packages_distributions(), "psycopg2": ["psycopg2"]}  # no psycopg2-binary
    checks = {check.name: check for check in check_packages(providers)}
    assert (checks["package psycopg2"].status, checks["package psycopg2"].detail) == ("ok", "2.9.13")
    assert all(check.status == "ok" for check in checks.values())
    missing = [check for check in check_packages({**providers, "psycopg2": []}) if check.status == "fail"]
    assert [check.name for check in missing] == ["package psycopg2-binary or psycopg2"]


def test_redis_rate_limit_store_is_checked(tmp_path, own_redis):
    up = make_app("sqlite://", tmp_path, RATELIMIT_STORAGE_URI=own_redis.url)
    assert check_line(run_check(up)[1], "rate limits").startswith(
        f"[ ok ] rate limits: Redis 127.0.0.1:{own_redis.port} reachable")
    own_redis.stop()
    exit_code, output = run_check(up)
    assert exit_code == 1
    assert check_line(output, "rate limits").startswith(f"[FAIL] rate limits: Redis 127.0.0.1:{own_redis.port} "
                                                        "unreachable")
    assert "start Redis" in output


@pytest.mark.postgresql
def test_database_errors_are_classified_by_sqlstate(postgres_database, postgres_server, tmp_path):
    """A role that may connect but not read Loopin's tables: permission denied is SQLSTATE 42501, found
    without reading the (translatable) message, and the check reports it instead of crashing."""
    postgres_server.execute("DROP ROLE IF EXISTS loopin_reader")
    postgres_server.execute("CREATE ROLE loopin_reader LOGIN")
    try:
        reader = postgres_server.url.set(username="loopin_reader", database=make_url(postgres_database).database)
        app = make_app(reader.render_as_string(hide_password=False), tmp_path)
        exit_code, output = run_check(app)
        with app.app_context():
            db.engine.dispose()
    finally:
        postgres_server.execute("DROP ROLE loopin_reader")
    assert exit_code == 1
    assert check_line(output, "database").startswith("[ ok ]")
    assert check_line(output, "schema") == "[FAIL] schema: cannot read it: permission denied"
    assert "grant loopin_reader rights on Loopin's tables" in output


def test_the_mail_server_is_checked(tmp_path, mail_server):
    files = make_app("sqlite://", tmp_path / "files")
    assert check_line(run_check(files)[1], "mail").startswith("[ ok ] mail: no MAIL_SERVER: messages are written")
    verifying = make_app("sqlite://", tmp_path / "verifying", EMAIL_VERIFICATION="required")
    assert check_line(run_check(verifying)[1], "mail").startswith("[warn] mail: no MAIL_SERVER")
    up = make_app("sqlite://", tmp_path / "up", **mail_server.settings)
    assert check_line(run_check(up)[1], "mail") == f"[ ok ] mail: SMTP 127.0.0.1:{mail_server.port} answers"
    mail_server.stop()
    exit_code, output = run_check(up)
    assert exit_code == 1 and check_line(output, "mail").startswith(
        f"[FAIL] mail: SMTP 127.0.0.1:{mail_server.port}: ConnectionRefusedError")
    assert "mail waits in the outbox meanwhile" in output
