"""GET /health (readiness, touches the database) and /health/live (does not)."""

import flask_migrate
from helpers import DATABASE_DOWN, HEALTHY, both_databases, free_port, listening_socket, make_app


def test_health_reports_database_connected(client):
    response = client.get("/health")
    assert (response.status_code, response.get_json()) == (200, HEALTHY)


def test_live_answers_without_database(client):
    assert client.get("/health/live").get_json() == {"status": "ok"}


def test_sec_30_database_refusing_connections_is_503(tmp_path):
    app = make_app(f"postgresql://loopin@127.0.0.1:{free_port()}/loopin", tmp_path)
    client = app.test_client()
    response = client.get("/health")
    assert (response.status_code, response.get_json()) == (503, DATABASE_DOWN)
    assert client.get("/health/live").status_code == 200
    response = client.post("/auth/login", json={"email": "a@b.edu", "password": "whatever pass"})
    assert (response.status_code, response.get_json()) == (503, {"detail": "Database unavailable"})


def test_sec_29_silent_database_hits_connect_timeout(tmp_path):
    """A server that accepts TCP but never answers: without a connect timeout this request would hang
    forever; with DB_CONNECT_TIMEOUT it ends in a 503."""
    listener = listening_socket()
    try:
        port = listener.getsockname()[1]
        app = make_app(f"postgresql://loopin@127.0.0.1:{port}/loopin", tmp_path, DB_CONNECT_TIMEOUT=1)
        response = app.test_client().get("/health")
        assert (response.status_code, response.get_json()["database"]) == (503, "unavailable")
    finally:
        listener.close()


@both_databases
def test_readiness_is_503_until_the_schema_is_at_head(empty_app):
    client = empty_app.test_client()
    empty = client.get("/health/ready")
    assert (empty.status_code, empty.get_json()["migrations"]) == (503, "empty")
    with empty_app.app_context():
        flask_migrate.upgrade(revision="0003_sessions")
    behind = client.get("/health")
    assert (behind.status_code, behind.get_json()["migrations"]) == (503, "behind")
    with empty_app.app_context():
        flask_migrate.upgrade()
    assert (client.get("/health").status_code, client.get("/health/ready").get_json()) == (200, HEALTHY)


def test_readiness_reports_the_rate_limit_redis_but_does_not_need_it(app, database_url, tmp_path):
    from own_redis import OwnRedis

    own = OwnRedis(tmp_path)
    own.start()
    client = make_app(database_url, tmp_path / "r", RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=own.url).test_client()
    assert client.get("/health").get_json()["rate_limit_store"] == "connected"
    own.stop()
    down = client.get("/health")
    assert (down.status_code, down.get_json()["rate_limit_store"]) == (200, "unavailable")
