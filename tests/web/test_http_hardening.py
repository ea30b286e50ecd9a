"""Response headers (SECURITY 26) and CORS."""

import flask_cors.extension
import pytest
from helpers import make_app

from loopin.core.extensions import db


@pytest.mark.parametrize("path", ["/health", "/health/live", "/auth/me", "/nope"])
def test_sec_26_every_answer_is_hardened(client, path):
    headers = client.get(path).headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "Strict-Transport-Security" not in headers  # plain HTTP: HSTS would be meaningless


def test_sec_26_each_hardening_header_once_and_a_features_own_kept(client):
    for path in ("/health/live", "/docs", "/auth/me"):
        headers = client.get(path, base_url="https://api.example").headers
        for name in ("X-Content-Type-Options", "Content-Security-Policy", "X-Frame-Options", "Referrer-Policy",
                     "Strict-Transport-Security"):
            assert len(headers.getlist(name)) == 1, (path, name)
    # The docs page sets a policy of its own (its hashed scripts); the app-wide hook keeps it.
    assert "script-src" in client.get("/docs").headers["Content-Security-Policy"]


def test_no_cookie_session_is_opened(app, client):
    """Tokens travel in headers: Flask's cookie session is a null session, never a signed cookie read
    (or built) per request, and a client's `session` cookie is ignored."""
    from flask import session
    from flask.sessions import NullSession

    response = client.get("/health/live", headers={"Cookie": "session=forged.value.here"})
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    with app.test_request_context("/", headers={"Cookie": "session=forged.value.here"}):
        assert not session and isinstance(session._get_current_object(), NullSession)


def test_sec_26_auth_answers_are_never_cached(client, auth):
    assert auth.register().headers["Cache-Control"] == "no-store"
    refused = client.post("/auth/login", json={"email": "x@test.edu", "password": "y"})
    assert refused.headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/health").headers.get("Cache-Control", "")


def test_sec_26_hsts_over_https(client):
    response = client.get("/health/live", base_url="https://api.example")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_sec_26_hsts_behind_trusted_tls_proxy(app, database_url, tmp_path):
    proxied = make_app(database_url, tmp_path / "proxied", TRUSTED_PROXIES=1)
    https = proxied.test_client().get("/health/live", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in https.headers
    untrusted = app.test_client().get("/health/live", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in untrusted.headers
    with proxied.app_context():
        db.engine.dispose()


def test_cors_headers_answer_an_origin_only(client):
    """A browser's cross-origin request (it always sends Origin) gets the CORS headers, reading the
    cursor header included; a request without Origin gets none, as the original's CORSMiddleware
    answered, and costs nothing of flask-cors's work."""
    cross_origin = client.get("/health/live", headers={"Origin": "https://frontend.example"})
    assert cross_origin.headers["Access-Control-Allow-Origin"] == "*"
    assert cross_origin.headers["Access-Control-Expose-Headers"] == "X-Next-Cursor"
    plain = client.get("/health/live")
    assert not [name for name in plain.headers.keys() if name.startswith("Access-Control-")]


def test_flask_cors_runs_for_cross_origin_requests_only(client, monkeypatch):
    """Its hook matched every answer's path against its resources even with nothing to add; now a
    request without Origin never reaches it (and one with an Origin still does: the counter works)."""
    matched, match = [], flask_cors.extension.try_match_pattern
    monkeypatch.setattr(flask_cors.extension, "try_match_pattern",
                        lambda *arguments, **options: matched.append(arguments) or match(*arguments, **options))
    assert client.get("/health/live").status_code == 200 and client.get("/nope").status_code == 404
    assert matched == []
    client.get("/health/live", headers={"Origin": "https://frontend.example"})
    assert len(matched) == 1


def test_flask_asks_whether_a_view_or_hook_is_a_coroutine_once(client, monkeypatch):
    import flask.app

    asked = []
    monkeypatch.setattr(flask.app, "iscoroutinefunction", lambda func: asked.append(func) or False)
    assert client.get("/health/live").status_code == 200 and client.get("/nowhere").status_code == 404
    assert asked  # the view, the hooks and the error handler, the first time
    asked.clear()
    assert client.get("/health/live").status_code == 200 and client.get("/nowhere").status_code == 404
    assert asked == []


def test_error_answers_to_a_cross_origin_request_carry_cors_headers(app):
    """A browser reads an error's body only with them: 404, 401 and an unexpected 500 included."""
    @app.get("/test/explode")
    def explode():
        raise ValueError("boom")

    client = app.test_client()
    for path, status in (("/nope", 404), ("/auth/me", 401), ("/test/explode", 500)):
        response = client.get(path, headers={"Origin": "https://frontend.example"})
        assert response.status_code == status and response.headers["Access-Control-Allow-Origin"] == "*", path


def test_cors_allowlist(app, database_url, tmp_path):
    listed = make_app(database_url, tmp_path / "cors", CORS_ORIGINS="https://app.loop.in, https://admin.loop.in")
    client = listed.test_client()
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    allowed = client.options("/auth/login", headers={"Origin": "https://admin.loop.in", **preflight})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://admin.loop.in"
    assert "Access-Control-Allow-Credentials" not in allowed.headers
    refused = client.options("/auth/login", headers={"Origin": "https://evil.example", **preflight})
    assert "Access-Control-Allow-Origin" not in refused.headers
    with listed.app_context():
        db.engine.dispose()
