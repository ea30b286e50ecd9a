"""Editing posts and comments, with the versions edits replace (issue 29, "Edit"), on SQLite and
PostgreSQL: who may edit and read earlier versions, what an edit changes (tags, search, anonymity
never), audits, deletes, concurrency, and a constant number of statements per page of versions."""

import pytest
from helpers import at_once, make_app, statements_for
from platform_helpers import create, signed_in
from sqlalchemy import func, select

from loopin.core.extensions import db
from loopin.models import AuditLog, CommentRevision, PostRevision


@pytest.fixture
def ann(app, client):
    return signed_in(app, client, "ann@test.edu")


@pytest.fixture
def bob(app, client):
    return signed_in(app, client, "bob@test.edu")


@pytest.fixture
def admin(app, client):
    return signed_in(app, client, "dean@test.edu", "admin")


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def comment(client, headers, post_id, content):
    response = client.post(f"/posts/{post_id}/comments/", json={"content": content}, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


# --- Posts -----------------------------------------------------------------------------------------------

def test_the_author_edits_and_the_replaced_version_is_kept(client, ann):
    post = create(client, ann, title="Lab viva on Friday", content="Room 203", tags="Notice")
    assert post["edited_at"] is None
    response = client.patch(f"/posts/{post['id']}", json={"title": "Lab viva on Monday", "tags": "Notice,Urgent"},
                            headers=ann)
    assert response.status_code == 200, response.get_json()
    edited = response.get_json()
    assert (edited["title"], edited["content"], edited["tags"]) == ("Lab viva on Monday", "Room 203",
                                                                    "Notice,Urgent,Academic")  # viva: auto-tag
    assert edited["edited_at"] is not None and client.get(f"/posts/{post['id']}").get_json() == edited
    [version] = client.get(f"/posts/{post['id']}/revisions", headers=ann).get_json()
    assert (version["title"], version["content"], version["tags"], version["editor_id"]) == \
        ("Lab viva on Friday", "Room 203", "Notice,Academic", post["author_id"])
    # The tag filter and search read the new version only.
    assert [p["id"] for p in client.get("/posts/?tags=urgent").get_json()] == [post["id"]]
    assert [p["id"] for p in client.get("/search/?q=monday").get_json()] == [post["id"]]
    assert client.get("/search/?q=friday ").get_json() == []


def test_an_edit_that_changes_nothing_keeps_no_version(client, ann):
    post = create(client, ann, title="Same", content="Same")
    assert client.patch(f"/posts/{post['id']}", json={"title": "Same"}, headers=ann).get_json()["edited_at"] is None
    assert client.get(f"/posts/{post['id']}/revisions", headers=ann).get_json() == []


def test_only_the_author_and_admins_edit_and_read_versions(app, client, ann, bob, admin):
    post = create(client, ann, title="Mine", content="x")
    assert client.patch(f"/posts/{post['id']}", json={"title": "Bob's now"}, headers=bob).status_code == 403
    assert client.get(f"/posts/{post['id']}/revisions", headers=bob).status_code == 403
    assert client.patch(f"/posts/{post['id']}", json={"title": "x"}).status_code == 401
    assert client.get(f"/posts/{post['id']}/revisions").status_code == 401
    assert client.patch("/posts/999999", json={"title": "x"}, headers=ann).status_code == 404
    response = client.patch(f"/posts/{post['id']}", json={"content": "Moderated"}, headers=admin)
    assert response.status_code == 200
    admin_id = client.get("/auth/me", headers=admin).get_json()["id"]
    [version] = client.get(f"/posts/{post['id']}/revisions", headers=ann).get_json()
    assert (version["content"], version["editor_id"]) == ("x", admin_id)
    assert client.get(f"/posts/{post['id']}/revisions", headers=admin).status_code == 200
    with app.app_context():
        audit = db.session.scalars(select(AuditLog).where(AuditLog.action == "EDIT_POST")).all()
    assert [(row.actor_id, row.target_id, row.details["fields"]) for row in audit] == \
        [(admin_id, str(post["id"]), ["content"])]
    client.patch(f"/posts/{post['id']}", json={"content": "Mine again"}, headers=ann)  # the author's own: no audit
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(AuditLog.action == "EDIT_POST")) == 1


def test_announcements_stay_with_the_authors_role(app, client, ann, admin):
    post = create(client, ann, title="Question", content="x")
    refused = client.patch(f"/posts/{post['id']}", json={"type": "announcement"}, headers=ann)
    assert refused.status_code == 403 and "announcements" in refused.get_json()["detail"]
    # Not even an admin makes a student's post an announcement: the type is within the author's role.
    assert client.patch(f"/posts/{post['id']}", json={"type": "announcement"}, headers=admin).status_code == 403
    prof = signed_in(app, client, "prof@test.edu", "faculty")
    notice = create(client, prof, title="Notice", content="x")
    assert client.patch(f"/posts/{notice['id']}", json={"type": "announcement"}, headers=prof).status_code == 200


@pytest.mark.parametrize("body", [{}, {"is_anonymous": False}, {"title": "x", "is_anonymous": True},
                                  {"author_id": 1}, {"title": ""}, {"department": "x" * 65}, {"title": None}])
def test_an_edit_that_is_not_one_is_a_422_and_changes_nothing(client, ann, body):
    post = create(client, ann, title="Kept", content="x", is_anonymous=True)
    response = client.patch(f"/posts/{post['id']}", json=body, headers=ann)
    assert response.status_code == 422, response.get_json()
    assert client.get(f"/posts/{post['id']}", headers=ann).get_json() == post


def test_an_anonymous_post_stays_anonymous(client, ann, bob):
    post = create(client, ann, title="Ghost", content="x", is_anonymous=True)
    client.patch(f"/posts/{post['id']}", json={"title": "Still a ghost"}, headers=ann)
    seen = client.get(f"/posts/{post['id']}", headers=bob).get_json()
    assert (seen["title"], seen["is_anonymous"], seen["author"], seen["author_id"]) == \
        ("Still a ghost", True, None, None)


def test_versions_go_with_their_post(app, client, ann):
    post = create(client, ann, title="One", content="x")
    client.patch(f"/posts/{post['id']}", json={"title": "Two"}, headers=ann)
    assert count(app, PostRevision) == 1
    assert client.delete(f"/posts/{post['id']}", headers=ann).status_code == 204
    assert count(app, PostRevision) == 0


def test_two_edits_at_once_each_keep_what_they_replaced(app, client, ann):
    post = create(client, ann, title="Original", content="x")
    answers = at_once(lambda title: app.test_client().patch(f"/posts/{post['id']}", json={"title": title},
                                                            headers=ann).status_code, ["First", "Second"])
    assert answers == [200, 200]
    final = client.get(f"/posts/{post['id']}").get_json()["title"]
    versions = [v["title"] for v in client.get(f"/posts/{post['id']}/revisions", headers=ann).get_json()]
    # One after the other: the second kept the first's title, the first kept the original.
    assert versions[-1] == "Original" and sorted([final, versions[0]]) == ["First", "Second"]


def test_a_page_of_versions_is_one_statement_whatever_its_size(app, client, ann):
    post = create(client, ann, title="v0", content="x")
    for n in range(1, 6):
        client.patch(f"/posts/{post['id']}", json={"title": f"v{n}"}, headers=ann)
    one, body = statements_for(app, client, f"/posts/{post['id']}/revisions?limit=1", ann)
    many, bodies = statements_for(app, client, f"/posts/{post['id']}/revisions?limit=100", ann)
    assert [v["title"] for v in body] == ["v4"] and [v["title"] for v in bodies] == ["v4", "v3", "v2", "v1", "v0"]
    assert one == many


# --- Comments --------------------------------------------------------------------------------------------

def test_the_author_edits_a_comment_and_the_replaced_text_is_kept(client, ann, bob):
    post = create(client, ann, title="Thread", content="x")
    said = comment(client, bob, post["id"], "Room 203")
    path = f"/posts/{post['id']}/comments/{said['id']}"
    response = client.patch(path, json={"content": "Room 204, sorry"}, headers=bob)
    assert response.status_code == 200 and response.get_json()["edited_at"] is not None
    assert client.get(f"/posts/{post['id']}/comments/").get_json()[0]["content"] == "Room 204, sorry"
    assert [v["content"] for v in client.get(f"{path}/revisions", headers=bob).get_json()] == ["Room 203"]
    assert client.patch(path, json={"content": "mine"}, headers=ann).status_code == 403  # the post's author: no
    assert client.get(f"{path}/revisions", headers=ann).status_code == 403
    assert client.patch(path, json={"content": "x", "post_id": 2}, headers=bob).status_code == 422
    assert [c["id"] for c in client.get("/search/?q=204&type=comments").get_json()] == [said["id"]]


def test_a_placeholder_cannot_be_edited_and_keeps_no_earlier_text(app, client, ann, bob):
    post = create(client, ann, title="Thread", content="x")
    parent = comment(client, bob, post["id"], "first words")
    client.post(f"/posts/{post['id']}/comments/", json={"content": "reply", "parent_id": parent["id"]}, headers=ann)
    path = f"/posts/{post['id']}/comments/{parent['id']}"
    client.patch(path, json={"content": "second words"}, headers=bob)
    assert count(app, CommentRevision) == 1
    assert client.delete(path, headers=bob).status_code == 204  # a placeholder: it has a reply
    assert count(app, CommentRevision) == 0
    assert client.patch(path, json={"content": "back"}, headers=bob).status_code == 404
    assert client.get(f"{path}/revisions", headers=bob).status_code == 404


def test_an_admins_comment_edit_is_audited(app, client, ann, admin):
    post = create(client, ann, title="Thread", content="x")
    said = comment(client, ann, post["id"], "rude words")
    assert client.patch(f"/posts/{post['id']}/comments/{said['id']}", json={"content": "[edited by a moderator]"},
                        headers=admin).status_code == 200
    with app.app_context():
        edits = db.session.scalars(select(AuditLog).where(AuditLog.action == "EDIT_COMMENT")).all()
    assert [(row.target_id, row.details["post_id"]) for row in edits] == [(str(said["id"]), post["id"])]


# --- Account deletion --------------------------------------------------------------------------------------

def test_versions_follow_the_content_when_its_author_leaves(app, client, ann, admin):
    post = create(client, ann, title="Before", content="x")
    client.patch(f"/posts/{post['id']}", json={"title": "After"}, headers=ann)
    said = comment(client, ann, post["id"], "first")
    client.patch(f"/posts/{post['id']}/comments/{said['id']}", json={"content": "second"}, headers=ann)
    gone = client.delete("/users/me", json={"password": "correct horse battery"}, headers=ann)
    assert gone.status_code == 204, gone.get_json()
    # Anonymized (the default): the post stays without an author, and so do its versions, without an editor.
    [version] = client.get(f"/posts/{post['id']}/revisions", headers=admin).get_json()
    assert (version["title"], version["editor_id"]) == ("Before", None)
    with app.app_context():
        kept = db.session.execute(select(CommentRevision.content, CommentRevision.editor_id)).all()
    assert [tuple(row) for row in kept] == [("first", None)]  # the comment stays too, without an author


def test_versions_go_when_the_content_goes_with_its_author(app, database_url, tmp_path):
    app = make_app(database_url, tmp_path / "deleting", ACCOUNT_DELETION_CONTENT="delete")
    client = app.test_client()
    ann = signed_in(app, client, "ann@test.edu")
    post = create(client, ann, title="Before", content="x")
    client.patch(f"/posts/{post['id']}", json={"title": "After"}, headers=ann)
    said = comment(client, ann, post["id"], "first")
    client.patch(f"/posts/{post['id']}/comments/{said['id']}", json={"content": "second"}, headers=ann)
    assert client.delete("/users/me", json={"password": "correct horse battery"}, headers=ann).status_code == 204
    assert (count(app, PostRevision), count(app, CommentRevision)) == (0, 0)
    with app.app_context():
        db.engine.dispose()


def test_the_account_export_has_the_versions_of_your_own_content(client, ann, admin):
    post = create(client, ann, title="Before", content="x")
    client.patch(f"/posts/{post['id']}", json={"title": "After"}, headers=admin)  # an admin's edit: still hers
    said = comment(client, ann, post["id"], "first")
    client.patch(f"/posts/{post['id']}/comments/{said['id']}", json={"content": "second"}, headers=ann)
    mine = client.get("/users/me/export", headers=ann).get_json()
    assert [(v["post_id"], v["title"]) for v in mine["post_revisions"]] == [(post["id"], "Before")]
    assert [v["content"] for v in mine["comment_revisions"]] == ["first"]
    assert mine["posts"][0]["edited_at"] is not None
    theirs = client.get("/users/me/export", headers=admin).get_json()
    assert theirs["post_revisions"] == [] and theirs["comment_revisions"] == []
