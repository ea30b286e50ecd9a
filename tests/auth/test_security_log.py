"""The audit log: one JSON line per security event, never a secret (SECURITY 15)."""

import json
import logging

import pytest

PASSWORD = "correct horse battery"


@pytest.fixture
def audit_events(caplog):
    caplog.set_level(logging.INFO, "loopin")

    def events():
        return [json.loads(r.getMessage()) for r in caplog.records if r.name == "loopin.audit"]
    return events


def test_sec_15_security_events_are_logged_without_secrets(app, client, audit_events, caplog):
    app.config["REFRESH_REUSE_GRACE_SECONDS"] = 0
    tokens = client.post("/auth/register", json={"email": "audit@test.edu", "password": PASSWORD},
                         headers={"User-Agent": "audit-agent/1.0"}).get_json()
    client.post("/auth/register", json={"email": "audit@test.edu", "password": PASSWORD})
    client.post("/auth/login", json={"email": "audit@test.edu", "password": "a wrong password"})
    client.post("/auth/login", json={"email": "ghost@test.edu", "password": "typed in email field"})
    logged_in = client.post("/auth/login", json={"email": "audit@test.edu", "password": PASSWORD}).get_json()
    rotated = client.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).get_json()
    client.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})  # reuse
    client.post("/auth/password", json={"current_password": "nope", "new_password": "another good one"},
                headers={"Authorization": f"Bearer {logged_in['access_token']}"})
    client.post("/auth/logout", headers={"Authorization": f"Bearer {logged_in['access_token']}"})

    events = audit_events()
    summary = [(e["event"], e["outcome"]) for e in events]
    assert summary == [("signup", "success"), ("signup", "failure"), ("login", "failure"), ("login", "failure"),
                       ("login", "success"), ("refresh_reuse", "session_revoked"), ("password_change", "failure"),
                       ("logout", "success")]
    signup = events[0]
    assert signup["user_id"] == 1 and signup["ip"] == "127.0.0.1" and signup["user_agent"] == "audit-agent/1.0"
    assert all({"time", "event", "outcome", "user_id", "ip", "user_agent"} <= set(e) for e in events)
    everything = caplog.text
    secrets = [PASSWORD, "a wrong password", "typed in email field", "ghost@test.edu", "$argon2id$",
               tokens["access_token"], tokens["refresh_token"], logged_in["access_token"], rotated["refresh_token"]]
    for secret in secrets:
        assert secret not in everything


def test_sec_10_missing_field_costs_no_query(app, client):
    from sqlalchemy import event

    from loopin.core.extensions import db

    statements = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.post("/auth/login", json={"email": "a@test.edu"}).status_code == 422
        assert client.post("/auth/login", json={"password": "x"}).status_code == 422
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert statements == []
