"""Taking your data and leaving (issue 17): `GET /users/me/export` and `DELETE /users/me`, on SQLite and
PostgreSQL; counters stay exact and nobody else's content goes with the account."""

import json

import pytest
from helpers import AuthActions, make_app, statements_for
from platform_helpers import create, signed_in

from loopin.core.extensions import db
from loopin.models import Post

PASSWORD = AuthActions.PASSWORD


def delete_me(client, headers, password=PASSWORD):
    return client.delete("/users/me", json={"password": password}, headers=headers)


@pytest.fixture
def bob(app, client):
    return signed_in(app, client, "bob@test.edu")


def busy_day(client, ann, bob):
    """ann and bob post, comment, reply, vote and react on each other's work."""
    anns = create(client, ann, title="Ann's post")
    bobs = create(client, bob, title="Bob's post")
    comment = client.post(f"/posts/{bobs['id']}/comments/", json={"content": "ann was here"}, headers=ann).get_json()
    client.post(f"/posts/{bobs['id']}/comments/", json={"content": "reply", "parent_id": comment["id"]}, headers=bob)
    client.post(f"/posts/{anns['id']}/comments/", json={"content": "bob on ann's"}, headers=bob)
    lone = client.post(f"/posts/{bobs['id']}/comments/", json={"content": "no replies"}, headers=ann).get_json()
    client.post("/votes/", json={"post_id": bobs["id"], "vote_type": 1}, headers=ann)
    client.post("/votes/", json={"comment_id": lone["id"], "vote_type": -1}, headers=bob)
    client.post("/reactions/", json={"emoji": "🎉", "target_type": "comment", "target_id": lone["id"]}, headers=ann)
    return anns, bobs, comment


def test_the_export_is_everything_of_yours_and_nothing_secret(client, ann, bob):
    _, bobs, _ = busy_day(client, ann, bob)
    assert client.post("/reports/", json={"post_id": bobs["id"], "reason": "off_topic"}, headers=ann).status_code == 201
    assert client.put("/users/me/muted/bob", headers=ann).status_code == 200
    client.post("/reports/", json={"post_id": bobs["id"] - 1, "reason": "spam"}, headers=bob)  # bob's, not ann's
    response = client.get("/users/me/export", headers=ann)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith('attachment; filename="loopin-account-')
    assert response.headers["Cache-Control"] == "no-store"
    document = response.get_json()
    assert document["account"]["email"] == "ann@test.edu" and document["account"]["username"] == "ann"
    assert [p["title"] for p in document["posts"]] == ["Ann's post"]
    assert [c["content"] for c in document["comments"]] == ["ann was here", "no replies"]
    assert [(v["post_id"], v["vote_type"]) for v in document["votes"]] == [(2, 1)]
    assert [r["emoji"] for r in document["reactions"]] == ["🎉"]
    assert [n["type"] for n in document["notifications"]] == ["reply", "comment"]
    assert [(r["post_id"], r["reason"], r["resolved_at"]) for r in document["reports"]] == \
        [(bobs["id"], "off_topic", None)]
    assert [m["muted_id"] for m in document["mutes"]] == [bobs["author_id"]]
    assert len(document["sessions"]) == 1 and set(document["sessions"][0]) == {
        "id", "created_at", "last_used_at", "expires_at", "revoked_at", "user_agent", "ip"}
    text = json.dumps(document)
    assert "$argon2" not in text and "hashed_password" not in text and "refresh_jti" not in text
    assert "bob@test.edu" not in text
    assert client.get("/users/me/export").status_code == 401


def test_the_export_costs_one_statement_per_kind_whatever_the_history(app, client, ann, bob):
    quiet = statements_for(app, client, "/users/me/export", ann)[0]
    busy_day(client, ann, bob)
    busy_day(client, ann, bob)
    assert statements_for(app, client, "/users/me/export", ann)[0] == quiet == 1 + 10  # the session, ten kinds


def test_a_wrong_password_deletes_nothing(client, ann):
    refused = delete_me(client, ann, "not my password")
    assert (refused.status_code, refused.get_json()) == (400, {"detail": "Incorrect password"})
    assert client.get("/auth/me", headers=ann).status_code == 200
    assert client.delete("/users/me", json={}, headers=ann).status_code == 422
    assert client.delete("/users/me", json={"password": PASSWORD}).status_code == 401


def test_deleting_anonymizes_content_and_takes_back_counters(app, client, ann, bob):
    anns, bobs, comment = busy_day(client, ann, bob)
    assert delete_me(client, ann).status_code == 204
    assert client.get("/auth/me", headers=ann).status_code == 401
    kept = client.get(f"/posts/{anns['id']}").get_json()
    assert (kept["title"], kept["author"], kept["author_id"]) == ("Ann's post", None, None)
    assert "Ann's post" in [p["title"] for p in client.get("/posts/").get_json()]
    bobs_now = client.get(f"/posts/{bobs['id']}").get_json()
    assert (bobs_now["upvotes"], bobs_now["comments_count"]) == (0, 3)
    thread = client.get(f"/posts/{bobs['id']}/comments/").get_json()
    assert [(c["content"], c["author"]) for c in thread][0] == ("ann was here", None)
    assert thread[2]["reactions"] == [] and thread[2]["downvotes"] == 1
    with app.app_context():  # the score counts what is left: 3 comments, no vote
        assert db.session.get(Post, bobs["id"]).score == 6
    notes = client.get("/notifications/", headers=bob).get_json()  # ann's two comments and her upvote
    assert [(n["type"], n["sender"]) for n in notes] == [("upvote", None), ("comment", None), ("comment", None)]
    # The address is free again.
    assert AuthActions(client, email="ann@test.edu").register().status_code == 200


def test_deleting_with_content_removes_it_and_keeps_others_replies(app, database_url, tmp_path):
    app = make_app(database_url, tmp_path / "deleting", ACCOUNT_DELETION_CONTENT="delete")
    client = app.test_client()
    ann, bob = signed_in(app, client, "ann@test.edu"), signed_in(app, client, "bob@test.edu")
    anns, bobs, comment = busy_day(client, ann, bob)
    assert delete_me(client, ann).status_code == 204
    assert client.get(f"/posts/{anns['id']}").status_code == 404
    assert client.get(f"/posts/{bobs['id']}").get_json()["comments_count"] == 1  # bob's reply only
    thread = client.get(f"/posts/{bobs['id']}/comments/").get_json()
    assert [(c["content"], c["author"] is None) for c in thread] == [("[deleted]", True), ("reply", False)]
    with app.app_context():
        db.engine.dispose()


def test_the_last_active_admin_cannot_leave(app, client):
    admin = signed_in(app, client, "root@test.edu", role="admin")
    refused = delete_me(client, admin)
    assert (refused.status_code, refused.get_json()) == (409, {"detail": "The last active admin cannot delete "
                                                                          "their account"})
    result = app.test_cli_runner().invoke(args=["users", "delete", "root@test.edu", "--yes"])
    assert result.exit_code == 1 and "last active admin" in result.output
    signed_in(app, client, "second@test.edu", role="admin")
    assert delete_me(client, admin).status_code == 204


def test_an_administrator_deletes_from_the_command_line(app, client, ann):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["users", "delete", "ann@test.edu"], input="n\n").exit_code == 1  # asked, declined
    assert client.get("/auth/me", headers=ann).status_code == 200
    result = runner.invoke(args=["users", "delete", "ann@test.edu", "--yes"])
    assert (result.exit_code, result.output.strip()) == (0, "Deleted ann@test.edu.")
    assert client.get("/auth/me", headers=ann).status_code == 401
    assert runner.invoke(args=["users", "delete", "nobody@test.edu", "--yes"]).exit_code == 1


def test_ids_are_never_reused_after_a_deletion(app, client):
    """SQLite gave the largest id + 1: the newest account deleted, the next one took its id, and the
    audit rows about the old person read as if about the new one (revision 0016)."""
    AuthActions(client, email="first@test.edu").register()
    last = AuthActions(client, email="last@test.edu")
    last.register()
    last_id = client.get("/auth/me", headers=last.headers()).get_json()["id"]
    assert delete_me(client, last.headers()).status_code == 204
    newcomer = AuthActions(client, email="newcomer@test.edu")
    newcomer.register()
    assert client.get("/auth/me", headers=newcomer.headers()).get_json()["id"] > last_id
    post = client.post("/posts/", json={"title": "t", "content": "c", "department": "CSE"},
                       headers=newcomer.headers()).get_json()
    assert client.delete(f"/posts/{post['id']}", headers=newcomer.headers()).status_code == 204
    again = client.post("/posts/", json={"title": "t", "content": "c", "department": "CSE"},
                        headers=newcomer.headers()).get_json()
    assert again["id"] > post["id"]
