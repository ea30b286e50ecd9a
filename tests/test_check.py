"""`flask --app loopin check`: one line per check, failures classified with their fix, --json, exit codes."""

import json
import logging

import flask_migrate
import pytest

from helpers import both_databases, make_app
from helpers import free_port, listening_socket
from loopin.core.preflight import classify_connection_error
from original_era import build_original_database


def run_check(app, *args):
    result = app.test_cli_runner().invoke(args=["check", *args])
    return result.exit_code, result.output


def check_line(output, name):
    return next(line for line in output.splitlines() if f"] {name}:" in line)


def test_all_ok_on_a_migrated_database(app):
    exit_code, output = run_check(app)
    assert exit_code == 0, output
    assert check_line(output, "database").startswith("[ ok ]")
    assert "at head (0006_merge_profiles_and_case)" in check_line(output, "schema")
    assert check_line(output, "package Flask").startswith("[ ok ] package Flask: 3.")
    assert check_line(output, "emails").startswith("[ ok ]")
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
    assert classify_connection_error(message, "postgresql+psycopg2://loopin:x@db/loopin") == \
        ("wrong password", "fix the password in DATABASE_URL")


@both_databases
def test_empty_and_behind_schemas_say_run_upgrade(empty_app):
    app = empty_app
    exit_code, output = run_check(app)
    assert exit_code == 1 and "empty database" in check_line(output, "schema")
    assert "flask --app loopin db upgrade" in output
    with app.app_context():
        flask_migrate.upgrade(revision="0002_users_created_at")
    assert "at 0002_users_created_at, head is 0006_merge_profiles_and_case" in check_line(run_check(app)[1], "schema")


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
