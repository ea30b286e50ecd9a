"""The application factory: config as an argument, no I/O at import or in create_app, teardown."""

import os
import subprocess
import sys
from pathlib import Path

from helpers import TEST_CONFIG, listening_socket, make_app, migrate_to_head, was_connected_to
from sqlalchemy import text

from loopin import create_app
from loopin.core.extensions import db

REPO = Path(__file__).resolve().parents[2]


def test_testing_flag_comes_from_config_argument(tmp_path):
    assert not create_app({"LOAD_DOTENV": False, "SECRET_KEY": "k" * 40, "INSTANCE_PATH": str(tmp_path)}).testing
    assert make_app("sqlite://", tmp_path).testing


def test_overrides_win_over_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ACCESS_TOKEN_EXPIRE_MINUTES", "5")
    monkeypatch.setenv("DB_POOL_SIZE", "7")
    app = make_app("sqlite://", tmp_path, ACCESS_TOKEN_EXPIRE_MINUTES=12)
    assert app.config["JWT_ACCESS_TOKEN_EXPIRES"].total_seconds() == 12 * 60
    assert app.config["DB_POOL_SIZE"] == 7


def test_dotenv_fills_unset_variables_only(monkeypatch, tmp_path):
    (tmp_path / ".env").write_text("ACCESS_TOKEN_EXPIRE_MINUTES=9\nDB_POOL_SIZE=3\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    # load_dotenv writes os.environ directly: give it a copy, so nothing leaks into later tests.
    environment = {k: v for k, v in os.environ.items() if k != "ACCESS_TOKEN_EXPIRE_MINUTES"}
    monkeypatch.setattr(os, "environ", {**environment, "DB_POOL_SIZE": "4"})
    config = {k: v for k, v in TEST_CONFIG.items() if k != "LOAD_DOTENV"}
    app = create_app({**config, "DATABASE_URL": "sqlite://", "INSTANCE_PATH": str(tmp_path / "i")})
    assert app.config["ACCESS_TOKEN_EXPIRE_MINUTES"] == 9
    assert app.config["DB_POOL_SIZE"] == 4


def test_blueprints_and_commands_registered(tmp_path):
    app = make_app("sqlite://", tmp_path)
    assert {"auth", "health"} <= set(app.blueprints)
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    assert {"/auth/register", "/auth/login", "/auth/me", "/health", "/health/live"} <= rules


def test_import_and_create_app_open_no_connection(tmp_path):
    """DATABASE_URL points at a listener that never answers: importing `loopin` and `wsgi` and building
    the app must finish without connecting to it at all (libpq bypasses Python's socket module, so the
    listener's backlog is the witness, not a patched socket)."""
    listener = listening_socket()
    port = listener.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": f"postgresql://loopin:pw@127.0.0.1:{port}/loopin",
           "SECRET_KEY": "s" * 40, "INSTANCE_PATH": str(tmp_path)}
    code = ("import loopin, wsgi; from loopin.core.extensions import db\n"
            "with wsgi.app.app_context(): print(db.engine.dialect.driver)")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env={**env, "PYTHONPATH": str(REPO)},
                            capture_output=True, text=True, encoding="utf-8", timeout=60)
    try:
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == ["psycopg2"]  # the engine exists, bound to the unreachable server
        assert not was_connected_to(listener)
    finally:
        listener.close()


def test_a_wsgi_server_never_loads_what_only_commands_need(tmp_path):
    """Memory: Alembic and Flask-Migrate (8 MiB), zxcvbn's word lists (12.5 MiB) and the Redis client
    stay out of a serving process, after a registration and a sign-in too."""
    migrate_to_head(f"sqlite:///{tmp_path / 'w.db'}", tmp_path / "migrate")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}", "SECRET_KEY": "s" * 40,
           "INSTANCE_PATH": str(tmp_path), "PYTHONPATH": str(REPO), "LOG_LEVEL": "WARNING"}
    code = ("import sys, wsgi\nclient = wsgi.app.test_client()\n"
            "body = {'email': 'w@test.edu', 'password': 'correct horse battery'}\n"
            "assert client.post('/auth/register', json=body).status_code == 200\n"
            "assert client.post('/auth/register', json={**body, 'email': 'x@test.edu', 'password': 'password1'}"
            ").status_code == 422\n"
            "assert client.post('/auth/login', json=body).status_code == 200\n"
            "assert client.get('/health').status_code == 200\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'alembic', 'flask_migrate', 'zxcvbn', 'redis'}))")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                            encoding="utf-8", timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["[]"]


def test_teardown_returns_connection_after_error_mid_transaction(app):
    """A view that fails halfway through a transaction still gives its connection back to the pool."""

    @app.get("/test/fail-mid-transaction")
    def fail_mid_transaction():
        db.session.execute(text("UPDATE users SET is_active = is_active"))
        raise RuntimeError("boom after a write")

    client = app.test_client()
    for _ in range(3):
        response = client.get("/test/fail-mid-transaction")
        assert response.status_code == 500
        assert response.get_json() == {"detail": "Internal Server Error"}
    with app.app_context():
        assert db.engine.pool.checkedout() == 0


def test_teardown_returns_connections_after_requests(client, app, auth):
    auth.register()
    auth.login()
    client.get("/health")
    with app.app_context():
        assert db.engine.pool.checkedout() == 0


def switch_interval_of(command, tmp_path):
    """The interpreter's switch interval in a process that runs `command` (Python) with Loopin's settings."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 's.db'}", "SECRET_KEY": "s" * 40,
           "INSTANCE_PATH": str(tmp_path), "PYTHONPATH": str(REPO), "LOG_LEVEL": "WARNING"}
    result = subprocess.run([sys.executable, "-c", command + "\nimport sys\nprint(sys.getswitchinterval())"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert result.returncode == 0, result.stderr
    return float(result.stdout.split()[-1])


def test_a_serving_process_takes_the_gil_back_sooner_and_a_command_does_not(tmp_path):
    """Issue 26: waitress's threads wait at most SWITCH_INTERVAL_SECONDS for the GIL after each round
    trip (core/serving.py). A one-shot command keeps CPython's default."""
    from loopin.core.serving import SWITCH_INTERVAL_SECONDS

    assert switch_interval_of("import wsgi", tmp_path) == SWITCH_INTERVAL_SECONDS
    # `check` on an empty database: it reports the schema missing and exits 1, which is not the point here.
    check = "import contextlib\nfrom loopin.command import cli\nwith contextlib.suppress(SystemExit):\n" \
            "    cli.main(['check'], standalone_mode=False)"
    assert switch_interval_of(check, tmp_path) == 0.005
