"""The review queue and its resolutions (issue 29, "Review queue"), on SQLite and PostgreSQL: grouped,
open first, one statement per page; dismiss, warn and remove, each with its notices and audit rows."""

import pytest
from helpers import statements_for
from moderation_helpers import comment, feed_ids, inbox, reported, students, thread
from platform_helpers import create, signed_in
from sqlalchemy import select

from loopin.core.extensions import db
from loopin.models import AuditLog, Report


@pytest.fixture
def ann(app, client):
    return signed_in(app, client, "ann@test.edu")


@pytest.fixture
def admin(app, client):
    return signed_in(app, client, "dean@test.edu", "admin")


def queue(client, admin, query=""):
    response = client.get(f"/admin/reports{query}", headers=admin)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def resolve(client, admin, target, action, note=None):
    body = {"action": action, **({"note": note} if note else {})}
    return client.post(f"/admin/reports/{target}/resolve", json=body, headers=admin)


def audit(app, action):
    with app.app_context():
        return db.session.execute(select(AuditLog.target_type, AuditLog.target_id, AuditLog.details)
                                  .where(AuditLog.action == action)).all()


def test_the_queue_groups_reports_by_target_open_first(app, client, ann, admin):
    ghost = create(client, ann, title="Who is the worst teacher", content="Names follow", is_anonymous=True)
    other = create(client, ann, title="Lost keys")
    said = comment(client, ann, other["id"], "Found them? " + "x" * 400)
    reporters = students(app, client, 3)
    reported(client, reporters[0], "harassment", post_id=ghost["id"])
    reported(client, reporters[1], "harassment", post_id=ghost["id"])
    reported(client, reporters[2], "personal_data", post_id=ghost["id"])
    reported(client, reporters[0], "spam", comment_id=said["id"])
    reported(client, reporters[1], "off_topic", post_id=other["id"])
    assert resolve(client, admin, f"post-{other['id']}", "dismiss").status_code == 200
    first, second = queue(client, admin)
    assert (first["target"], first["target_type"], first["comment_id"], first["open_reports"], first["total_reports"],
            first["reasons"], first["is_hidden"], first["post_title"], first["content"]) == \
        (f"comment-{said['id']}", "comment", said["id"], 1, 1, {"spam": 1}, False, "Lost keys",
         ("Found them? " + "x" * 400)[:280])
    assert (second["target"], second["open_reports"], second["reasons"], second["is_hidden"], second["is_anonymous"]) \
        == (f"post-{ghost['id']}", 3, {"harassment": 2, "personal_data": 1}, True, True)
    # Admins see who wrote an anonymous post under review, as they do elsewhere.
    assert second["author"]["username"] == "ann" and "email" not in second["author"]
    [closed] = queue(client, admin, "?status=closed")
    assert (closed["target"], closed["open_reports"], closed["total_reports"], closed["reasons"]) == \
        (f"post-{other['id']}", 0, 1, {"off_topic": 1})
    assert [row["target"] for row in queue(client, admin, "?status=all")] == \
        [f"comment-{said['id']}", f"post-{ghost['id']}", f"post-{other['id']}"]
    assert [row["target"] for row in queue(client, admin, "?status=all&skip=2&limit=1")] == [f"post-{other['id']}"]
    assert client.get("/admin/reports", headers=reporters[0]).status_code == 403
    assert client.get("/admin/reports").status_code == 401
    assert client.get("/admin/reports?status=pending", headers=admin).status_code == 422


def test_the_queue_is_one_statement_per_page(app, client, ann, admin):
    reporters = students(app, client, 2)
    for n in range(12):
        post = create(client, ann, title=f"Post {n}")
        said = comment(client, ann, post["id"], f"Comment {n}")
        reported(client, reporters[n % 2], post_id=post["id"])
        reported(client, reporters[n % 2], comment_id=said["id"])
    one, page = statements_for(app, client, "/admin/reports?limit=1", admin)
    many, full = statements_for(app, client, "/admin/reports?limit=24", admin)
    assert (len(page), len(full)) == (1, 24) and one == many


def test_dismiss_shows_it_again_closes_its_reports_and_thanks_the_reporters(app, client, ann, admin):
    post = create(client, ann, title="Fees are due")
    reporters = students(app, client, 3)
    for headers in reporters:
        reported(client, headers, "spam", post_id=post["id"])
    assert feed_ids(client) == []
    response = resolve(client, admin, f"post-{post['id']}", "dismiss")
    assert (response.status_code, response.get_json()) == \
        (200, {"target": f"post-{post['id']}", "resolution": "dismissed", "reports_closed": 3})
    assert feed_ids(client) == [post["id"]] and client.get(f"/posts/{post['id']}").get_json()["is_hidden"] is False
    for headers in reporters:
        [thanks] = inbox(client, headers, "moderation")
        assert thanks["message"] == "Thank you: an admin reviewed the post or comment you reported."
    # The author heard it was hidden; a dismissal adds nothing.
    assert len(inbox(client, ann, "moderation")) == 1
    [(kind, target_id, details)] = audit(app, "RESOLVE_REPORTS")
    assert (kind, target_id, details["resolution"], details["reports"], details["reasons"]) == \
        ("post", str(post["id"]), "dismissed", 3, {"spam": 3})
    again = resolve(client, admin, f"post-{post['id']}", "dismiss")
    assert (again.status_code, again.get_json()) == (404, {"detail": "No open reports on this post or comment"})
    # Closed reports do not stop a new one.
    reported(client, reporters[0], "other", post_id=post["id"])


def test_warn_keeps_it_and_tells_its_author_why(app, client, ann, admin):
    post = create(client, ann, title="Party tonight")
    bob, cid = students(app, client, 2)
    reported(client, bob, "off_topic", post_id=post["id"])
    reported(client, cid, "off_topic", post_id=post["id"])
    assert resolve(client, admin, f"post-{post['id']}", "warn").get_json()["resolution"] == "warned"
    [warning] = inbox(client, ann, "moderation")
    assert warning["message"] == ('An admin reviewed reports on your post "Party tonight" and kept it, with a '
                                  "warning: off topic.")
    assert warning["reference_id"] == post["id"] and feed_ids(client) == [post["id"]]
    assert len(inbox(client, bob, "moderation")) == 1


def test_remove_deletes_the_post_and_tells_its_author_the_reason(app, client, ann, admin):
    post = create(client, ann, title="Phone numbers of the girls hostel")
    reporters = students(app, client, 3)
    for headers in reporters:
        reported(client, headers, "personal_data", post_id=post["id"])
    response = resolve(client, admin, f"post-{post['id']}", "remove", "Personal data of other students")
    assert response.get_json() == {"target": f"post-{post['id']}", "resolution": "removed", "reports_closed": 3}
    assert client.get(f"/posts/{post['id']}", headers=ann).status_code == 404
    notices = inbox(client, ann, "moderation")
    assert [note["message"] for note in notices][0] == \
        'Your post "Phone numbers of the girls hostel" was removed by an admin: Personal data of other students.'
    assert (notices[0]["reference_id"], notices[0]["reference_type"]) == (None, None)
    for headers in reporters:
        [thanks] = inbox(client, headers, "moderation")
        assert "reviewed" in thanks["message"] and thanks["reference_id"] is None
    assert [row[2]["resolution"] for row in audit(app, "RESOLVE_REPORTS")] == ["removed"]
    assert [row[1] for row in audit(app, "DELETE_POST")] == [str(post["id"])]
    with app.app_context():
        assert db.session.scalars(select(Report.id)).all() == []  # gone with their post


def test_remove_leaves_a_placeholder_where_a_comment_has_replies(app, client, ann, admin):
    post = create(client, ann, title="Canteen")
    bob, cid = students(app, client, 2)
    rude = comment(client, bob, post["id"], "Something rude")
    comment(client, ann, post["id"], "Calm down", rude["id"])
    reported(client, cid, "harassment", comment_id=rude["id"])
    reported(client, admin, "harassment", comment_id=rude["id"])  # hidden at once
    assert client.get(f"/posts/{post['id']}").get_json()["comments_count"] == 1
    assert resolve(client, admin, f"comment-{rude['id']}", "remove").get_json()["reports_closed"] == 2
    placeholder, reply = thread(client, post["id"], bob)
    assert (placeholder["content"], placeholder["author"], reply["content"]) == ("[deleted]", None, "Calm down")
    assert client.get(f"/posts/{post['id']}").get_json()["comments_count"] == 1  # counted out once
    messages = [note["message"] for note in inbox(client, bob, "moderation")]
    assert 'Your comment on "Canteen" was removed by an admin: harassment.' in messages
    [closed] = queue(client, admin, "?status=closed")
    assert (closed["target"], closed["content"], closed["author"]) == (f"comment-{rude['id']}", "[deleted]", None)


def test_resolve_refuses_bad_targets_and_non_admins(app, client, ann, admin):
    post = create(client, ann)
    [bob] = students(app, client, 1)
    reported(client, bob, post_id=post["id"])
    for target in ("post", "post-0", "user-1", "post-12345678901", f"post-{post['id']}x"):
        assert resolve(client, admin, target, "dismiss").status_code in (404, 422), target
    assert resolve(client, admin, f"post-{post['id']}", "ban").status_code == 422
    assert resolve(client, admin, "comment-999999", "dismiss").status_code == 404
    assert resolve(client, bob, f"post-{post['id']}", "dismiss").status_code == 403
    assert queue(client, admin)[0]["open_reports"] == 1
