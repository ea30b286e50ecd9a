"""Notifications (PLATFORM.md) on SQLite and PostgreSQL: the events and their rules, the inbox, read
state, bounds, what a deleted post or user takes with it, and concurrency on PostgreSQL."""

import pytest
from helpers import TEST_SECRET_KEY, AuthActions, at_once, signed_in_people, statements_for
from original_era import original_token
from platform_helpers import create, signed_in
from sqlalchemy import func, select

from loopin.core.extensions import db
from loopin.models import Notification, User


def inbox(client, headers, query=""):
    response = client.get(f"/notifications/{query}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def unread(client, headers):
    return client.get("/notifications/unread-count", headers=headers).get_json()["count"]


def comment(client, headers, post_id, content="Count me in", parent_id=None):
    body = {"content": content, **({"parent_id": parent_id} if parent_id else {})}
    response = client.post(f"/posts/{post_id}/comments/", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def upvote(client, headers, post_id, vote_type=1):
    return client.post("/votes/", json={"post_id": post_id, "vote_type": vote_type}, headers=headers).get_json()


def stored(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Notification))


@pytest.fixture
def bob(app, client):
    return signed_in(app, client, "bob@test.edu")


def test_a_comment_on_your_post_notifies_you_with_its_public_sender(client, ann, bob, post):
    client.put("/users/me", json={"full_name": "Bob Builder", "profile_photo_url": "https://img.test/b.png"},
               headers=bob)
    comment(client, bob, post["id"])
    [note] = inbox(client, ann)
    bob_id = client.get("/auth/me", headers=bob).get_json()["id"]
    assert {k: v for k, v in note.items() if k not in ("id", "created_at")} == {
        "type": "comment", "title": "New Comment", "message": 'Bob Builder commented on your post "Study group"',
        "reference_id": post["id"], "reference_type": "post", "is_read": False,
        "sender": {"id": bob_id, "name": "Bob Builder", "profile_photo": "https://img.test/b.png"}}
    assert note["created_at"].endswith("+00:00")
    assert "bob@test.edu" not in str(note) and "EN-" not in str(note)  # never personal data
    assert inbox(client, bob) == []  # nobody is told of their own action
    comment(client, ann, post["id"])
    assert len(inbox(client, ann)) == 1


def test_a_reply_notifies_the_parent_author_and_the_post_author_once_each(app, client, ann, bob, post):
    cy = signed_in(app, client, "cyd@test.edu")
    top = comment(client, bob, post["id"])  # ann: comment
    comment(client, cy, post["id"], parent_id=top["id"])  # bob: reply, ann: comment
    assert [n["type"] for n in inbox(client, bob)] == ["reply"]
    assert inbox(client, bob)[0]["message"] == 'cyd replied to your comment on "Study group"'
    assert [n["type"] for n in inbox(client, ann)] == ["comment", "comment"]
    mine = comment(client, ann, post["id"])
    comment(client, bob, post["id"], parent_id=mine["id"])  # ann is both: one reply, not a comment too
    assert [n["type"] for n in inbox(client, ann)] == ["reply", "comment", "comment"]
    comment(client, bob, post["id"], parent_id=top["id"])  # bob replying to bob: ann's comment only
    assert [n["type"] for n in inbox(client, bob)] == ["reply"]
    assert [n["type"] for n in inbox(client, ann)][0] == "comment"


def test_a_reply_to_a_deleted_comment_tells_only_the_post_author(client, ann, bob, post):
    top = comment(client, bob, post["id"])
    comment(client, ann, post["id"], parent_id=top["id"])
    client.delete(f"/posts/{post['id']}/comments/{top['id']}", headers=bob)  # a placeholder: it has a reply
    before = len(inbox(client, bob))
    response = client.post(f"/posts/{post['id']}/comments/", json={"content": "late", "parent_id": top["id"]},
                           headers=signed_in_people(client, 1, "late")[0])
    assert response.status_code == 404  # a placeholder takes no replies, so nobody hears of one
    assert len(inbox(client, bob)) == before


def test_the_first_upvote_notifies_once_whatever_follows(app, client, ann, bob, post):
    upvote(client, bob, post["id"])
    upvote(client, bob, post["id"])  # unvote
    upvote(client, bob, post["id"])  # re-vote
    upvote(client, bob, post["id"], -1)  # switch to down, then back up
    upvote(client, bob, post["id"], 1)
    assert [(n["type"], n["title"], n["message"]) for n in inbox(client, ann)] == \
        [("upvote", "New Upvote", 'bob upvoted your post "Study group"')]
    upvote(client, ann, post["id"])  # your own upvote
    cy = signed_in(app, client, "cyd@test.edu")
    upvote(client, cy, post["id"], -1)  # a downvote
    assert len(inbox(client, ann)) == 1
    upvote(client, cy, post["id"], 1)  # cy's first upvote (switched from down)
    assert len(inbox(client, ann)) == 2
    made = comment(client, ann, post["id"])
    client.post("/votes/", json={"comment_id": made["id"], "vote_type": 1}, headers=bob)
    assert len(inbox(client, ann)) == 2  # upvotes of comments notify nobody


def test_refused_actions_notify_nobody(app, client, ann, bob, post):
    assert client.post(f"/posts/{post['id']}/comments/", json={"content": " "}, headers=bob).status_code == 422
    assert client.post(f"/posts/{post['id']}/comments/", json={"content": "x", "parent_id": 999},
                       headers=bob).status_code == 404
    assert client.post("/votes/", json={"post_id": post["id"], "vote_type": 2}, headers=bob).status_code == 400
    assert stored(app) == 0


def test_a_failing_action_leaves_no_notification_behind(app, client, ann, bob, post, monkeypatch):
    """Events share their action's transaction: when anything after them fails, both are undone."""
    from dataclasses import replace

    from loopin.comments import services as comments
    from loopin.votes.targets import TARGETS

    targets = app.extensions[TARGETS]  # the post's counters move after the upvote's event
    monkeypatch.setitem(targets, "post", replace(targets["post"], move_votes=lambda *args: 1 / 0))
    assert client.post("/votes/", json={"post_id": post["id"], "vote_type": 1}, headers=bob).status_code == 500
    real_notify = comments.notify_comment
    monkeypatch.setattr(comments, "notify_comment", lambda *args: (real_notify(*args), 1 / 0))
    assert client.post(f"/posts/{post['id']}/comments/", json={"content": "x"}, headers=bob).status_code == 500
    monkeypatch.undo()
    assert stored(app) == 0 and client.get(f"/posts/{post['id']}/comments/").get_json() == []
    assert upvote(client, bob, post["id"])["status"] == "added"  # the first upvote is still to come
    assert [n["type"] for n in inbox(client, ann)] == ["upvote"]


def test_long_titles_are_cut_in_messages(client, ann, bob):
    made = create(client, ann, title="T" * 200)
    comment(client, bob, made["id"])
    message = inbox(client, ann)[0]["message"]
    assert message == f'bob commented on your post "{"T" * 79}…"'


def test_the_inbox_is_the_callers_newest_first_and_bounded(client, ann, bob, post):
    for n in range(5):
        comment(client, bob, post["id"], f"c{n}")
    comment(client, ann, create(client, bob)["id"])  # bob's only notification
    notes = inbox(client, ann)
    assert len(notes) == 5 and [n["id"] for n in notes] == sorted((n["id"] for n in notes), reverse=True)
    assert [n["id"] for n in inbox(client, ann, "?skip=1&limit=2")] == [n["id"] for n in notes[1:3]]
    assert len(inbox(client, bob)) == 1
    for query in ("?limit=0", "?limit=101", "?skip=-1", "?limit=x"):
        response = client.get(f"/notifications/{query}", headers=ann)
        assert response.status_code == 422 and response.get_json()["detail"][0]["loc"][0] == "query"
    for method, path in (("get", "/notifications/"), ("get", "/notifications/unread-count"),
                         ("put", f"/notifications/{notes[0]['id']}/read"), ("put", "/notifications/read-all")):
        response = getattr(client, method)(path)
        assert (response.status_code, response.get_json()) == (401, {"detail": "Not authenticated"})


def test_reading_one_or_all_moves_the_unread_count(client, ann, bob, post):
    for n in range(3):
        comment(client, bob, post["id"], f"c{n}")
    notes = inbox(client, ann)
    assert unread(client, ann) == 3
    ok = client.put(f"/notifications/{notes[1]['id']}/read", headers=ann)
    assert (ok.status_code, ok.get_json()) == (200, {"status": "success"})
    assert client.put(f"/notifications/{notes[1]['id']}/read", headers=ann).status_code == 200  # again: no change
    assert unread(client, ann) == 2
    assert [n["is_read"] for n in inbox(client, ann)] == [False, True, False]
    for headers, note_id in ((bob, notes[0]["id"]), (ann, 99999)):  # someone else's, or none at all
        response = client.put(f"/notifications/{note_id}/read", headers=headers)
        assert (response.status_code, response.get_json()) == (404, {"detail": "Notification not found"})
    assert client.put("/notifications/abc/read", headers=ann).status_code == 422
    assert unread(client, ann) == 2
    assert client.put("/notifications/read-all", headers=ann).get_json() == {"status": "success"}
    assert unread(client, ann) == 0 and all(n["is_read"] for n in inbox(client, ann))


def test_the_inbox_costs_the_same_statements_for_one_notification_or_twenty(app, client, ann, post):
    people = signed_in_people(client, 20, "reader")
    teacher = signed_in(app, client, "prof@test.edu", role="faculty")
    client.post("/notifications/announcement", json={"title": "Hello", "message": "Welcome"}, headers=teacher)
    for headers in people:
        comment(client, headers, post["id"])
    counts = {limit: statements_for(app, client, f"/notifications/?limit={limit}", ann)[0] for limit in (1, 20)}
    assert counts == {1: 2, 20: 2}  # the caller's session, then the page with senders and read state
    assert statements_for(app, client, "/notifications/unread-count", ann)[0] == 1  # counted with the caller


def test_deleting_a_post_or_a_user_takes_their_notifications(app, client, ann, bob, post):
    comment(client, bob, post["id"])
    other = create(client, ann, title="Second")
    upvote(client, bob, other["id"])
    assert len(inbox(client, ann)) == 2
    assert client.delete(f"/posts/{post['id']}", headers=ann).status_code == 204
    assert [n["reference_id"] for n in inbox(client, ann)] == [other["id"]]
    with app.app_context():
        db.session.execute(db.delete(User).where(User.email == "bob@test.edu"))  # the sender goes
        db.session.commit()
    assert inbox(client, ann)[0]["sender"] is None
    with app.app_context():
        db.session.execute(db.delete(User).where(User.email == "ann@test.edu"))  # the recipient goes
        db.session.commit()
    assert stored(app) == 0


def test_a_token_the_original_minted_polls_too(client, ann, bob, post):
    comment(client, bob, post["id"])
    original = {"Authorization": f"Bearer {original_token('ann@test.edu', TEST_SECRET_KEY)}"}
    assert client.get("/notifications/unread-count", headers=original).get_json() == {"count": 1}
    client.post("/auth/logout", json={"scope": "all"}, headers=ann)  # ends original-era tokens too
    assert client.get("/notifications/unread-count", headers=original).status_code == 401


def test_websockets_are_not_served(client, ann):
    for path in ("/notifications/ws/1", "/ws/notifications/1"):
        response = client.get(path, headers={"Upgrade": "websocket", "Connection": "Upgrade", **ann})
        assert response.status_code == 404 and response.get_json() == {"detail": "Not Found"}


def test_comments_and_upvotes_at_once_each_notify_exactly_once(app):
    client = app.test_client()
    owner = AuthActions(client, email="owner@test.edu").headers()
    post = create(client, owner)
    people = signed_in_people(client, 20, "crowd")

    def comment_and_upvote(headers):
        other = app.test_client()
        made = other.post(f"/posts/{post['id']}/comments/", json={"content": "me too"}, headers=headers)
        voted = other.post("/votes/", json={"post_id": post["id"], "vote_type": 1}, headers=headers)
        return made.status_code, voted.status_code

    assert at_once(comment_and_upvote, people) == [(201, 200)] * 20
    one_voter = people[0]
    toggles = at_once(lambda _: app.test_client().post(
        "/votes/", json={"post_id": post["id"], "vote_type": 1}, headers=one_voter).status_code, range(10))
    assert toggles == [200] * 10
    with app.app_context():
        kinds = db.session.execute(select(Notification.type, func.count()).group_by(Notification.type)).all()
    assert dict(kinds) == {"comment": 20, "upvote": 20}
