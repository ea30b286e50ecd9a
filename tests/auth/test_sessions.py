"""Sessions: refresh rotation, reuse detection and its grace window, logout scopes, the sessions list,
password change, the original's tokens, inactive users. Both databases."""

from datetime import timedelta

import pytest
from helpers import TEST_SECRET_KEY, AuthActions, bearer
from original_era import original_token
from sqlalchemy import event, func, select, update

from loopin.core.clock import utcnow
from loopin.core.extensions import db
from loopin.models import AuthSession, User

EMAIL, PASSWORD = AuthActions.EMAIL, AuthActions.PASSWORD
REVOKED = {"detail": "Token has been revoked"}


def test_sign_in_returns_refresh_token_and_expires_in(client, auth):
    tokens = auth.sign_in()
    assert tokens["expires_in"] == 30 * 60 and tokens["refresh_token"] != tokens["access_token"]


def test_refresh_rotates_and_spends_the_old_token(app, client, auth):
    app.config["REFRESH_REUSE_GRACE_SECONDS"] = 0
    first = auth.sign_in()
    response = auth.refresh(first["refresh_token"])
    assert response.status_code == 200
    second = response.get_json()
    assert list(second) == ["access_token", "token_type", "refresh_token", "expires_in"]
    assert second["refresh_token"] != first["refresh_token"]
    assert auth.me(second["access_token"])[0] == 200
    assert auth.refresh(second["refresh_token"]).status_code == 200


def test_refresh_token_in_authorization_header(client, auth):
    tokens = auth.sign_in()
    response = client.post("/auth/refresh", headers=bearer(tokens["refresh_token"]))
    assert response.status_code == 200 and "access_token" in response.get_json()


def test_reuse_of_spent_refresh_token_revokes_the_whole_session(app, client, auth):
    app.config["REFRESH_REUSE_GRACE_SECONDS"] = 0
    first = auth.sign_in()
    second = auth.refresh(first["refresh_token"]).get_json()
    reuse = auth.refresh(first["refresh_token"])  # the stolen copy comes back
    assert (reuse.status_code, reuse.get_json()) == (401, {"detail": "Refresh token reuse detected: session revoked"})
    assert reuse.headers["WWW-Authenticate"] == "Bearer"
    # Every token descended from that login is dead: the legitimate holder's too.
    assert auth.refresh(second["refresh_token"]).get_json() == {"detail": "Session has been revoked"}
    assert auth.me(second["access_token"]) == (401, REVOKED)
    assert auth.me(first["access_token"]) == (401, REVOKED)


def test_grace_window_lets_two_tabs_refresh_at_once(client, auth):
    tokens = auth.sign_in()
    tab_one = auth.refresh(tokens["refresh_token"])
    tab_two = auth.refresh(tokens["refresh_token"])  # same token, moments later: not theft
    assert tab_one.status_code == tab_two.status_code == 200
    # Both tabs hold the chain's current token: either may go on refreshing.
    assert auth.refresh(tab_two.get_json()["refresh_token"]).status_code == 200


def test_grace_window_expires(app, client, auth):
    tokens = auth.sign_in()
    auth.refresh(tokens["refresh_token"])
    with app.app_context():  # the rotation happened 11 s ago
        db.session.execute(update(AuthSession).values(rotated_at=utcnow() - timedelta(seconds=11)))
        db.session.commit()
    assert auth.refresh(tokens["refresh_token"]).status_code == 401


def test_sec_21_token_types_are_not_interchangeable(client, auth):
    tokens = auth.sign_in()
    assert auth.me(tokens["refresh_token"]) == (401, {"detail": "Could not validate credentials"})
    response = auth.refresh(tokens["access_token"])
    assert (response.status_code, response.get_json()) == (401, {"detail": "Not a refresh token"})
    response = auth.refresh(original_token(EMAIL, TEST_SECRET_KEY))
    assert (response.status_code, response.get_json()) == (401, {"detail": "Not a refresh token"})


@pytest.mark.parametrize("data, content_type, status", [
    (b"", None, 401), (b"[]", "application/json", 422), (b'{"refresh_token": 5}', "application/json", 422),
    (b"{", "application/json", 422), (b"null", "application/json", 422), (b"abc", "text/plain", 415),
    (b'{"refresh_token": "x.y.z"}', "application/json", 401), (b'{"refresh_token": ""}', "application/json", 401),
])
def test_sec_08_refresh_bad_input(client, data, content_type, status):
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post("/auth/refresh", data=data, headers=headers)
    assert response.status_code == status and "detail" in response.get_json()


def test_expired_refresh_token_is_401(app, client, auth):
    app.config["JWT_REFRESH_TOKEN_EXPIRES"] = timedelta(seconds=-1)
    tokens = auth.sign_in()
    assert auth.refresh(tokens["refresh_token"]).get_json() == {"detail": "Could not validate credentials"}


def test_sec_19_logout_refuses_the_token_at_once(client, auth):
    tokens = auth.sign_in()
    response = client.post("/auth/logout", headers=bearer(tokens["access_token"]))
    assert response.get_json() == {"status": "ok", "scope": "current", "revoked_sessions": 1}
    assert auth.me(tokens["access_token"]) == (401, REVOKED)
    assert auth.refresh(tokens["refresh_token"]).status_code == 401


def test_logout_others_and_all(client, auth):
    laptop, phone, tablet = (auth.sign_in(agent=agent) for agent in ("laptop", "phone", "tablet"))
    response = client.post("/auth/logout", json={"scope": "others"}, headers=bearer(laptop["access_token"]))
    assert response.get_json()["revoked_sessions"] == 2
    assert auth.me(laptop["access_token"])[0] == 200
    assert auth.me(phone["access_token"]) == (401, REVOKED)
    assert auth.refresh(tablet["refresh_token"]).status_code == 401
    again = auth.sign_in(agent="phone")
    client.post("/auth/logout", json={"scope": "all"}, headers=bearer(again["access_token"]))
    assert auth.me(laptop["access_token"]) == (401, REVOKED)
    assert auth.me(again["access_token"]) == (401, REVOKED)


@pytest.mark.parametrize("body", [{"scope": "everything"}, {"scope": None}, [], {"scope": 1}])
def test_logout_bad_scope_is_422_and_revokes_nothing(client, body, auth):
    tokens = auth.sign_in()
    assert client.post("/auth/logout", json=body, headers=bearer(tokens["access_token"])).status_code == 422
    assert auth.me(tokens["access_token"])[0] == 200


def test_logout_needs_a_token(client):
    assert client.post("/auth/logout").get_json() == {"detail": "Not authenticated"}


def test_sessions_list_and_delete(client, auth):
    laptop = auth.sign_in(agent="laptop-browser")
    phone = auth.sign_in(agent="phone-app")
    listing = client.get("/auth/sessions", headers=bearer(laptop["access_token"])).get_json()["sessions"]
    assert sorted(s["user_agent"] for s in listing) == ["laptop-browser", "phone-app"]
    current = [s for s in listing if s["current"]]
    assert len(current) == 1 and current[0]["user_agent"] == "laptop-browser"
    assert all(s["ip"] == "127.0.0.1" and s["created_at"] and s["last_used_at"] for s in listing)
    phone_id = next(s["id"] for s in listing if not s["current"])
    assert client.delete(f"/auth/sessions/{phone_id}", headers=bearer(laptop["access_token"])).status_code == 200
    assert auth.me(phone["access_token"]) == (401, REVOKED)
    assert client.delete(f"/auth/sessions/{phone_id}", headers=bearer(laptop["access_token"])).status_code == 404
    remaining = client.get("/auth/sessions", headers=bearer(laptop["access_token"])).get_json()["sessions"]
    assert [s["user_agent"] for s in remaining] == ["laptop-browser"]


def test_cannot_end_another_users_session(client, auth):
    mine = auth.sign_in(email="me@test.edu")
    theirs = auth.sign_in(email="them@test.edu")
    their_id = client.get("/auth/sessions", headers=bearer(theirs["access_token"])).get_json()["sessions"][0]["id"]
    response = client.delete(f"/auth/sessions/{their_id}", headers=bearer(mine["access_token"]))
    assert (response.status_code, response.get_json()) == (404, {"detail": "Session not found"})
    assert auth.me(theirs["access_token"])[0] == 200


def test_sec_20_password_change_ends_other_sessions(client, auth):
    phone = auth.sign_in(agent="phone")
    laptop = auth.sign_in(agent="laptop")
    response = client.post("/auth/password", json={"current_password": PASSWORD, "new_password": "a brand new secret"},
                           headers=bearer(laptop["access_token"]))
    assert response.status_code == 200
    fresh = response.get_json()
    assert auth.me(fresh["access_token"])[0] == 200
    assert auth.refresh(fresh["refresh_token"]).status_code == 200
    assert auth.me(phone["access_token"]) == (401, REVOKED)
    assert auth.refresh(laptop["refresh_token"]).status_code == 401  # this session's old chain too
    assert client.post("/auth/login", json={"email": EMAIL, "password": PASSWORD}).status_code == 401
    assert client.post("/auth/login", json={"email": EMAIL, "password": "a brand new secret"}).status_code == 200


def test_wrong_current_password_is_400_and_changes_nothing(client, auth):
    other = auth.sign_in(agent="other")
    tokens = auth.sign_in()
    response = client.post("/auth/password", json={"current_password": "wrong!", "new_password": "whatever else 1"},
                           headers=bearer(tokens["access_token"]))
    assert (response.status_code, response.get_json()) == (400, {"detail": "Incorrect password"})
    assert auth.me(other["access_token"])[0] == 200
    assert client.post("/auth/login", json={"email": EMAIL, "password": PASSWORD}).status_code == 200


def test_original_tokens_work_and_can_be_logged_out(client, auth):
    auth.sign_in()
    legacy = original_token(EMAIL, TEST_SECRET_KEY)
    assert auth.me(legacy)[0] == 200
    assert client.post("/auth/logout", headers=bearer(legacy)).status_code == 200
    assert auth.me(legacy) == (401, REVOKED)


def test_logout_all_ends_original_tokens_too(client, auth):
    tokens = auth.sign_in()
    legacy = original_token(EMAIL, TEST_SECRET_KEY)
    client.post("/auth/logout", json={"scope": "all"}, headers=bearer(tokens["access_token"]))
    assert auth.me(legacy) == (401, REVOKED)


def test_password_change_with_original_token_starts_a_session(client, auth):
    auth.sign_in()
    legacy = original_token(EMAIL, TEST_SECRET_KEY)
    response = client.post("/auth/password", json={"current_password": PASSWORD, "new_password": "a brand new secret"},
                           headers=bearer(legacy))
    assert response.status_code == 200
    assert auth.me(response.get_json()["access_token"])[0] == 200
    assert auth.me(legacy) == (401, REVOKED)


def test_deactivated_user_is_refused_everywhere_at_once(app, client, auth):
    tokens = auth.sign_in()
    with app.app_context():
        db.session.execute(update(User).values(is_active=False))
        db.session.commit()
    assert auth.me(tokens["access_token"])[0] == 401
    assert auth.refresh(tokens["refresh_token"]).status_code == 401
    assert client.post("/auth/logout", headers=bearer(tokens["access_token"])).status_code == 401
    assert client.get("/auth/sessions", headers=bearer(tokens["access_token"])).status_code == 401


def test_revocation_check_is_one_query_per_request(app, client, auth):
    tokens = auth.sign_in()
    statements = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731 (the SQL text)
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert auth.me(tokens["access_token"])[0] == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(statements) == 1 and "sessions" in statements[0]


def test_purge_sessions_command(app, client, auth):
    live = auth.sign_in(agent="keep")
    auth.sign_in(agent="revoke")
    with app.app_context():
        db.session.execute(update(AuthSession).where(AuthSession.user_agent == "revoke").values(revoked_at=utcnow()))
        db.session.add(AuthSession(id="e" * 32, user_id=1, refresh_jti="x", expires_at=utcnow() - timedelta(days=1)))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["sessions", "purge"])
    assert "Deleted 2 expired or revoked session(s)." in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuthSession)) == 1
    assert auth.me(live["access_token"])[0] == 200


def test_purge_sessions_keeps_its_first_spelling_hidden(app, client, auth):
    """`loopin purge-sessions` (cron lines written for the first release) still works, unlisted."""
    auth.sign_in()
    runner = app.test_cli_runner()
    assert "Deleted 0 expired or revoked session(s)." in runner.invoke(args=["purge-sessions"]).output
    listed = runner.invoke(args=["--help"]).output
    assert "purge-sessions" not in listed and "sessions " in listed


def test_listing_purges_the_users_dead_sessions(app, client, auth):
    tokens = auth.sign_in(agent="keep")
    auth.sign_in(agent="gone")
    client.post("/auth/logout", json={"scope": "others"}, headers=bearer(tokens["access_token"]))
    listing = client.get("/auth/sessions", headers=bearer(tokens["access_token"]))
    assert [s["user_agent"] for s in listing.get_json()["sessions"]] == ["keep"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuthSession)) == 1  # the revoked row is gone
