"""Posts and the feed (PLATFORM.md, "Posts"), on SQLite and PostgreSQL: every rule of the section, the
original's defects that concern posts, and a constant number of statements per page."""

from datetime import datetime, timedelta, timezone

import pytest
from helpers import AuthActions, at_once, make_app, statements_for
from platform_helpers import POST, create, signed_in
from sqlalchemy import func, select

from loopin.core import clock
from loopin.core.extensions import db
from loopin.models import AuditLog, Post, PostTag

ADMIN_EMAIL = "dean@test.edu"
PERSONAL = ("@test.edu", "EN-")  # an email or an enrollment number, anywhere in a body


@pytest.fixture
def student(app, client):
    return signed_in(app, client, "ann@test.edu")


@pytest.fixture
def admin(app, client):
    return signed_in(app, client, ADMIN_EMAIL, "admin")


def titles(response):
    assert response.status_code == 200, response.get_json()
    return [post["title"] for post in response.get_json()]


class FrozenClock:
    """The platform's clock, moved by the test: pins expire without waiting."""

    def __init__(self, monkeypatch):
        self.now = datetime.now(timezone.utc)
        monkeypatch.setattr(clock, "utcnow", lambda: self.now)

    def advance(self, **span):
        self.now += timedelta(**span)


# --- Creating ----------------------------------------------------------------------------------------

def test_create_answers_201_with_the_whole_post_shape(client, student):
    post = create(client, student, tags="Academic", unknown_field="ignored")  # media: tests/media
    assert set(post) == {"id", "title", "content", "department", "type", "tags", "is_anonymous", "is_pinned",
                         "pinned_until", "created_at", "author_id", "author", "upvotes", "downvotes",
                         "comments_count", "share_count", "user_vote", "media_url", "media_public_id", "media_type",
                         "edited_at", "is_hidden"}
    assert (post["type"], post["tags"], post["is_pinned"], post["user_vote"]) == ("discussion", "Academic", False, None)
    assert (post["upvotes"], post["downvotes"], post["comments_count"], post["share_count"]) == (0, 0, 0, 0)
    assert post["author"] == {"id": post["author_id"], "username": "ann", "full_name": "ann",
                              "profile_photo_url": None, "role": "student"}
    assert post["created_at"].endswith("+00:00")
    assert client.get(f"/posts/{post['id']}").get_json() == post


def test_announcements_need_faculty_or_admin(app, client, student):
    refused = client.post("/posts/", json={**POST, "type": "announcement"}, headers=student)
    assert refused.status_code == 403
    assert refused.get_json() == {"detail": "Only faculty and admins can post announcements"}
    faculty = signed_in(app, client, "prof@test.edu", "faculty")
    assert create(client, faculty, type="announcement")["type"] == "announcement"
    assert client.post("/posts/", json=POST).status_code == 401
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Post)) == 1


@pytest.mark.parametrize("fields, field", [
    ({"title": ""}, "title"), ({"title": "x" * 201}, "title"), ({"title": "   "}, "title"),
    ({"content": "x" * 20_001}, "content"), ({"department": ""}, "department"),
    ({"department": "d" * 65}, "department"),
    ({"type": "poll"}, "type"), ({"tags": ",".join(f"t{n}" for n in range(11))}, "tags"),
    ({"tags": "x" * 33}, "tags"), ({"tags": 5}, "tags"),
    # Keys are casefold()ed and "ß" folds to "ss": 32 and 40 characters whose keys overflowed (a 500 on PostgreSQL).
    ({"tags": ["ß" * 32]}, "tags"), ({"department": "ß" * 40}, "department"),
    ({"media_url": "http://cdn.example.edu/a.png"}, "media_url"),
    ({"media_url": "javascript:alert(1)"}, "media_url"), ({"media_type": "audio"}, "media_type"),
    ({"is_anonymous": "maybe"}, "is_anonymous"),
])
def test_bad_posts_are_422_and_change_nothing(app, client, student, fields, field):
    response = client.post("/posts/", json={**POST, **fields}, headers=student)
    assert response.status_code == 422
    assert response.get_json()["detail"][0]["loc"][:2] == ["body", field]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Post)) == 0


def test_tags_are_trimmed_deduplicated_and_auto_tagged_by_whole_words(client, student):
    assert create(client, student, tags=" Event, event ,, Sports ")["tags"] == "Event,Sports"
    assert create(client, student, tags=["Club", "club"])["tags"] == "Club"
    assert create(client, student, title="Chess club meets", tags=["event"])["tags"] == "event"
    assert create(client, student, title="Lab viva on Friday")["tags"] == "Academic"
    assert create(client, student, title="Seats available", content="Registered? Collaborate!")["tags"] is None
    assert create(client, student, title="Hackathon", content="The EXAM is over")["tags"] == "Academic,Event"


# --- Reading: the feed ----------------------------------------------------------------------------------

def test_feed_is_newest_first_and_bounded(client, student):
    for n in range(3):
        create(client, student, title=f"p{n}")
    assert titles(client.get("/posts/")) == ["p2", "p1", "p0"]
    assert titles(client.get("/posts?limit=2")) == ["p2", "p1"]  # no trailing slash: the same, no redirect
    assert titles(client.get("/posts/?skip=2&limit=5")) == ["p0"]
    for bad in ("limit=0", "limit=101", "limit=-1", "skip=-1", "skip=100001", "limit=abc", "type=poll"):
        response = client.get(f"/posts/?{bad}")
        assert response.status_code == 422, bad
    assert client.post("/posts", json=POST, headers=student).status_code == 201  # POST without the slash too


def test_pins_in_force_come_first_and_expired_pins_read_false(client, student, admin, monkeypatch):
    moment = FrozenClock(monkeypatch)
    old = create(client, student, title="old")
    for title in ("mid", "new"):
        create(client, student, title=title)
    pinned = client.put(f"/posts/{old['id']}/pin?duration=24h", headers=admin).get_json()
    assert pinned["is_pinned"] is True
    assert pinned["pinned_until"] == (moment.now + timedelta(hours=24)).isoformat()
    assert titles(client.get("/posts/")) == ["old", "new", "mid"]
    assert titles(client.get("/posts/?skip=1&limit=1")) == ["new"]
    moment.advance(hours=24, seconds=1)
    assert titles(client.get("/posts/")) == ["new", "mid", "old"]
    expired = client.get(f"/posts/{old['id']}").get_json()
    assert (expired["is_pinned"], expired["pinned_until"]) == (False, None)
    forever = client.put(f"/posts/{old['id']}/pin", headers=admin).get_json()  # default: infinite
    assert (forever["is_pinned"], forever["pinned_until"]) == (True, None)
    moment.advance(days=3650)
    assert titles(client.get("/posts/")) == ["old", "new", "mid"]
    unpinned = client.put(f"/posts/{old['id']}/unpin", headers=admin).get_json()
    assert unpinned["is_pinned"] is False
    assert titles(client.get("/posts/")) == ["new", "mid", "old"]


def test_pin_rules_and_audit(app, client, student, admin):
    post = create(client, student)
    assert client.put(f"/posts/{post['id']}/pin", headers=student).get_json() == {"detail": "Requires the role admin"}
    assert client.put(f"/posts/{post['id']}/pin").status_code == 401
    assert client.put(f"/posts/{post['id']}/pin?duration=forever", headers=admin).status_code == 422
    assert client.put("/posts/9999/pin", headers=admin).get_json() == {"detail": "Post not found"}
    assert client.put("/posts/9999/unpin", headers=admin).status_code == 404
    for duration in ("24h", "7d", "30d", "infinite"):
        assert client.put(f"/posts/{post['id']}/pin?duration={duration}", headers=admin).status_code == 200
    assert client.put(f"/posts/{post['id']}/unpin", headers=admin).status_code == 200
    with app.app_context():
        rows = db.session.scalars(select(AuditLog).where(AuditLog.target_type == "post").order_by(AuditLog.id)).all()
    assert [(row.action, row.target_id) for row in rows] == [("PIN_POST", str(post["id"]))] * 4 + \
        [("UNPIN_POST", str(post["id"]))]
    assert rows[0].details == {"duration": "24h"}


def test_filters_department_any_case_whole_tags_type(client, student, app):
    faculty = signed_in(app, client, "prof@test.edu", "faculty")
    create(client, student, title="cse", department="CSE", tags="Event")
    create(client, student, title="ece", department="ECE", tags="Events")
    create(client, faculty, title="notice", department="cse", type="announcement", tags="Exam prep")
    assert titles(client.get("/posts/?department=cse")) == ["notice", "cse"]
    assert titles(client.get("/posts/?department=Cse&type=announcement")) == ["notice"]
    assert titles(client.get("/posts/?department=ALL")) == ["notice", "ece", "cse"]
    assert titles(client.get("/posts/?tags=event")) == ["cse"]  # Event, not Events
    assert titles(client.get("/posts/?tags=EVENTS, exam prep")) == ["notice", "ece"]
    assert titles(client.get("/posts/?tags=Even")) == []
    assert titles(client.get("/posts/?type=question")) == []


def test_anonymous_posts_hide_their_author_except_from_the_author_and_admins(app, client, student, admin):
    post = create(client, student, title="secret", is_anonymous=True)
    assert (post["author"]["username"], post["author_id"]) == ("ann", post["author_id"])  # the author sees it
    other = signed_in(app, client, "bob@test.edu")
    for headers in (other, {}):
        seen = client.get(f"/posts/{post['id']}", headers=headers).get_json()
        assert (seen["author"], seen["author_id"], seen["is_anonymous"]) == (None, None, True)
        assert client.get("/posts/", headers=headers).get_json()[0]["author"] is None
        # Listing ann's posts would unmask the anonymous one: it is left out.
        assert titles(client.get("/posts/?author=ann", headers=headers)) == []
    assert client.get(f"/posts/{post['id']}", headers=admin).get_json()["author"]["username"] == "ann"
    assert titles(client.get("/posts/?author=ANN", headers=admin)) == ["secret"]
    assert titles(client.get("/posts/?author=ann", headers=student)) == ["secret"]


def test_no_personal_data_in_any_post_answer(app, client, student, admin):
    post = create(client, student, title="mine")
    create(client, admin, title="admin's")
    for path in ("/posts/", f"/posts/{post['id']}", "/posts/popular?timeframe=all", "/posts/?author=ann"):
        for headers in ({}, student, admin):
            body = client.get(path, headers=headers).get_data(as_text=True)
            assert not any(marker in body for marker in PERSONAL), (path, body)


def test_public_read_off_needs_a_token(app, database_url, tmp_path, student, client):
    create(client, student)
    private = make_app(database_url, tmp_path / "private", PUBLIC_READ=False).test_client()
    for path in ("/posts/", "/posts/popular", "/posts/1"):
        assert private.get(path).get_json() == {"detail": "Not authenticated"}
    assert private.patch("/posts/1/share").status_code == 401
    assert private.get("/posts/", headers=student).status_code == 200


def test_one_post_404_and_ids_out_of_range(client):
    assert client.get("/posts/12345").get_json() == {"detail": "Post not found"}
    assert client.get("/posts/0").status_code == 422
    assert client.get(f"/posts/{2**31}").status_code == 422
    assert client.get("/posts/abc").status_code == 422


def test_feed_makes_the_same_two_statements_for_any_page_size(app, client, student, admin):
    for n in range(12):
        post = create(client, student, title=f"p{n}", tags="A,B")
        if n % 5 == 0:
            client.put(f"/posts/{post['id']}/pin", headers=admin)
    counts = {limit: statements_for(app, client, f"/posts/?limit={limit}", student)[0] for limit in (1, 5, 12)}
    filtered = {limit: statements_for(app, client, f"/posts/?limit={limit}&tags=a&department=cse", student)[0]
                for limit in (1, 12)}
    popular = {limit: statements_for(app, client, f"/posts/popular?timeframe=all&limit={limit}", None)[0]
               for limit in (1, 12)}
    # The caller's session, then the page: pins and the rest in one statement, authors and the
    # caller's votes joined in.
    assert set(counts.values()) == set(filtered.values()) == {2}
    assert set(popular.values()) == {1}


# --- Popular -------------------------------------------------------------------------------------------

def test_popular_ranks_by_score_within_the_timeframe(app, client, student):
    quiet, shared, older = (create(client, student, title=t) for t in ("quiet", "shared", "older"))
    for _ in range(2):
        client.patch(f"/posts/{shared['id']}/share", headers=student)
    client.patch(f"/posts/{older['id']}/share", headers=student)
    with app.app_context():
        db.session.execute(Post.__table__.update().where(Post.id == older["id"])
                           .values(created_at=clock.utcnow() - timedelta(days=3)))
        db.session.commit()
    assert titles(client.get("/posts/popular")) == ["shared", "quiet"]  # today: the last 24 hours
    assert titles(client.get("/posts/popular?timeframe=week")) == ["shared", "older", "quiet"]
    assert titles(client.get("/posts/popular?timeframe=all&limit=1&skip=1")) == ["older"]
    for bad in ("timeframe=year", "limit=101", "skip=-1"):
        assert client.get(f"/posts/popular?{bad}").status_code == 422


# --- Deleting -----------------------------------------------------------------------------------------

def test_delete_own_post_or_any_as_admin_audited(app, client, student, admin):
    mine, theirs = create(client, student, tags="A"), create(client, student, tags="B")
    other = signed_in(app, client, "bob@test.edu")
    refused = client.delete(f"/posts/{mine['id']}", headers=other)
    assert (refused.status_code, refused.get_json()) == (403, {"detail": "You are not allowed to delete this post"})
    assert client.delete(f"/posts/{mine['id']}").status_code == 401
    own = client.delete(f"/posts/{mine['id']}", headers=student)
    assert (own.status_code, own.data) == (204, b"")
    assert client.delete(f"/posts/{mine['id']}", headers=student).get_json() == {"detail": "Post not found"}
    assert client.delete(f"/posts/{theirs['id']}", headers=admin).status_code == 204
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Post)) == 0
        assert db.session.scalar(select(func.count()).select_from(PostTag)) == 0  # cascaded
        audited = db.session.scalars(select(AuditLog).where(AuditLog.action == "DELETE_POST")).all()
    assert [row.target_id for row in audited] == [str(theirs["id"])]  # an owner's own delete is not an admin act


# --- Sharing ------------------------------------------------------------------------------------------

def test_share_counts_and_404(client, student):
    post = create(client, student)
    assert client.patch(f"/posts/{post['id']}/share").get_json() == {"share_count": 1, "message": "Share counted!"}
    assert client.patch(f"/posts/{post['id']}/share", headers=student).get_json()["share_count"] == 2
    assert client.get(f"/posts/{post['id']}").get_json()["share_count"] == 2
    assert client.patch("/posts/999/share").get_json() == {"detail": "Post not found"}


def test_share_limit_is_per_user_and_per_ip_for_anonymous_callers(limited_app):
    app = limited_app()
    client = app.test_client()
    author = signed_in(app, client, "ann@test.edu")
    post = create(client, author)
    path = f"/posts/{post['id']}/share"
    too_many = {"detail": "Too many shares. Please wait a minute before sharing again."}
    for _ in range(5):
        assert client.patch(path, headers=author).status_code == 200
    refused = client.patch(path, headers=author)
    assert (refused.status_code, refused.get_json()) == (429, too_many) and "Retry-After" in refused.headers
    # Another user, and anonymous callers from two addresses, each have their own five.
    other = signed_in(app, client, "bob@test.edu")
    assert client.patch(path, headers=other).status_code == 200
    for address in ("192.0.2.1", "192.0.2.2"):
        for _ in range(5):
            assert client.patch(path, environ_base={"REMOTE_ADDR": address}).status_code == 200
        assert client.patch(path, environ_base={"REMOTE_ADDR": address}).get_json() == too_many
    assert client.get(f"/posts/{post['id']}").get_json()["share_count"] == 16


def test_share_limit_is_shared_between_processes_through_redis(limited_app, own_redis):
    first = limited_app(RATELIMIT_STORAGE_URI=own_redis.url)
    second = limited_app(RATELIMIT_STORAGE_URI=own_redis.url)
    headers = signed_in(first, first.test_client(), "ann@test.edu")
    post = create(first.test_client(), headers)
    for app in (first, second, first, second, first):
        assert app.test_client().patch(f"/posts/{post['id']}/share", headers=headers).status_code == 200
    assert second.test_client().patch(f"/posts/{post['id']}/share", headers=headers).status_code == 429


def test_concurrent_shares_lose_no_update(app):
    """Counters change by one UPDATE ... SET share_count = share_count + 1: none is lost under load."""
    client = app.test_client()
    post = create(client, AuthActions(client, email="ann@test.edu").headers())
    threads, each = 8, 10

    def share_many(_):
        sharer = app.test_client()
        return [sharer.patch(f"/posts/{post['id']}/share").status_code for _ in range(each)]

    statuses = [status for answers in at_once(share_many, range(threads)) for status in answers]
    assert statuses == [200] * threads * each
    with app.app_context():
        stored = db.session.get(Post, post["id"])
        assert (stored.share_count, stored.score) == (threads * each, 3 * threads * each)
