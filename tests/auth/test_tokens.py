"""GET /auth/me and the access token: the original's 401s, HS256 only, exp enforced, its tokens accepted."""

import base64
import json
import time
from datetime import datetime, timedelta, timezone

import jwt as pyjwt
import pytest
from helpers import TEST_SECRET_KEY, AuthActions, bearer, statements_during
from platform_helpers import create
from sqlalchemy import delete, event, update

from loopin.auth.tokens import authenticate_request, signed_claims
from loopin.core.extensions import db
from loopin.models import User

NOT_AUTHENTICATED = {"detail": "Not authenticated"}
INVALID = {"detail": "Could not validate credentials"}


def original_style_token(email, minutes=30, key=TEST_SECRET_KEY, algorithm="HS256"):
    """What python-jose minted in the original: sub and exp, nothing else."""
    claims = {"sub": email, "exp": datetime.now(timezone.utc) + timedelta(minutes=minutes)}
    return pyjwt.encode(claims, key, algorithm=algorithm)


def b64(data):
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def assert_refused(response, body):
    assert response.status_code == 401
    assert response.get_json() == body
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_me_returns_the_signed_in_user(client, auth):
    response = client.get("/auth/me", headers=auth.headers())
    assert response.status_code == 200
    body = response.get_json()
    assert body["email"] == auth.EMAIL and body["is_active"] is True and isinstance(body["id"], int)
    assert datetime.fromisoformat(body["created_at"]).tzinfo is not None


@pytest.mark.parametrize("headers", [{}, {"Authorization": ""}, {"Authorization": "Basic dXNlcjpwYXNz"},
                                     {"Authorization": "Token abc"}])
def test_sec_17_missing_token_is_401_not_authenticated(client, headers):
    assert_refused(client.get("/auth/me", headers=headers), NOT_AUTHENTICATED)


def test_sec_21_token_never_read_from_url(client, auth):
    token = auth.headers()["Authorization"].split()[1]
    assert_refused(client.get(f"/auth/me?access_token={token}&jwt={token}"), NOT_AUTHENTICATED)


@pytest.mark.parametrize("token", ["", "abc", "a.b.c", "Bearer x", "eyJhbGciOiJIUzI1NiJ9.e30"])
def test_sec_17_malformed_token_is_401(client, token):
    assert_refused(client.get("/auth/me", headers={"Authorization": f"Bearer {token}"}), INVALID)


def test_sec_17_tampered_token_is_401(client, auth):
    header, payload, signature = auth.headers()["Authorization"].split()[1].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = "someone.else@test.edu"
    assert_refused(client.get("/auth/me", headers=bearer(f"{header}.{b64(claims)}.{signature}")), INVALID)
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    assert_refused(client.get("/auth/me", headers=bearer(f"{header}.{payload}.{flipped}")), INVALID)


def test_sec_17_forged_with_another_key_is_401(client, auth):
    auth.register()
    assert_refused(client.get("/auth/me", headers=bearer(original_style_token(auth.EMAIL, key="x" * 40))), INVALID)


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")  # forging HS512 on purpose
def test_sec_16_only_hs256_accepted(client, auth):
    auth.register()
    unsigned = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64({'sub': auth.EMAIL, 'exp': 4102444800})}."
    assert_refused(client.get("/auth/me", headers=bearer(unsigned)), INVALID)
    hs512 = original_style_token(auth.EMAIL, algorithm="HS512")
    assert_refused(client.get("/auth/me", headers=bearer(hs512)), INVALID)
    rs256_header = f"{b64({'alg': 'RS256', 'typ': 'JWT'})}.{b64({'sub': auth.EMAIL, 'exp': 4102444800})}.c2ln"
    assert_refused(client.get("/auth/me", headers=bearer(rs256_header)), INVALID)


def test_sec_18_expired_token_is_401_without_leeway(client, auth):
    auth.register()
    just_expired = pyjwt.encode({"sub": auth.EMAIL, "exp": int(datetime.now(timezone.utc).timestamp()) - 1},
                                TEST_SECRET_KEY, algorithm="HS256")
    assert_refused(client.get("/auth/me", headers=bearer(just_expired)), INVALID)


def test_sec_18_access_token_lifetime_is_configurable(app, auth, client):
    app.config["JWT_ACCESS_TOKEN_EXPIRES"] = timedelta(minutes=5)
    token = auth.register().get_json()["access_token"]
    claims = pyjwt.decode(token, TEST_SECRET_KEY, algorithms=["HS256"])
    assert claims["exp"] - claims["iat"] == 5 * 60


def test_original_style_token_is_accepted(client, auth):
    """Tokens minted by the FastAPI original (sub + exp only, same key) stay valid until they expire."""
    auth.register()
    response = client.get("/auth/me", headers=bearer(original_style_token(auth.EMAIL)))
    assert response.status_code == 200
    assert response.get_json()["email"] == auth.EMAIL


def test_token_of_deleted_user_is_401(app, client, auth):
    headers = auth.headers()
    auth.register(email="other@test.edu")
    with app.app_context():
        db.session.execute(delete(User).where(User.email == auth.EMAIL))
        db.session.commit()
    # Its session went with it (a missing session is a revoked one).
    assert_refused(client.get("/auth/me", headers=headers), {"detail": "Token has been revoked"})
    legacy = original_style_token(auth.EMAIL)  # no session: the user lookup refuses it
    assert_refused(client.get("/auth/me", headers=bearer(legacy)), INVALID)


def test_sec_20_token_of_deactivated_user_is_401_at_once(app, client, auth):
    headers = auth.headers()
    with app.app_context():
        db.session.execute(update(User).values(is_active=False))
        db.session.commit()
    assert_refused(client.get("/auth/me", headers=headers), INVALID)


def test_a_request_decodes_its_token_once_however_many_ask(limited_app, monkeypatch):
    """The share limit's key, the PUBLIC_READ check and the authenticator share one decode of the bearer
    token; the refresh limit's key and the refresh view share one of the refresh token."""
    client = limited_app().test_client()
    tokens = AuthActions(client).sign_in()
    post = create(client, bearer(tokens["access_token"]))
    decoded = count_decodes(monkeypatch)
    assert client.patch(f"/posts/{post['id']}/share", headers=bearer(tokens["access_token"])).status_code == 200
    assert len(decoded) == 1
    decoded.clear()
    assert client.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).status_code == 200
    assert len(decoded) == 1


def count_decodes(monkeypatch):
    """A list that grows by one per PyJWT decode from now on; this process has verified no token yet."""
    signed_claims.cache_clear()
    decoded = []
    real_decode = pyjwt.decode
    monkeypatch.setattr(pyjwt, "decode", lambda *args, **kwargs: (decoded.append(1), real_decode(*args, **kwargs))[1])
    return decoded


def test_sec_18_a_token_verified_once_per_process_still_expires_on_time(client, auth, monkeypatch):
    """The same access token comes back with every request: its signature is checked on first sight,
    its expiry at each request, without leeway."""
    auth.register()
    decoded = count_decodes(monkeypatch)
    token = original_style_token(auth.EMAIL, minutes=2 / 60)  # two seconds
    for _ in range(3):
        assert client.get("/auth/me", headers=bearer(token)).status_code == 200
    assert len(decoded) == 1
    time.sleep(max(0.0, pyjwt.decode(token, options={"verify_signature": False})["exp"] - time.time()) + 0.05)
    assert_refused(client.get("/auth/me", headers=bearer(token)), INVALID)


def test_sec_17_a_token_verified_under_one_key_is_refused_under_another(app, client, auth):
    """Rotating JWT_SECRET_KEY refuses the tokens signed with the old one, even those this process had
    already verified."""
    headers = auth.headers()
    assert client.get("/auth/me", headers=headers).status_code == 200
    app.config["JWT_SECRET_KEY"] = "another key of at least thirty-two bytes!"
    assert_refused(client.get("/auth/me", headers=headers), INVALID)


def test_a_refused_token_is_checked_again_each_time(client, auth, monkeypatch):
    """Only a verdict for a token is kept: a forged one costs a decode each time it is sent."""
    auth.register()
    decoded = count_decodes(monkeypatch)
    forged = original_style_token(auth.EMAIL, key="not the server's key, but long enough for HS256!")
    for _ in range(2):
        assert_refused(client.get("/auth/me", headers=bearer(forged)), INVALID)
    assert len(decoded) == 2


def test_a_token_the_later_original_minted_is_accepted_and_its_role_claim_ignored(client, auth):
    """The original's later version added `id` and `role` claims; the role is never taken from a token."""
    auth.register()
    now = datetime.now(timezone.utc)
    token = pyjwt.encode({"sub": auth.EMAIL, "id": 1, "role": "admin", "exp": now + timedelta(minutes=15)},
                         TEST_SECRET_KEY, algorithm="HS256")
    me = client.get("/auth/me", headers=bearer(token))
    assert me.status_code == 200 and me.get_json()["role"] == "student"
    assert client.get("/admin/users", headers=bearer(token)).status_code == 403


def test_a_read_finds_its_caller_in_one_statement_outside_the_orm(app, client, auth):
    """A request that only reads looks its caller up as plain columns on a connection of its own (no
    ORM Session, no entity load: half of what the lookup cost); a write finds the caller in its own
    Session, where it may change the row."""
    headers = auth.headers()
    orm_statements = []
    count = lambda _state: orm_statements.append(1)  # noqa: E731
    event.listen(db.session, "do_orm_execute", count)
    try:
        statements, me = statements_during(app, lambda: client.get("/auth/me", headers=headers).get_json())
        assert len(statements) == 1 and orm_statements == [] and me["email"] == auth.EMAIL
        changed = client.put("/users/me", json={"full_name": "Renamed Person"}, headers=headers)
        assert changed.status_code == 200 and changed.get_json()["full_name"] == "Renamed Person"
        assert orm_statements
    finally:
        event.remove(db.session, "do_orm_execute", count)
    assert client.get("/auth/me", headers=headers).get_json()["full_name"] == "Renamed Person"


def test_reads_that_need_only_their_caller_open_no_session(app, client, auth):
    """/auth/me and the unread count never make an ORM Session (even asking one for its database
    makes one); a feed page, which reads through the ORM, does."""
    had_session = []
    # Runs before Flask-SQLAlchemy's own teardown (Flask calls them in reverse), which removes it.
    app.teardown_appcontext(lambda _error: had_session.append(db.session.registry.has()))
    headers = auth.headers()
    for path in ("/auth/me", "/notifications/unread-count", "/posts/"):
        assert client.get(path, headers=headers).status_code == 200
    assert had_session[-3:] == [False, False, True]


def test_a_readers_caller_is_a_whole_user_that_a_session_takes_unchanged(app, auth):
    """The read-only lookup's User has every column loaded and no pending change: attached to a
    Session later (a view's transaction), a flush writes nothing and nothing is loaded again."""
    headers = auth.headers()
    with app.test_request_context("/auth/me", headers=headers):
        caller = authenticate_request()
        statements, _ = statements_during(app, lambda: (db.session.add(caller.user), db.session.flush()))
        assert statements == [] and caller.user not in db.session.dirty
        assert caller.user.email == auth.EMAIL and caller.user.is_active is True
        assert db.session.get(User, caller.user.id) is caller.user
        db.session.rollback()
