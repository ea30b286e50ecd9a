"""Settings: database URLs and pools, the signing key, safe startup logs."""

import logging
import os
import stat

import pytest
from helpers import make_app
from servers import REPO
from sqlalchemy import create_engine

from loopin.core.database import database_uri, describe_database, engine_options
from loopin.core.settings import ConfigError, settings_from_env


@pytest.mark.parametrize("given", [
    "postgresql://user:pw@db.example:5432/loopin",
    "postgres://user:pw@db.example:5432/loopin",
    "postgresql+psycopg2://user:pw@db.example:5432/loopin",
])
def test_postgres_urls_use_installed_psycopg2(given):
    uri = database_uri(given, "/unused")
    assert uri == "postgresql+psycopg2://user:pw@db.example:5432/loopin"
    assert create_engine(uri).dialect.driver == "psycopg2"  # psycopg 3 is not installed


def test_unset_database_url_is_sqlite_in_instance_folder(tmp_path, caplog):
    caplog.set_level(logging.INFO, "loopin")
    app = make_app("", tmp_path)
    expected = os.path.join(app.instance_path, "loopin.db")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{expected}"
    assert f"Database: SQLite {expected}" in caplog.text


def test_pool_settings_apply_to_server_databases_only(tmp_path):
    settings = settings_from_env({})
    postgres = engine_options("postgresql+psycopg2://u@h/d", settings)
    assert postgres["pool_size"] == 5 and postgres["max_overflow"] == 10 and "pool_pre_ping" not in postgres
    assert postgres["pool_timeout"] == 10 and postgres["pool_recycle"] == 200
    assert postgres["connect_args"] == {"connect_timeout": 3, "application_name": "loopin",
                                        "options": "-c statement_timeout=5000 -c timezone=UTC"}
    assert engine_options("sqlite:///x.db", settings) == {"hide_parameters": True}
    assert engine_options("sqlite://", settings) == {"hide_parameters": True}


def test_engines_hide_parameters_from_error_messages(tmp_path):
    """A failed INSERT's message would otherwise carry the row: an email and a password hash."""
    app = make_app("sqlite://", tmp_path)
    with app.app_context():
        from loopin.core.extensions import db
        assert db.engine.hide_parameters


@pytest.mark.parametrize("url", ["sqlite:///:memory:", "sqlite://"])
def test_in_memory_sqlite_works(url, tmp_path):
    from loopin.core.extensions import db

    app = make_app(url, tmp_path)
    with app.app_context():
        db.create_all()  # a memory database has no migrations to run; tests are create_all's only user
    client = app.test_client()
    assert client.post("/auth/register", json={"email": "m@test.edu", "password": "memory pass"}).status_code == 200
    assert client.post("/auth/login", json={"email": "m@test.edu", "password": "memory pass"}).status_code == 200


def test_startup_log_names_database_without_password(tmp_path, caplog):
    caplog.set_level(logging.INFO, "loopin")
    make_app("postgresql://loopin:Sup3rSecretPw@db.internal:6543/loopin", tmp_path)
    assert "Database: postgresql db.internal:6543/loopin" in caplog.text
    assert "Database engine initialized" in caplog.text
    assert "Sup3rSecretPw" not in caplog.text


def test_describe_database_forms():
    assert describe_database("postgresql+psycopg2://u:p@localhost/loopin") == "postgresql localhost/loopin"
    assert describe_database("sqlite://") == "SQLite :memory:"


def test_sec_22_missing_key_is_generated_once_and_reused(tmp_path, caplog):
    caplog.set_level(logging.WARNING, "loopin")
    first = make_app("sqlite://", tmp_path, SECRET_KEY="")
    second = make_app("sqlite://", tmp_path, SECRET_KEY="")
    key_file = tmp_path / "instance" / "secret_key"
    assert first.config["JWT_SECRET_KEY"] == second.config["JWT_SECRET_KEY"] == key_file.read_text(encoding="utf-8")
    assert len(first.config["JWT_SECRET_KEY"]) >= 32
    assert caplog.text.count("SECRET_KEY is not set") == 1
    assert first.config["JWT_SECRET_KEY"] not in caplog.text
    if os.name == "posix":
        assert key_file.stat().st_mode & 0o077 == 0  # readable by its owner only


@pytest.mark.parametrize("key, message", [
    ("short-key", "at least 32 characters (it has 9)"),
    ("changethis", "published placeholder"),
    ("your-production-secret-key-min-32-chars", "published placeholder"),
])
def test_sec_22_weak_key_stops_startup_with_instructions(key, message, tmp_path):
    with pytest.raises(ConfigError) as refused:
        make_app("sqlite://", tmp_path, SECRET_KEY=key)
    assert message in str(refused.value)
    assert "secrets.token_urlsafe" in str(refused.value)
    assert key not in str(refused.value)


def test_malformed_number_setting_is_a_clear_error():
    with pytest.raises(ConfigError, match="DB_POOL_SIZE='five': allowed is a whole number"):
        settings_from_env({"DB_POOL_SIZE": "five"})


def test_every_setting_is_documented_in_env_example():
    from loopin.core.settings import SETTINGS

    example = (REPO / ".env.example").read_text(encoding="utf-8")
    for name in SETTINGS:
        assert f"{name}=" in example, f"{name} is missing from .env.example"


@pytest.mark.parametrize("key", ["SQLALCHEMY_DATABASE_URI", "JWT_ACCESS_TOKEN_EXPIRES", "RATELIMIT_DEFAULT",
                                 "DATABSE_URL"])
def test_create_app_refuses_a_key_it_would_not_honour(tmp_path, key):
    """Derived keys have one name, the setting they come from; a typo is not silently ignored."""
    with pytest.raises(ConfigError, match=key):
        make_app("sqlite://", tmp_path, **{key: "anything"})


def test_create_app_honours_every_setting_it_is_given(tmp_path):
    app = make_app("sqlite://", tmp_path, ACCESS_TOKEN_EXPIRE_MINUTES=7, RATELIMIT_PER_IP="9 per minute",
                   MAX_BODY_BYTES=1234, DB_POOL_SIZE=2)
    assert app.config["JWT_ACCESS_TOKEN_EXPIRES"].total_seconds() == 7 * 60
    assert app.config["RATELIMIT_DEFAULT"] == "9 per minute"
    assert app.config["MAX_CONTENT_LENGTH"] == 1234 and app.config["DB_POOL_SIZE"] == 2


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits; Windows uses ACLs")
def test_sqlite_instance_is_private(tmp_path):
    """The embedded database holds every email and hash: folder 0700, file 0600, key 0600."""
    app = make_app("", tmp_path, SECRET_KEY="")
    instance = app.instance_path
    assert stat.S_IMODE(os.stat(instance).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(os.path.join(instance, "loopin.db")).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.join(instance, "secret_key")).st_mode) == 0o600


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits; Windows uses ACLs")
def test_a_sqlite_file_named_by_database_url_is_private_too(tmp_path):
    """DATABASE_URL=sqlite:///… names a file outside the instance folder: made 0600 all the same."""
    path = tmp_path / "elsewhere" / "board.db"
    path.parent.mkdir()
    make_app(f"sqlite:///{path}", tmp_path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    make_app(f"sqlite:///{tmp_path / 'no-such-folder' / 'x.db'}", tmp_path / "other")  # SQLite will say so


def test_dotenv_is_read_only_from_the_working_directory(tmp_path, monkeypatch, caplog):
    """A `.env` in a parent directory (anyone who can write there) is ignored, with a warning."""
    for name in ("WAITRESS_THREADS", "DB_POOL_SIZE"):
        monkeypatch.setenv(name, "0")
        monkeypatch.delenv(name)  # monkeypatch now restores "unset" after the test
    (tmp_path / ".env").write_text("DB_POOL_SIZE=3\n", encoding="utf-8")
    child = tmp_path / "child"
    child.mkdir()
    monkeypatch.chdir(child)
    app = make_app("sqlite://", tmp_path / "a", LOAD_DOTENV=True)
    assert app.config["DB_POOL_SIZE"] == 5 and "Ignoring" in caplog.text
    (child / ".env").write_text("WAITRESS_THREADS=7\n", encoding="utf-8")
    assert make_app("sqlite://", tmp_path / "b", LOAD_DOTENV=True).config["WAITRESS_THREADS"] == 7


def test_db_echo_logs_statements_without_their_values(tmp_path, caplog):
    app = make_app("sqlite://", tmp_path, DB_ECHO=True)
    with app.app_context():
        from sqlalchemy import text

        from loopin.core.extensions import db

        caplog.set_level(logging.INFO, "sqlalchemy.engine")
        db.session.execute(text("SELECT :secret AS value"), {"secret": "hunter2-password-hash"})
        assert db.engine.echo and "SELECT ? AS value" in caplog.text
        assert "hunter2" not in caplog.text


def test_a_fresh_clone_with_a_key_and_no_database_url_migrates(tmp_path):
    """The instance folder is made for the embedded database, not only as a side effect of a key."""
    app = make_app("", tmp_path / "fresh", SECRET_KEY="k" * 40)
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert os.path.exists(os.path.join(app.instance_path, "loopin.db"))
