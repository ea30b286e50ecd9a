"""Reports and hiding on flags (issue 29, "Report", "Hide on flags"), on SQLite and PostgreSQL: what a
report takes and refuses, the limit, and a target hidden everywhere at once (feed, one post, its
comments, search, popular, news, counters) from everyone but its author and admins."""

import pytest
from helpers import at_once
from moderation_helpers import (
    comment,
    feed_ids,
    inbox,
    popular_ids,
    report,
    reported,
    search_ids,
    students,
    thread,
    verify,
)
from platform_helpers import create, signed_in
from sqlalchemy import func, select

from loopin.core.extensions import db
from loopin.models import Notification, Report


@pytest.fixture
def ann(app, client):
    return signed_in(app, client, "ann@test.edu")


@pytest.fixture
def admin(app, client):
    return signed_in(app, client, "dean@test.edu", "admin")


def report_rows(app):
    with app.app_context():
        return db.session.execute(select(Report.reporter_id, Report.post_id, Report.comment_id, Report.reason,
                                         Report.resolved_at).order_by(Report.id)).all()


def test_a_report_is_made_once_and_tells_nothing_of_others(app, client, ann):
    post = create(client, ann, title="Selling notes")
    bob, cid = students(app, client, 2)
    first = reported(client, bob, "spam", post_id=post["id"], details="  Third time this week  ")
    assert set(first) == {"id", "post_id", "comment_id", "reason", "details", "status", "created_at"}
    assert (first["post_id"], first["comment_id"], first["reason"], first["details"], first["status"]) == \
        (post["id"], None, "spam", "Third time this week", "open")
    again = report(client, bob, "harassment", post_id=post["id"])
    assert (again.status_code, again.get_json()) == \
        (409, {"detail": "You have already reported this post; an admin will review it"})
    # Another reporter's answer is its own report only: nothing says bob reported too.
    other = reported(client, cid, "other", post_id=post["id"])
    assert other["id"] != first["id"] and "count" not in str(other) and set(other) == set(first)
    assert [(row.post_id, row.reason) for row in report_rows(app)] == [(post["id"], "spam"), (post["id"], "other")]


def test_what_a_report_refuses(app, client, ann):
    post = create(client, ann)
    said = comment(client, ann, post["id"], "My own words")
    [bob] = students(app, client, 1)
    cases = [
        (ann, {"post_id": post["id"], "reason": "spam"}, 422, "You cannot report your own post"),
        (ann, {"comment_id": said["id"], "reason": "spam"}, 422, "You cannot report your own comment"),
        (bob, {"post_id": 999_999, "reason": "spam"}, 404, "Post not found"),
        (bob, {"comment_id": 999_999, "reason": "spam"}, 404, "Comment not found"),
    ]
    for headers, body, status, detail in cases:
        response = client.post("/reports/", json=body, headers=headers)
        assert (response.status_code, response.get_json()) == (status, {"detail": detail})
    for body in ({"reason": "spam"}, {"post_id": post["id"], "comment_id": said["id"], "reason": "spam"},
                 {"post_id": post["id"], "reason": "rude"}, {"post_id": post["id"]},
                 {"post_id": post["id"], "reason": "spam", "details": "x" * 1001},
                 {"post_id": post["id"], "reason": "spam", "author_id": 1}, {"post_id": 0, "reason": "spam"}):
        response = client.post("/reports/", json=body, headers=bob)
        assert response.status_code == 422 and response.get_json()["detail"], body
    assert client.post("/reports/", json={"post_id": post["id"], "reason": "spam"}).status_code == 401
    assert report_rows(app) == []


def test_a_deleted_placeholder_cannot_be_reported(app, client, ann):
    post = create(client, ann)
    [bob] = students(app, client, 1)
    parent = comment(client, bob, post["id"], "Will be deleted")
    comment(client, ann, post["id"], "A reply keeps it as a placeholder", parent["id"])
    assert client.delete(f"/posts/{post['id']}/comments/{parent['id']}", headers=bob).status_code == 204
    response = report(client, ann, comment_id=parent["id"])
    assert (response.status_code, response.get_json()) == (404, {"detail": "Comment not found"})


def test_reports_are_limited_per_user_per_hour(limited_app):
    app = limited_app(RATELIMIT_REPORTS_PER_USER="2 per hour")
    client = app.test_client()
    author = signed_in(app, client, "ann@test.edu")
    posts = [create(client, author, title=f"Post {n}") for n in range(4)]
    [bob, cid] = students(app, client, 2)
    reported(client, bob, post_id=posts[0]["id"])
    assert report(client, bob, post_id=posts[0]["id"]).status_code == 409  # refused: not counted
    assert report(client, bob, post_id=posts[-1]["id"] + 10_000).status_code == 404  # not counted
    reported(client, bob, post_id=posts[1]["id"])
    refused = report(client, bob, post_id=posts[2]["id"])
    assert (refused.status_code, refused.get_json()) == \
        (429, {"detail": "Too many reports. Please wait before reporting again."})
    assert "Retry-After" in refused.headers
    reported(client, cid, post_id=posts[2]["id"])  # another user has their own budget
    assert len(report_rows(app)) == 3


def test_three_reports_hide_a_post_everywhere_but_from_its_author_and_admins(app, client, ann, admin):
    hidden = create(client, ann, title="Exam answers leaked", content="exam answers here", type="discussion")
    shown = create(client, ann, title="Exam timetable", content="exam on monday")
    reporters = students(app, client, 4)
    for headers in reporters[:2]:
        reported(client, headers, "harassment", post_id=hidden["id"])
    assert hidden["id"] in feed_ids(client) and inbox(client, ann, "moderation") == []
    reported(client, reporters[2], "spam", post_id=hidden["id"])
    everyone_else = [None, reporters[0], reporters[3]]
    for headers in everyone_else:
        assert feed_ids(client, headers) == [shown["id"]]
        assert popular_ids(client, headers) == [shown["id"]]
        assert search_ids(client, "exam", headers) == [shown["id"]]
        assert feed_ids(client, headers, "?q=exam") == [shown["id"]]
        assert client.get(f"/posts/{hidden['id']}", headers=headers or {}).status_code == 404
        assert client.get(f"/posts/{hidden['id']}/comments/", headers=headers or {}).status_code == 404
    # Nobody but them can comment on it or report it any more.
    refused = client.post(f"/posts/{hidden['id']}/comments/", json={"content": "hi"}, headers=reporters[3])
    assert (refused.status_code, refused.get_json()) == (404, {"detail": "Post not found"})
    assert report(client, reporters[3], post_id=hidden["id"]).status_code == 404
    for headers in (ann, admin):
        assert feed_ids(client, headers) == [shown["id"], hidden["id"]]
        mine = client.get(f"/posts/{hidden['id']}", headers=headers).get_json()
        assert mine["is_hidden"] is True and mine["title"] == "Exam answers leaked"
        assert sorted(search_ids(client, "exam", headers)) == [hidden["id"], shown["id"]]
        assert thread(client, hidden["id"], headers) == []
    assert client.get(f"/posts/{shown['id']}", headers=ann).get_json()["is_hidden"] is False
    [notice] = inbox(client, ann, "moderation")
    assert notice["message"] == ('Your post "Exam answers leaked" was hidden after reports; an admin will review '
                                 "it. Until then only you and admins see it.")
    assert (notice["reference_type"], notice["reference_id"], notice["sender"]) == ("post", hidden["id"], None)
    # A fourth report finds it hidden already: no second notice.
    reported(client, admin, post_id=hidden["id"])
    assert len(inbox(client, ann, "moderation")) == 1


def test_a_hidden_announcement_leaves_the_news_too(app, client, admin):
    teacher = signed_in(app, client, "prof@test.edu", "faculty")
    announced = create(client, teacher, title="Holiday on Friday", type="announcement")
    assert [item["id"] for item in client.get("/news/").get_json()] == [announced["id"]]
    reported(client, admin, "other", post_id=announced["id"])  # an admin's report hides at once
    assert client.get("/news/").get_json() == [] and feed_ids(client) == []
    assert [item["id"] for item in client.get("/posts/", headers=teacher).get_json()] == [announced["id"]]


def test_a_hidden_comment_is_counted_out_and_shown_as_a_placeholder_where_replied_to(app, client, ann, admin):
    post = create(client, ann, title="Hostel food")
    bob, *others = students(app, client, 4)
    rude = comment(client, bob, post["id"], "Rude words about the cook")
    lonely = comment(client, bob, post["id"], "Another rude line")
    reply = comment(client, ann, post["id"], "Please be kind", rude["id"])
    assert client.get(f"/posts/{post['id']}").get_json()["comments_count"] == 3
    for headers in others[:3]:
        reported(client, headers, "harassment", comment_id=rude["id"])
    reported(client, admin, "harassment", comment_id=lonely["id"])
    for headers in (None, ann, others[0]):
        placeholder, answer = thread(client, post["id"], headers)
        assert (placeholder["id"], placeholder["content"], placeholder["author"], placeholder["author_id"],
                placeholder["is_hidden"]) == (rude["id"], "[hidden]", None, None, True)
        assert answer["id"] == reply["id"] and answer["parent_id"] == rude["id"]
    for headers in (bob, admin):
        assert [(c["id"], c["content"], c["is_hidden"]) for c in thread(client, post["id"], headers)] == [
            (rude["id"], "Rude words about the cook", True), (lonely["id"], "Another rude line", True),
            (reply["id"], "Please be kind", False)]
    assert client.get(f"/posts/{post['id']}").get_json()["comments_count"] == 1
    assert search_ids(client, "rude", others[0], "comments") == []
    assert sorted(search_ids(client, "rude", bob, "comments")) == sorted([rude["id"], lonely["id"]])
    # Deleting a hidden comment does not count it out twice.
    assert client.delete(f"/posts/{post['id']}/comments/{lonely['id']}", headers=bob).status_code == 204
    assert client.get(f"/posts/{post['id']}").get_json()["comments_count"] == 1
    notices = inbox(client, bob, "moderation")
    assert [note["message"] for note in notices] == [
        'Your comment on "Hostel food" was hidden after reports; an admin will review it. Until then only you '
        "and admins see it."] * 2


def test_only_verified_reporters_count_while_addresses_can_be_verified(app, client, ann):
    app.config["EMAIL_VERIFICATION"] = "optional"
    post = create(client, ann)
    reporters = students(app, client, 4)
    for headers in reporters[:3]:
        reported(client, headers, post_id=post["id"])
    assert post["id"] in feed_ids(client)  # three reports, none from a verified address
    verify(app, "student0@test.edu", "student1@test.edu", "student3@test.edu")
    reported(client, reporters[3], post_id=post["id"])  # the third verified reporter
    assert feed_ids(client) == []


def test_three_reports_at_once_hide_exactly_once(app, client, ann):
    post = create(client, ann, title="Rumour")
    reporters = students(app, client, 3)
    statuses = at_once(lambda headers: app.test_client().post("/reports/", json={"post_id": post["id"],
                                                                                   "reason": "spam"},
                                                              headers=headers).status_code, reporters)
    assert statuses == [201, 201, 201]
    assert feed_ids(client) == []
    with app.app_context():
        notices = db.session.scalar(select(func.count()).select_from(Notification)
                                    .where(Notification.type == "moderation"))
    assert notices == 1


def test_reports_go_with_their_target_and_with_the_reporters_account(app, client, ann):
    post = create(client, ann)
    said = comment(client, ann, post["id"], "A comment")
    bob = signed_in(app, client, "bob@test.edu")
    [cid] = students(app, client, 1)
    reported(client, bob, post_id=post["id"])
    reported(client, cid, comment_id=said["id"])
    reported(client, cid, post_id=post["id"])
    assert client.delete("/users/me", json={"password": "correct horse battery"}, headers=bob).status_code == 204
    assert [(row.post_id, row.comment_id) for row in report_rows(app)] == [(None, said["id"]), (post["id"], None)]
    assert client.delete(f"/posts/{post['id']}", headers=ann).status_code == 204
    assert report_rows(app) == []


def test_the_threshold_is_a_setting(app, client, ann):
    app.config["REPORT_HIDE_THRESHOLD"] = 1
    post = create(client, ann)
    [bob] = students(app, client, 1)
    reported(client, bob, "other", post_id=post["id"])
    assert feed_ids(client) == [] and feed_ids(client, ann) == [post["id"]]


def test_an_unverified_address_cannot_report_while_verification_is_required(app, client, ann):
    post = create(client, ann)
    [bob] = students(app, client, 1)
    app.config["EMAIL_VERIFICATION"] = "required"
    answer = report(client, bob, post_id=post["id"])
    assert (answer.status_code, answer.get_json()) == (403, {"detail": "Email address not verified"})
    assert report_rows(app) == []
    verify(app, "student0@test.edu")
    assert report(client, bob, post_id=post["id"]).status_code == 201
