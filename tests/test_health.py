"""GET /health (readiness, touches the database) and /health/live (does not)."""

from helpers import make_app
from helpers import free_port, listening_socket


def test_health_reports_database_connected(client):
    response = client.get("/health")
    assert (response.status_code, response.get_json()) == (200, {"status": "ok", "database": "connected"})


def test_live_answers_without_database(client):
    assert client.get("/health/live").get_json() == {"status": "ok"}


def test_sec_30_database_refusing_connections_is_503(tmp_path):
    app = make_app(f"postgresql://loopin@127.0.0.1:{free_port()}/loopin", tmp_path)
    client = app.test_client()
    response = client.get("/health")
    assert (response.status_code, response.get_json()) == (503, {"status": "error", "database": "unavailable"})
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
