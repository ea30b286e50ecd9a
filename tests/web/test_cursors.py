"""Keyset pagination (issue 27): every list a stranger can scroll answers a full page with X-Next-Cursor,
and following it reads the whole list once, in order, as skip does, without counting past rows; skip is
bounded to what a person scrolls. On SQLite (whose times have whole seconds: ties broken by id) and
PostgreSQL."""

import pytest
from platform_helpers import create, signed_in
from sqlalchemy import update

from loopin.core.extensions import db
from loopin.models import Post


def every_page(client, path, headers=None, limit=4):
    """The ids of every page, following X-Next-Cursor; and how many pages."""
    ids, pages, cursor = [], 0, None
    while True:
        separator = "&" if "?" in path else "?"
        url = f"{path}{separator}limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        response = client.get(url, headers=headers or {})
        assert response.status_code == 200, response.get_json()
        ids += [item["id"] for item in response.get_json()]
        pages += 1
        cursor = response.headers.get("X-Next-Cursor")
        if cursor is None:
            return ids, pages


def by_skip(client, path, headers=None):
    separator = "&" if "?" in path else "?"
    return [item["id"] for item in client.get(f"{path}{separator}limit=100", headers=headers or {}).get_json()]


def test_the_feed_and_popular_read_whole_by_cursor_pins_first(app, client, ann):
    made = [create(client, ann, title=f"post {n}") for n in range(13)]
    admin = signed_in(app, client, "admin@test.edu", role="admin")
    for post in made[3:5]:
        assert client.put(f"/posts/{post['id']}/pin", headers=admin).status_code == 200
    with app.app_context():  # scores that tie and differ, for popular's order
        for n, post in enumerate(made):
            db.session.execute(update(Post).where(Post.id == post["id"]).values(score=n % 3))
        db.session.commit()
    for path in ("/posts/", "/posts/?department=cse", "/posts/popular?timeframe=all"):
        ids, pages = every_page(client, path, ann)
        assert ids == by_skip(client, path, ann) and sorted(ids) == sorted(p["id"] for p in made)
        assert pages == 4  # 13 posts, 4 a page: the last page is short and says nothing more
    assert every_page(client, "/posts/")[0][:2] == [made[4]["id"], made[3]["id"]]  # pins first, newest first


def test_comments_and_notifications_read_whole_by_cursor(app, client, ann, post):
    bob = signed_in(app, client, "bob@test.edu")
    for n in range(9):
        assert client.post(f"/posts/{post['id']}/comments/", json={"content": f"c{n}"}, headers=bob).status_code == 201
    path = f"/posts/{post['id']}/comments/"
    assert every_page(client, path) == (by_skip(client, path), 3)
    assert every_page(client, "/notifications/", ann) == (by_skip(client, "/notifications/", ann), 3)


@pytest.mark.parametrize("path", ["/posts/", "/posts/popular", "/posts/1/comments/", "/notifications/"])
def test_skip_is_bounded_and_a_made_up_cursor_is_422(client, ann, path):
    too_far = client.get(f"{path}?skip=1001", headers=ann)
    assert too_far.status_code == 422 and "X-Next-Cursor" in too_far.get_json()["detail"][0]["msg"]
    assert client.get(f"{path}?skip=1000", headers=ann).status_code in (200, 404)
    for cursor in ("not-a-cursor", "WzEsMl0", "W10", "eyJhIjoxfQ"):  # junk, [1,2], [], {"a":1}
        answer = client.get(f"{path}?cursor={cursor}", headers=ann)
        assert answer.status_code == 422, (cursor, answer.get_json())
        assert "X-Next-Cursor" in answer.get_json()["detail"][0]["msg"]


def test_browsers_may_read_the_cursor(client, ann):
    for n in range(3):
        create(client, ann, title=f"p{n}")
    answer = client.get("/posts/?limit=2", headers={"Origin": "http://localhost:5173"})
    assert answer.headers["X-Next-Cursor"]
    assert "X-Next-Cursor" in answer.headers["Access-Control-Expose-Headers"]
