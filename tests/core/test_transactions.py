"""One transaction per user action: a password change made with an original-era token ends every
session; a failure halfway leaves nothing half-written; the audit line follows the commit; only
`transaction()` commits; foreign keys cascade on both databases."""

import json
import logging
import subprocess
from pathlib import Path

import pytest
from helpers import TEST_SECRET_KEY, AuthActions, bearer
from original_era import original_token
from sqlalchemy import delete, func, select

from loopin.auth import routes, session_routes
from loopin.core.extensions import db
from loopin.models import AuthSession, User

REPO = Path(__file__).resolve().parents[2]
NEW_PASSWORD = "a brand new secret"
REVOKED = (401, {"detail": "Token has been revoked"})


def change_password(client, token, new_password=NEW_PASSWORD):
    return client.post("/auth/password", json={"current_password": AuthActions.PASSWORD,
                                               "new_password": new_password}, headers=bearer(token))


def test_password_change_with_original_token_ends_every_session(client, auth):
    """The hole: a change made with a token the original minted (no `sid`) left real sessions alive."""
    laptop = auth.sign_in(agent="laptop")
    phone = auth.sign_in(agent="phone")
    legacy = original_token(auth.EMAIL, TEST_SECRET_KEY)
    response = change_password(client, legacy)
    assert response.status_code == 200
    for device in (laptop, phone):
        assert auth.me(device["access_token"]) == REVOKED
        assert auth.refresh(device["refresh_token"]).status_code == 401
    assert auth.me(legacy) == REVOKED
    assert auth.me(response.get_json()["access_token"])[0] == 200
    assert auth.login(password=NEW_PASSWORD).status_code == 200


def test_password_change_ends_the_sessions_own_old_access_token(client, auth):
    """The change issues a fresh session: the access token it was made with stops working at once."""
    tokens = auth.sign_in()
    fresh = change_password(client, tokens["access_token"]).get_json()
    assert auth.me(tokens["access_token"]) == REVOKED
    assert auth.me(fresh["access_token"])[0] == 200


def test_failed_password_change_changes_nothing_and_audits_after_commit(app, client, auth, monkeypatch, caplog):
    """A failure after the password was changed and the sessions revoked rolls all of it back, and
    no success is audited for what never committed."""
    caplog.set_level(logging.INFO, "loopin.audit")
    other = auth.sign_in(agent="other")
    tokens = auth.sign_in()

    def broken_start_session(_user):
        raise RuntimeError("the database went away mid-action")

    monkeypatch.setattr(session_routes, "start_session", broken_start_session)
    assert change_password(client, tokens["access_token"]).status_code == 500
    monkeypatch.undo()
    assert auth.me(other["access_token"])[0] == 200
    assert auth.me(tokens["access_token"])[0] == 200
    assert auth.login(password=AuthActions.PASSWORD).status_code == 200
    events = [json.loads(r.getMessage())["event"] for r in caplog.records if r.name == "loopin.audit"]
    assert "password_change" not in events


def test_failed_registration_leaves_no_account(app, client, auth, monkeypatch):
    """Register is one action: account and session are written together or not at all."""
    monkeypatch.setattr(routes, "start_session", lambda _user: 1 / 0)
    assert auth.register().status_code == 500
    monkeypatch.undo()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0
    assert auth.register().status_code == 200


def test_only_the_transaction_helper_commits():
    """Services flush; `transaction()` in core/database.py is the one place that commits."""
    found = subprocess.run(["git", "grep", "-n", r"\.commit()", "--", "loopin/"], cwd=REPO,
                           capture_output=True, text=True, encoding="utf-8").stdout.splitlines()
    assert [line for line in found if not line.startswith("loopin/core/database.py:")] == []


def test_deleting_a_user_cascades_to_their_sessions(app, auth):
    """Foreign keys hold on SQLite too (PRAGMA foreign_keys=ON on every connection)."""
    auth.sign_in(agent="a")
    auth.sign_in(agent="b")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuthSession)) == 2
        db.session.execute(delete(User))
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(AuthSession)) == 0


def test_a_session_for_no_user_is_refused(app):
    with app.app_context():
        db.session.add(AuthSession(id="f" * 32, user_id=999, refresh_jti="x", expires_at=db.func.now()))
        with pytest.raises(Exception, match="(?i)foreign key"):
            db.session.commit()
        db.session.rollback()
