"""Verified college addresses (issue 17): EMAIL_VERIFICATION off, optional and required, the mailed
link and its token, asking again, and ALLOWED_EMAIL_DOMAINS."""

from datetime import timedelta

import pytest
from helpers import AuthActions, bearer
from mail_server import token_in
from sqlalchemy import update

from loopin.core.clock import utcnow
from loopin.core.database import transaction
from loopin.core.extensions import db
from loopin.models import EmailToken

BAD_TOKEN = {"detail": "Invalid or expired token"}


def deliver(app):
    assert app.test_cli_runner().invoke(args=["mail", "deliver"]).exit_code == 0


def signed_up(app, email="ann@test.edu"):
    client = app.test_client()
    return client, bearer(AuthActions(client, email=email).sign_in()["access_token"])


def verified(client, headers):
    return client.get("/auth/me", headers=headers).get_json()["email_verified"]


def test_off_is_the_originals_behaviour(mail_app, mail_server):
    app = mail_app()
    client, headers = signed_up(app)
    deliver(app)
    assert mail_server.messages == []
    assert verified(client, headers) is False and client.get("/users/me", headers=headers).get_json()[
        "email_verified"] is False
    assert client.post("/posts/", json={"title": "t", "department": "CSE"}, headers=headers).status_code == 201


def test_the_mailed_link_verifies_once(mail_app, mail_server):
    app = mail_app(EMAIL_VERIFICATION="optional")
    client, headers = signed_up(app)
    deliver(app)
    token = token_in(mail_server.to("ann@test.edu")[0])
    assert verified(client, headers) is False
    assert client.post("/auth/verify-email", json={"token": token}).get_json() == {"email_verified": True}
    assert verified(client, headers) is True
    again = client.post("/auth/verify-email", json={"token": token})
    assert (again.status_code, again.get_json()) == (400, BAD_TOKEN)
    for body in ({"token": "not-a-token"}, {"token": token[:-1]}):
        response = client.post("/auth/verify-email", json=body)
        assert (response.status_code, response.get_json()) == (400, BAD_TOKEN)
    for body in ({}, {"token": ""}, {"token": "x" * 201}, {"token": 5}):
        assert client.post("/auth/verify-email", json=body).status_code == 422


def test_an_expired_link_is_refused_and_a_new_one_can_be_asked_for(mail_app, mail_server):
    app = mail_app(EMAIL_VERIFICATION="optional")
    client, headers = signed_up(app)
    with app.app_context(), transaction():
        db.session.execute(update(EmailToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    deliver(app)
    old = token_in(mail_server.messages[0])
    assert client.post("/auth/verify-email", json={"token": old}).get_json() == BAD_TOKEN
    asked = client.post("/auth/verify-email/request", headers=headers)
    assert (asked.status_code, asked.get_json()) == (202, {"detail": "Verification email sent"})
    deliver(app)
    assert client.post("/auth/verify-email", json={"token": token_in(mail_server.messages[1])}).status_code == 200
    done = client.post("/auth/verify-email/request", headers=headers)
    assert (done.status_code, done.get_json()) == (400, {"detail": "Email address already verified"})
    assert client.post("/auth/verify-email/request").status_code == 401


def test_asking_is_limited_to_three_mails_an_hour(limited_app, mail_server):
    app = limited_app(EMAIL_VERIFICATION="optional", **mail_server.settings)
    client, headers = signed_up(app)
    answers = [client.post("/auth/verify-email/request", headers=headers).status_code for _ in range(4)]
    assert answers == [202, 202, 202, 429]


@pytest.mark.parametrize("method, path, body", [
    ("post", "/posts/", {"title": "t", "department": "CSE"}),
    ("post", "/posts/{post}/comments/", {"content": "hi"}),
    ("post", "/votes/", {"post_id": "{post}", "vote_type": 1}),
    ("post", "/reactions/", {"emoji": "👍", "target_type": "post", "target_id": "{post}"}),
])
def test_required_lets_unverified_users_read_but_not_write(mail_app, mail_server, method, path, body):
    app = mail_app(EMAIL_VERIFICATION="required")
    client, headers = signed_up(app)  # ann, unverified
    writer = AuthActions(client, email="bob@test.edu").headers()  # bob verifies, then writes a post
    deliver(app)
    token = token_in(mail_server.to("ann@test.edu")[0])
    client.post("/auth/verify-email", json={"token": token_in(mail_server.to("bob@test.edu")[0])})
    post = client.post("/posts/", json={"title": "t", "department": "CSE"}, headers=writer).get_json()
    path = path.format(post=post["id"])
    body = {key: post["id"] if value == "{post}" else value for key, value in body.items()}
    refused = getattr(client, method)(path, json=body, headers=headers)
    assert (refused.status_code, refused.get_json()) == (403, {"detail": "Email address not verified"})
    assert client.get("/posts/", headers=headers).status_code == 200
    assert client.get(f"/posts/{post['id']}/comments/", headers=headers).status_code == 200
    client.post("/auth/verify-email", json={"token": token})
    assert getattr(client, method)(path, json=body, headers=headers).status_code in (200, 201)


def test_registration_can_be_limited_to_the_colleges_domains(mail_app):
    app = mail_app(ALLOWED_EMAIL_DOMAINS="college.edu, uni.ac.in")
    client = app.test_client()
    for email in ("ann@college.edu", "bob@CS.College.edu", "cy@uni.ac.in"):
        assert AuthActions(client, email=email).register().status_code == 200, email
    for email in ("eve@gmail.com", "eve@notcollege.edu", "eve@college.edu.evil.com"):
        refused = AuthActions(client, email=email).register()
        assert (refused.status_code, refused.get_json()) == (
            400, {"detail": "Registration is limited to addresses at: college.edu, uni.ac.in"}), email
