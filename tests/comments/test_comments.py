"""Comments (PLATFORM.md, "Comments") on SQLite and PostgreSQL: threads by parent_id in one post,
placeholders for deleted comments with replies, exact comments_count, authors without personal data,
a constant number of statements per page, and concurrent comments counted exactly."""

from helpers import AuthActions, at_once, signed_in_people, statements_for
from platform_helpers import create, signed_in
from sqlalchemy import func, select

from loopin.core.extensions import db
from loopin.models import AuditLog, Comment, Post


def comment(client, headers, post_id, content="Nice", **extra):
    response = client.post(f"/posts/{post_id}/comments/", json={"content": content, **extra}, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def thread(client, post_id, headers=None, query=""):
    response = client.get(f"/posts/{post_id}/comments/{query}", headers=headers or {})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def comments_count(client, post_id):
    return client.get(f"/posts/{post_id}").get_json()["comments_count"]


def test_comment_shape_threading_and_order(client, ann, post):
    first = comment(client, ann, post["id"], "First!")
    assert set(first) == {"id", "post_id", "author_id", "author", "parent_id", "content", "created_at", "replies",
                          "reactions", "upvotes", "downvotes", "user_vote", "edited_at", "is_hidden"}
    assert (first["author"]["username"], first["replies"], first["reactions"], first["user_vote"]) == \
        ("ann", [], [], None)
    reply = comment(client, ann, post["id"], "A reply", parent_id=first["id"])
    by_query = client.post(f"/posts/{post['id']}/comments?parent_id={first['id']}", json={"content": "Via query"},
                           headers=ann).get_json()
    assert reply["parent_id"] == by_query["parent_id"] == first["id"]
    assert [c["content"] for c in thread(client, post["id"])] == ["First!", "A reply", "Via query"]
    assert [c["content"] for c in thread(client, post["id"], query="?skip=1&limit=1")] == ["A reply"]
    assert comments_count(client, post["id"]) == 3
    body = client.get(f"/posts/{post['id']}/comments/").get_data(as_text=True)
    assert "@test.edu" not in body and "EN-" not in body


def test_comment_refusals(app, client, ann, post):
    other_post = create(client, ann, title="other")
    elsewhere = comment(client, ann, other_post["id"])
    cases = [
        (f"/posts/{post['id']}/comments/", {"content": ""}, ann, 422),
        (f"/posts/{post['id']}/comments/", {"content": "x" * 5001}, ann, 422),
        (f"/posts/{post['id']}/comments/", {"content": "hi"}, {}, 401),
        ("/posts/9999/comments/", {"content": "hi"}, ann, 404),
        (f"/posts/{post['id']}/comments/", {"content": "hi", "parent_id": 9999}, ann, 404),
        (f"/posts/{post['id']}/comments/", {"content": "hi", "parent_id": elsewhere["id"]}, ann, 404),
    ]
    for path, body, headers, status in cases:
        assert client.post(path, json=body, headers=headers).status_code == status, (path, body)
    assert client.post(f"/posts/{post['id']}/comments/", json={"content": "hi", "parent_id": elsewhere["id"]},
                       headers=ann).get_json() == {"detail": "Parent comment not found"}
    assert client.get("/posts/9999/comments/").get_json() == {"detail": "Post not found"}
    for bad in ("limit=0", "limit=501", "skip=-1"):
        assert client.get(f"/posts/{post['id']}/comments/?{bad}").status_code == 422
    assert len(thread(client, post["id"], query="?limit=500")) == 0 and comments_count(client, post["id"]) == 0


def test_delete_leaves_a_placeholder_only_when_there_are_replies(app, client, ann, post):
    admin = signed_in(app, client, "dean@test.edu", "admin")
    bob = signed_in(app, client, "bob@test.edu")
    parent = comment(client, ann, post["id"], "parent")
    comment(client, bob, post["id"], "child", parent_id=parent["id"])
    lonely = comment(client, ann, post["id"], "lonely")
    refused = client.delete(f"/posts/{post['id']}/comments/{parent['id']}", headers=bob)
    assert (refused.status_code, refused.get_json()) == (403, {"detail": "Not authorized to delete this comment"})
    client.post("/reactions/", json={"emoji": "🎉", "target_type": "comment", "target_id": parent["id"]}, headers=bob)
    client.post("/votes/", json={"comment_id": parent["id"], "vote_type": 1}, headers=bob)
    assert client.delete(f"/posts/{post['id']}/comments/{parent['id']}", headers=ann).status_code == 204
    assert client.delete(f"/posts/{post['id']}/comments/{lonely['id']}", headers=ann).status_code == 204
    placeholder, child = thread(client, post["id"], headers=bob)
    assert (placeholder["content"], placeholder["author"], placeholder["author_id"]) == ("[deleted]", None, None)
    assert (placeholder["reactions"], placeholder["upvotes"], placeholder["user_vote"]) == ([], 0, None)
    assert child["parent_id"] == placeholder["id"]
    assert comments_count(client, post["id"]) == 1  # placeholders are not counted
    assert client.delete(f"/posts/{post['id']}/comments/{parent['id']}", headers=ann).get_json() == \
        {"detail": "Comment not found"}
    assert client.delete(f"/posts/{post['id']}/comments/{child['id']}", headers=admin).status_code == 204
    with app.app_context():
        audited = db.session.scalars(select(AuditLog).where(AuditLog.action == "DELETE_COMMENT")).all()
    assert [row.target_id for row in audited] == [str(child["id"])]
    assert client.delete(f"/posts/9999/comments/{child['id']}", headers=admin).status_code == 404


def test_deleting_a_post_with_comments_votes_and_reactions_succeeds(app, client, ann, post):
    bob = signed_in(app, client, "bob@test.edu")
    first = comment(client, bob, post["id"])
    comment(client, ann, post["id"], parent_id=first["id"])
    client.post("/votes/", json={"post_id": post["id"], "vote_type": 1}, headers=bob)
    client.post("/votes/", json={"comment_id": first["id"], "vote_type": -1}, headers=ann)
    client.post("/reactions/", json={"emoji": "👍", "target_type": "post", "target_id": post["id"]}, headers=bob)
    client.post("/reactions/", json={"emoji": "👍", "target_type": "comment", "target_id": first["id"]}, headers=ann)
    assert client.delete(f"/posts/{post['id']}", headers=ann).status_code == 204
    with app.app_context():
        assert db.session.scalar(select(Comment.id)) is None and db.session.get(Post, post["id"]) is None


def test_comment_list_makes_the_same_statements_for_any_length(app, client, ann, post):
    for n in range(12):
        made = comment(client, ann, post["id"], f"c{n}")
        client.post("/votes/", json={"comment_id": made["id"], "vote_type": 1}, headers=ann)
        client.post("/reactions/", json={"emoji": "👍", "target_type": "comment", "target_id": made["id"]},
                    headers=ann)
    counts = {limit: statements_for(app, client, f"/posts/{post['id']}/comments/?limit={limit}", ann)[0]
              for limit in (1, 5, 12)}
    assert len(set(counts.values())) == 1 and counts[12] <= 5, counts


def test_concurrent_comments_are_counted_exactly(app):
    client = app.test_client()
    post = create(client, AuthActions(client, email="ann@test.edu").headers())
    def say(headers):
        return app.test_client().post(f"/posts/{post['id']}/comments/", json={"content": "me too"},
                                         headers=headers).status_code

    assert at_once(say, signed_in_people(client, 20, "c")) == [201] * 20
    assert comments_count(client, post["id"]) == 20


def test_two_deletes_at_once_count_one_comment_fewer_once(app):
    client = app.test_client()
    headers = AuthActions(client, email="ann@test.edu").headers()
    post = create(client, headers)
    made = [comment(client, headers, post["id"], f"c{n}") for n in range(2)]

    def remove(_):
        return app.test_client().delete(f"/posts/{post['id']}/comments/{made[0]['id']}",
                                           headers=headers).status_code

    assert sorted(at_once(remove, range(4))) == [204, 404, 404, 404]
    assert comments_count(client, post["id"]) == 1


def test_replies_nest_at_most_ten_deep_and_deeper_ones_hang_under_the_deepest_allowed(client, ann, post):
    chain = [comment(client, ann, post["id"], "depth 1")]
    for depth in range(2, 13):
        chain.append(comment(client, ann, post["id"], f"depth {depth}", parent_id=chain[-1]["id"]))
    parents = [c["parent_id"] for c in chain]
    ids = [c["id"] for c in chain]
    assert parents[:10] == [None, *ids[:9]]  # ten deep, each under the one before
    # The 11th and 12th replied to the 10th and 11th: both hang under the 9th, at depth 10.
    assert parents[10] == parents[11] == ids[8]


def test_a_post_over_a_reply_chain_of_1100_is_deleted(app, client, ann, post):
    """SQLite runs cascades as nested triggers at most 1,000 deep: deleting a post must not walk its
    threads (a 503 after seconds holding the write lock, before migration 0015). The original let
    replies nest without a limit, so an adopted board may hold such a chain."""
    with app.app_context():
        author = db.session.scalar(select(Post.author_id).where(Post.id == post["id"]))
        db.session.execute(Comment.__table__.insert(), [
            {"id": 10_000 + n, "post_id": post["id"], "author_id": author, "content": f"reply {n}",
             "parent_id": 10_000 + n - 1 if n else None} for n in range(1100)])
        db.session.commit()
    assert comment(client, ann, post["id"], "one more", parent_id=11_099)["parent_id"] == 10_008  # depth 10
    assert client.delete(f"/posts/{post['id']}", headers=ann).status_code == 204
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Comment)) == 0
