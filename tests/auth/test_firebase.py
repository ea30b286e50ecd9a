"""Signing in with Firebase (issue 23): ID tokens verified as Firebase documents it, against a JWK set the
tests publish themselves; accounts by verified identity, linked or made on first sight; pre-hijacking
defeated; the key set fetched as its max-age says; on SQLite and PostgreSQL."""

import base64
import hashlib
import hmac
import json
import logging
import time

import pytest
from cryptography.hazmat.primitives import serialization
from firebase_keys import KID, PROJECT, id_token, new_key
from helpers import AuthActions, at_once, bearer
from mail_server import token_in
from sqlalchemy import func, select, update

from loopin.core.extensions import db
from loopin.models import User

INVALID = {"detail": "Could not validate credentials"}


def count_users(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def unsigned(claims_token):
    """The same claims with `alg: none` and no signature."""
    _header, payload, _signature = claims_token.split(".")
    header = base64.urlsafe_b64encode(json.dumps({"alg": "none", "kid": KID}).encode()).rstrip(b"=").decode()
    return f"{header}.{payload}."


def hs256_with_the_public_key(key):
    """The classic confusion: HS256 signed with the RSA public key as the secret."""
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    encode = lambda data: base64.urlsafe_b64encode(data).rstrip(b"=").decode()  # noqa: E731
    now = int(time.time())
    header = encode(json.dumps({"alg": "HS256", "kid": KID}).encode())
    payload = encode(json.dumps({"iss": f"https://securetoken.google.com/{PROJECT}", "aud": PROJECT,
                                 "sub": "uid-ann", "iat": now, "exp": now + 600, "auth_time": now,
                                 "email": "ann@test.edu", "email_verified": True}).encode())
    signature = hmac.new(public, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{encode(signature)}"


def test_a_firebase_token_works_wherever_a_loopin_token_does(firebase_app, firebase_signing_key):
    client = firebase_app().test_client()
    headers = bearer(id_token(firebase_signing_key))
    me = client.get("/auth/me", headers=headers)
    assert me.status_code == 200, me.get_json()
    body = me.get_json()
    assert (body["email"], body["username"], body["full_name"], body["role"], body["email_verified"]) == \
        ("ann@test.edu", "ann", "Ann Example", "student", True)
    assert body["profile_photo_url"] == "https://lh3.example.com/ann.png"
    post = client.post("/posts/", json={"title": "Hello", "department": "CSE"}, headers=headers)
    assert post.status_code == 201 and post.get_json()["author"]["username"] == "ann"
    assert client.get("/notifications/unread-count", headers=headers).get_json() == {"count": 0}
    assert client.get("/auth/me", headers=headers).get_json()["id"] == body["id"]  # found again, not made again


@pytest.mark.parametrize("forge", [
    lambda key: id_token(key, exp=int(time.time()) - 120),
    lambda key: id_token(key, aud="another-project"),
    lambda key: id_token(key, iss="https://securetoken.google.com/another-project"),
    lambda key: id_token(key, iss="https://evil.example.com/loopin-test"),
    lambda key: unsigned(id_token(key)),
    hs256_with_the_public_key,
    lambda key: id_token(key, kid="no-such-key"),
    lambda key: id_token(new_key()),  # the right kid, another key's signature
    lambda key: id_token(key, iat=int(time.time()) + 600),
    lambda key: id_token(key, auth_time=int(time.time()) + 600),
    lambda key: id_token(key, auth_time=None),
    lambda key: id_token(key, sub=""),
    lambda key: id_token(key, algorithm="RS512"),
], ids=["expired", "wrong-aud", "wrong-project-iss", "foreign-iss", "alg-none", "hs256-public-key", "unknown-kid",
        "other-key", "iat-future", "auth-time-future", "no-auth-time", "empty-sub", "rs512"])
def test_forged_and_foreign_tokens_are_refused(firebase_app, firebase_signing_key, forge):
    app = firebase_app()
    response = app.test_client().get("/auth/me", headers=bearer(forge(firebase_signing_key)))
    assert (response.status_code, response.get_json()) == (401, INVALID)
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert count_users(app) == 0


def test_without_a_project_firebase_tokens_are_refused(client, firebase_signing_key):
    response = client.get("/auth/me", headers=bearer(id_token(firebase_signing_key)))
    assert (response.status_code, response.get_json()) == (401, INVALID)


@pytest.mark.parametrize("settings, claims, detail", [
    ({}, {"email_verified": False}, "The Firebase account's email address is not verified"),
    ({}, {"email": None}, "The Firebase account has no email address"),
    ({"ALLOWED_EMAIL_DOMAINS": "college.edu"}, {}, "Sign-in is limited to addresses at: college.edu"),
])
def test_first_sight_needs_a_verified_address_in_an_allowed_domain(firebase_app, firebase_signing_key, settings,
                                                                   claims, detail):
    app = firebase_app(**settings)
    response = app.test_client().get("/auth/me", headers=bearer(id_token(firebase_signing_key, **claims)))
    assert (response.status_code, response.get_json()) == (403, {"detail": detail})
    assert count_users(app) == 0


def test_the_uid_finds_its_account_even_after_the_address_changes(firebase_app, firebase_signing_key):
    client = firebase_app().test_client()
    first = client.get("/auth/me", headers=bearer(id_token(firebase_signing_key))).get_json()
    moved = client.get("/auth/me", headers=bearer(id_token(firebase_signing_key, email="ann.new@test.edu")))
    assert moved.get_json()["id"] == first["id"] and moved.get_json()["email"] == "ann@test.edu"
    other = client.get("/auth/me", headers=bearer(id_token(firebase_signing_key, uid="uid-bob", email="bob@test.edu")))
    assert other.get_json()["id"] != first["id"]


def test_the_key_set_is_fetched_once_per_max_age(firebase_app, firebase_keys, firebase_signing_key, monkeypatch):
    client = firebase_app().test_client()

    def me(kid=KID):
        return client.get("/auth/me", headers=bearer(id_token(firebase_signing_key, kid=kid))).status_code

    assert [me() for _ in range(5)] == [200] * 5
    assert [me("made-up") for _ in range(5)] == [401] * 5  # within the minute of the fetch: no fetch
    assert firebase_keys.requests == 1
    a_minute_later = time.monotonic() + 61
    monkeypatch.setattr("loopin.auth.firebase.time.monotonic", lambda: a_minute_later)
    assert [me("made-up") for _ in range(5)] == [401] * 5  # a rotation? one fetch to see, then none
    assert me() == 200 and firebase_keys.requests == 2


def test_a_key_set_past_its_max_age_is_fetched_again(firebase_app, firebase_keys, firebase_signing_key, monkeypatch):
    client = firebase_app().test_client()
    assert client.get("/auth/me", headers=bearer(id_token(firebase_signing_key))).status_code == 200
    later = time.monotonic() + 3601
    monkeypatch.setattr("loopin.auth.firebase.time.monotonic", lambda: later)
    assert client.get("/auth/me", headers=bearer(id_token(firebase_signing_key))).status_code == 200
    assert firebase_keys.requests == 2


def test_keys_unreachable_is_503_for_firebase_only(firebase_app, firebase_keys, firebase_signing_key):
    firebase_keys.down = True
    client = firebase_app().test_client()
    refused = client.get("/auth/me", headers=bearer(id_token(firebase_signing_key)))
    assert (refused.status_code, refused.get_json()) == (503, {"detail": "Firebase sign-in is unavailable; "
                                                                         "try again later"})
    loopin_token = AuthActions(client).sign_in()["access_token"]
    assert client.get("/auth/me", headers=bearer(loopin_token)).status_code == 200


def test_pre_hijacking_ends_with_the_owners_first_sign_in(firebase_app, firebase_signing_key, caplog):
    """Someone registers victim@ with a password before its owner; the owner signs in with Firebase."""
    caplog.set_level(logging.INFO, "loopin")
    app = firebase_app()
    client = app.test_client()
    squatter = AuthActions(client, email="victim@test.edu", password="squatters passphrase")
    squatted = squatter.sign_in()
    owner = bearer(id_token(firebase_signing_key, uid="uid-victim", email="victim@test.edu"))
    me = client.get("/auth/me", headers=owner).get_json()
    assert me["email"] == "victim@test.edu" and me["email_verified"] is True
    assert client.get("/auth/me", headers=bearer(squatted["access_token"])).status_code == 401
    assert squatter.refresh(squatted["refresh_token"]).status_code == 401
    login = squatter.login()
    assert (login.status_code, login.get_json()) == (401, {"detail": "Incorrect email or password"})
    assert client.get("/auth/me", headers=owner).status_code == 200  # the owner's own token still works
    links = [json.loads(r.getMessage()) for r in caplog.records if r.name == "loopin.audit"
             and '"identity_link"' in r.getMessage()]
    assert [(link["user_id"], link["password_disabled"]) for link in links] == [(me["id"], True)]
    assert "squatters passphrase" not in caplog.text


def test_a_verified_account_is_linked_and_keeps_its_password(firebase_app, firebase_signing_key):
    app = firebase_app()
    client = app.test_client()
    actions = AuthActions(client, email="ann@test.edu")
    tokens = actions.sign_in()
    with app.app_context():
        db.session.execute(update(User).values(email_verified_at=func.now()))
        db.session.commit()
    assert client.get("/auth/me", headers=bearer(id_token(firebase_signing_key))).status_code == 200
    assert actions.login().status_code == 200
    assert client.get("/auth/me", headers=bearer(tokens["access_token"])).status_code == 200
    assert count_users(app) == 1


def test_accounts_made_from_firebase_have_no_password_to_guess(firebase_app, firebase_signing_key):
    app = firebase_app()
    client = app.test_client()
    assert client.get("/auth/me", headers=bearer(id_token(firebase_signing_key))).status_code == 200
    for password in ("", "correct horse battery", "None"):
        response = client.post("/auth/login", json={"email": "ann@test.edu", "password": password})
        assert (response.status_code, response.get_json()) == (401, {"detail": "Incorrect email or password"})


def test_exchanging_a_firebase_token_for_a_loopin_session(firebase_app, firebase_signing_key):
    client = firebase_app().test_client()
    exchanged = client.post("/auth/firebase", json={"id_token": id_token(firebase_signing_key)})
    assert exchanged.status_code == 200
    pair = exchanged.get_json()
    assert set(pair) == {"access_token", "token_type", "refresh_token", "expires_in"}
    sessions = client.get("/auth/sessions", headers=bearer(pair["access_token"])).get_json()["sessions"]
    assert len(sessions) == 1 and sessions[0]["current"] is True
    assert client.post("/auth/logout", headers=bearer(pair["access_token"])).status_code == 200
    assert client.get("/auth/me", headers=bearer(pair["access_token"])).status_code == 401
    loopin_token = pair["access_token"]
    assert client.post("/auth/firebase", json={"id_token": loopin_token}).get_json() == INVALID
    assert client.post("/auth/firebase", json={}).status_code == 422


def test_a_deactivated_account_is_refused_with_a_firebase_token(firebase_app, firebase_signing_key):
    app = firebase_app()
    client = app.test_client()
    headers = bearer(id_token(firebase_signing_key))
    assert client.get("/auth/me", headers=headers).status_code == 200
    with app.app_context():
        db.session.execute(update(User).values(is_active=False))
        db.session.commit()
    assert client.get("/auth/me", headers=headers).get_json() == INVALID
    assert client.post("/auth/firebase", json={"id_token": id_token(firebase_signing_key)}).status_code == 400


def test_log_out_everywhere_refuses_the_firebase_tokens_minted_before(firebase_app, firebase_signing_key):
    client = firebase_app().test_client()
    earlier = bearer(id_token(firebase_signing_key, iat=int(time.time()) - 30))
    assert client.post("/auth/logout", json={"scope": "all"}, headers=earlier).status_code == 200
    assert client.get("/auth/me", headers=earlier).get_json() == {"detail": "Token has been revoked"}
    fresh = bearer(id_token(firebase_signing_key, iat=int(time.time()) + 2))  # the SDK's next token
    assert client.get("/auth/me", headers=fresh).status_code == 200


def test_first_sightings_at_once_make_one_account(firebase_app, firebase_signing_key):
    app = firebase_app()
    token = id_token(firebase_signing_key)

    def sign_in(_):
        return app.test_client().get("/auth/me", headers=bearer(token)).status_code

    assert at_once(sign_in, range(6)) == [200] * 6
    assert count_users(app) == 1


def test_limits_count_a_firebase_caller_by_identity(firebase_app, firebase_signing_key):
    client = firebase_app(RATELIMIT_ENABLED=True).test_client()
    ann = bearer(id_token(firebase_signing_key))
    bob = bearer(id_token(firebase_signing_key, uid="uid-bob", email="bob@test.edu"))
    post = client.post("/posts/", json={"title": "Share me", "department": "CSE"}, headers=ann).get_json()
    assert [client.patch(f"/posts/{post['id']}/share", headers=ann).status_code for _ in range(6)] == [200] * 5 + [429]
    assert client.patch(f"/posts/{post['id']}/share", headers=bob).status_code == 200  # bob's own budget


def test_an_account_with_no_password_is_deleted_after_a_fresh_sign_in(firebase_app, firebase_signing_key):
    app = firebase_app()
    client = app.test_client()
    stale = bearer(id_token(firebase_signing_key, auth_time=int(time.time()) - 3600))
    refused = client.delete("/users/me", json={"password": ""}, headers=stale)
    assert (refused.status_code, refused.get_json()) == (400, {"detail": "Incorrect password"})
    fresh = bearer(id_token(firebase_signing_key, auth_time=int(time.time()) - 10))
    assert client.delete("/users/me", json={"password": ""}, headers=fresh).status_code == 204
    assert count_users(app) == 0


def test_after_a_claim_the_owner_sets_a_password_by_a_reset_link(mail_app, mail_server, firebase_keys,
                                                                  firebase_signing_key):
    app = mail_app(FIREBASE_PROJECT_ID=PROJECT, FIREBASE_JWKS_URL=firebase_keys.url)
    client = app.test_client()
    squatter = AuthActions(client, email="victim@test.edu", password="squatters passphrase")
    squatter.register()
    owner = bearer(id_token(firebase_signing_key, uid="uid-victim", email="victim@test.edu"))
    assert client.get("/auth/me", headers=owner).status_code == 200
    assert client.post("/auth/password/forgot", json={"email": "victim@test.edu"}).status_code == 202
    assert app.test_cli_runner().invoke(args=["mail", "deliver"]).exit_code == 0
    link = token_in(mail_server.messages[-1])
    reset = client.post("/auth/password/reset", json={"token": link, "new_password": "the owners passphrase"})
    assert reset.status_code == 200
    assert AuthActions(client, email="victim@test.edu", password="the owners passphrase").login().status_code == 200
    assert squatter.login().status_code == 401
