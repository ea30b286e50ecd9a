"""A forgotten password (issue 17): the same answer whether or not the address has an account, a
single-use link valid one hour, a reset that ends every session, and limits per client and address."""

import json
import logging
from datetime import timedelta

from helpers import TEST_SECRET_KEY, AuthActions, bearer
from mail_server import token_in
from original_era import original_token
from sqlalchemy import event, select, update

from loopin.auth.passwords import PasswordService
from loopin.core.clock import utcnow
from loopin.core.database import transaction
from loopin.core.extensions import db
from loopin.models import EmailToken, OutboxMessage

SENT = {"detail": "If an account exists for this address, a reset link has been sent"}
BAD_TOKEN = {"detail": "Invalid or expired token"}
NEW_PASSWORD = "a brand new passphrase"


def deliver(app):
    assert app.test_cli_runner().invoke(args=["mail", "deliver"]).exit_code == 0


def forgot(client, email):
    response = client.post("/auth/password/forgot", json={"email": email})
    return response.status_code, response.get_json()


def reset(client, token, password=NEW_PASSWORD):
    return client.post("/auth/password/reset", json={"token": token, "new_password": password})


def test_the_answer_is_the_same_whether_or_not_the_account_exists(mail_app, mail_server):
    app = mail_app()
    client = app.test_client()
    AuthActions(client, email="ann@test.edu").register()
    AuthActions(client, email="gone@test.edu").register()
    assert app.test_cli_runner().invoke(args=["users", "deactivate", "gone@test.edu"]).exit_code == 0
    answers = [forgot(client, email) for email in ("ann@test.edu", "nobody@test.edu", "gone@test.edu", "ANN@test.edu")]
    assert answers == [(202, SENT)] * 4
    deliver(app)
    assert [m["To"] for m in mail_server.messages] == ["ann@test.edu", "ann@test.edu"]
    message = mail_server.messages[0]
    assert message["Subject"] == "Reset your Loop.in password"
    assert "http://localhost:5173/reset-password?token=" in message.get_payload(decode=True).decode()
    assert client.post("/auth/password/forgot", json={"email": "not an address"}).status_code == 422


def test_the_request_does_the_same_work_for_any_address(mail_app, mail_server, caplog):
    """No timing oracle: the request writes one outbox row whoever the address is; whether an account
    has it is found out later, by the delivery (bench/forgot_timing.py measures the time)."""
    app = mail_app()
    client = app.test_client()
    AuthActions(client, email="ann@test.edu").register()
    with app.app_context():
        engine = db.engine
    statements = {}
    for email in ("ann@test.edu", "nobody@test.edu"):
        seen = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            forgot(client, email)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        statements[email] = seen
    assert statements["ann@test.edu"] == statements["nobody@test.edu"]  # the same SQL, in the same order
    caplog.set_level(logging.INFO, "loopin.mail")
    deliver(app)
    assert [m["To"] for m in mail_server.messages] == ["ann@test.edu"]
    assert "nothing to send" in caplog.text and "nobody@test.edu" not in caplog.text
    with app.app_context():  # the address without an account is not kept
        assert db.session.scalars(select(OutboxMessage.recipient).order_by(OutboxMessage.id)).all() == [
            "ann@test.edu", ""]


def test_a_reset_sets_the_password_ends_every_session_and_verifies(mail_app, mail_server, caplog):
    app = mail_app()
    client = app.test_client()
    ann = AuthActions(client, email="ann@test.edu")
    tokens = ann.sign_in()
    original = {"Authorization": f"Bearer {original_token('ann@test.edu', TEST_SECRET_KEY)}"}
    forgot(client, "ann@test.edu")
    deliver(app)
    token = token_in(mail_server.messages[0])
    caplog.set_level(logging.INFO, "loopin.audit")
    done = reset(client, token)
    assert (done.status_code, done.get_json()) == (200, {"detail": "Password has been reset"})
    assert client.get("/auth/me", headers=bearer(tokens["access_token"])).status_code == 401
    assert client.get("/auth/me", headers=original).status_code == 401
    assert ann.refresh(tokens["refresh_token"]).status_code == 401
    assert ann.login(password=ann.PASSWORD).status_code == 401
    signed = ann.login(password=NEW_PASSWORD)
    assert signed.status_code == 200
    assert client.get("/auth/me", headers=bearer(signed.get_json()["access_token"])).get_json()["email_verified"]
    assert reset(client, token).get_json() == BAD_TOKEN  # once
    events = [json.loads(r.getMessage()) for r in caplog.records if r.name == "loopin.audit"]
    assert ("password_reset", "success") in [(e["event"], e["outcome"]) for e in events]
    assert token not in caplog.text


def test_bad_expired_and_superseded_tokens_are_refused(mail_app, mail_server):
    app = mail_app()
    client = app.test_client()
    headers = AuthActions(client, email="ann@test.edu").headers()
    forgot(client, "ann@test.edu")
    forgot(client, "ann@test.edu")
    deliver(app)
    first, second = (token_in(m) for m in mail_server.messages)
    weak = reset(client, first, password="short")
    assert weak.status_code == 422  # the policy applies; the token is not spent
    with app.app_context(), transaction():  # the first link is over an hour old
        db.session.execute(update(EmailToken).where(EmailToken.id == 1)
                           .values(expires_at=utcnow() - timedelta(seconds=1)))
    assert reset(client, first).get_json() == BAD_TOKEN
    changed = client.post("/auth/password", json={"current_password": AuthActions.PASSWORD,
                                                  "new_password": "changed by the owner"}, headers=headers)
    assert changed.status_code == 200
    assert reset(client, second).get_json() == BAD_TOKEN  # a password change ends pending links
    assert reset(client, "made-up").status_code == 400


def test_requests_are_limited_per_address_and_per_client(limited_app, mail_server):
    app = limited_app(**mail_server.settings)
    client = app.test_client()
    assert [forgot(client, "ann@test.edu")[0] for _ in range(4)] == [202, 202, 202, 429]
    assert forgot(client, "bob@test.edu")[0] == 202  # another address: its own budget
    assert forgot(client, "cy@test.edu")[0] == 429  # the client's: 5 a minute


def test_a_bad_token_is_refused_before_the_new_password_is_hashed(mail_app, mail_server, monkeypatch):
    """A hash costs tens of milliseconds of CPU; a made-up token must cost a lookup only."""
    app = mail_app()
    client = app.test_client()
    AuthActions(client, email="ann@test.edu").register()
    hashed = []
    real_hash = PasswordService.hash
    monkeypatch.setattr(PasswordService, "hash", lambda service, password: hashed.append(1) or
                        real_hash(service, password))
    assert reset(client, "made-up").get_json() == BAD_TOKEN
    assert hashed == []
    forgot(client, "ann@test.edu")
    deliver(app)
    assert reset(client, token_in(mail_server.messages[-1])).status_code == 200
    assert hashed == [1]  # a good token: one hash, for the new password


def test_resets_are_limited_per_client(limited_app, mail_server):
    app = limited_app(**mail_server.settings, RATELIMIT_RESET_PER_IP="3 per minute")
    client = app.test_client()
    assert [reset(client, f"made-up-{n}").status_code for n in range(4)] == [400, 400, 400, 429]
