"""Shared by the moderation tests: accounts, reports, the inbox and the lists a reader sees."""

from platform_helpers import signed_in
from sqlalchemy import update

from loopin.core.extensions import db
from loopin.models import User

PASSWORD = {"password": "correct horse battery"}


def students(app, client, count, prefix="student"):
    return [signed_in(app, client, f"{prefix}{n}@test.edu") for n in range(count)]


def report(client, headers, reason="spam", **target):
    return client.post("/reports/", json={"reason": reason, **target}, headers=headers)


def reported(client, headers, reason="spam", **target):
    response = report(client, headers, reason, **target)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def inbox(client, headers, kind=None):
    notes = client.get("/notifications/?limit=100", headers=headers).get_json()
    return [note for note in notes if kind is None or note["type"] == kind]


def feed_ids(client, headers=None, query=""):
    return [post["id"] for post in client.get(f"/posts/{query}", headers=headers or {}).get_json()]


def popular_ids(client, headers=None):
    return [post["id"] for post in client.get("/posts/popular?timeframe=all", headers=headers or {}).get_json()]


def search_ids(client, query, headers=None, kind="posts"):
    return [hit["id"] for hit in client.get(f"/search/?type={kind}&q={query}", headers=headers or {}).get_json()]


def thread(client, post_id, headers=None):
    response = client.get(f"/posts/{post_id}/comments/", headers=headers or {})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def comment(client, headers, post_id, content, parent_id=None):
    body = {"content": content, **({"parent_id": parent_id} if parent_id else {})}
    response = client.post(f"/posts/{post_id}/comments/", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def verify(app, *emails):
    with app.app_context():
        db.session.execute(update(User).where(User.email.in_(emails)).values(email_verified_at=db.func.now()))
        db.session.commit()
