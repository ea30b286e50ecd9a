"""The API over real HTTP, served by waitress in a subprocess as in production."""

import json

from helpers import HEALTHY
from servers import request, server_environment, waitress


def test_register_login_me_over_http(app, database_url, tmp_path):
    env = server_environment(database_url, tmp_path / "instance")
    with waitress(env, tmp_path / "waitress.log") as (base, _process):
        credentials = {"email": "http@test.edu", "password": "correct horse battery"}
        status, headers, body = request(base, "POST", "/auth/register", credentials)
        assert status == 200 and body["token_type"] == "bearer"
        assert headers["Cache-Control"] == "no-store"
        assert headers["X-Content-Type-Options"] == "nosniff"
        status, _, again = request(base, "POST", "/auth/register", credentials)
        assert (status, again) == (400, {"detail": "Email already registered"})
        status, _, login = request(base, "POST", "/auth/login", credentials)
        assert status == 200
        status, _, me = request(base, "GET", "/auth/me", headers={"Authorization": f"Bearer {login['access_token']}"})
        assert (status, me["email"]) == (200, "http@test.edu")
        status, headers, refused = request(base, "POST", "/auth/login", {**credentials, "password": "wrong one"})
        assert (status, refused, headers["WWW-Authenticate"]) == (401, {"detail": "Incorrect email or password"},
                                                                  "Bearer")
        assert request(base, "GET", "/health")[2] == HEALTHY


def test_sec_06_oversized_body_refused_over_http(tmp_path):
    env = server_environment(f"sqlite:///{tmp_path / 'unused.db'}", tmp_path / "instance")
    with waitress(env, tmp_path / "waitress.log") as (base, _process):
        status, _, body = request(base, "POST", "/auth/register", raw=b"x" * (1024 * 1024 + 1))
        assert (status, body) == (413, {"detail": "Request body too large: the limit is 1048576 bytes"})
        status, _, body = request(base, "GET", "/nowhere")
        assert (status, body) == (404, {"detail": "Not Found"})
    log = (tmp_path / "waitress.log").read_text(encoding="utf-8")
    assert "Traceback" not in log


def test_logout_on_one_process_is_seen_by_another(pg_app, postgres_url, tmp_path):
    """Two waitress processes on one PostgreSQL: revocation is in the database, so B refuses at once
    what A revoked."""
    env = server_environment(postgres_url, tmp_path / "instance")
    with waitress(env, tmp_path / "a.log") as (server_a, _), waitress(env, tmp_path / "b.log") as (server_b, _):
        credentials = {"email": "two@test.edu", "password": "correct horse battery"}
        tokens = request(server_a, "POST", "/auth/register", credentials)[2]
        auth = {"Authorization": f"Bearer {tokens['access_token']}"}
        assert request(server_b, "GET", "/auth/me", headers=auth)[0] == 200
        assert request(server_a, "POST", "/auth/logout", headers=auth)[0] == 200
        assert request(server_b, "GET", "/auth/me", headers=auth)[:3:2] == (401, {"detail": "Token has been revoked"})
        status, _, body = request(server_b, "POST", "/auth/refresh", {"refresh_token": tokens["refresh_token"]})
        assert (status, body) == (401, {"detail": "Session has been revoked"})


def test_json_logs_and_access_log_under_waitress(database_url, tmp_path):
    """LOG_FORMAT=json and ACCESS_LOG=true: every line one JSON object with the process id, audit events
    included; one access line per request, without the query string (links may carry tokens there)."""
    env = server_environment(database_url, tmp_path / "instance", LOG_FORMAT="json", ACCESS_LOG="true")
    credentials = {"email": "logs@test.edu", "password": "correct horse battery"}
    with waitress(env, tmp_path / "waitress.log") as (base, process):
        token = request(base, "POST", "/auth/register", credentials)[2]["access_token"]
        assert request(base, "GET", "/auth/me?token=LeakedQuerySecret", headers={"Authorization": f"Bearer {token}"}
                       )[0] == 200
        assert request(base, "GET", "/nowhere")[0] == 404
        pid = process.pid
    text = (tmp_path / "waitress.log").read_text(encoding="utf-8")
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    assert len(lines) == len([line for line in text.splitlines() if line.strip()]), text  # nothing but JSON
    assert all(line["pid"] == pid for line in lines)
    access = [line["message"] for line in lines if line["logger"] == "loopin.access"]
    assert any(" POST /auth/register 200 " in line for line in access)
    assert any(" GET /auth/me 200 " in line for line in access)
    assert any(" GET /nowhere 404 " in line for line in access)
    assert "LeakedQuerySecret" not in text and token not in text and "correct horse" not in text
    signup = next(line for line in lines if line["logger"] == "loopin.audit")
    assert (signup["event"], signup["outcome"], signup["level"]) == ("signup", "success", "INFO")
    assert "Starting application" in {line.get("message") for line in lines}
