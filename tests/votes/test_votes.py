"""Votes and reactions (PLATFORM.md) on SQLite and PostgreSQL: toggles, the original's 400s, user_vote
and user_reacted filled for the caller, exact counters under concurrency, bounded reactions."""

import pytest
from helpers import AuthActions, at_once, signed_in_people, statements_during, statements_for
from platform_helpers import create, signed_in
from sqlalchemy import func, select

from loopin.core.extensions import db
from loopin.models import Post, Reaction, Vote


def vote(client, headers, **body):
    return client.post("/votes/", json=body, headers=headers)


def react(client, headers, **body):
    return client.post("/reactions/", json=body, headers=headers)


def test_vote_toggles_add_remove_switch(client, ann, post):
    assert vote(client, ann, post_id=post["id"], vote_type=1).get_json() == \
        {"status": "added", "upvotes": 1, "downvotes": 0}
    assert client.get(f"/posts/{post['id']}", headers=ann).get_json()["user_vote"] == 1
    assert client.get("/posts/", headers=ann).get_json()[0]["user_vote"] == 1
    assert client.get("/posts/").get_json()[0]["user_vote"] is None  # anonymous: no vote of theirs
    assert vote(client, ann, post_id=post["id"], vote_type=-1).get_json() == \
        {"status": "switched", "upvotes": 0, "downvotes": 1}
    assert vote(client, ann, post_id=post["id"], vote_type=-1).get_json() == \
        {"status": "removed", "upvotes": 0, "downvotes": 0}
    assert client.get(f"/posts/{post['id']}", headers=ann).get_json()["user_vote"] is None
    assert vote(client, ann, post_id=post["id"], vote_type=1).status_code == 200
    assert client.get("/posts/popular?timeframe=all").get_json()[0]["upvotes"] == 1


@pytest.mark.parametrize("body, status, detail", [
    ({"vote_type": 1}, 400, "Must provide post_id or comment_id"),
    ({"post_id": 1, "comment_id": 1, "vote_type": 1}, 400, "Cannot vote on both post and comment at once"),
    ({"post_id": 1, "vote_type": 2}, 400, "Invalid vote type. Use 1 for upvote, -1 for downvote"),
    ({"post_id": 1, "vote_type": 0}, 400, "Invalid vote type. Use 1 for upvote, -1 for downvote"),
    ({"post_id": 9999, "vote_type": 1}, 404, "Target not found"),
    ({"comment_id": 9999, "vote_type": -1}, 404, "Target not found"),
])
def test_vote_refusals_are_the_originals(app, client, ann, post, body, status, detail):
    body = {key: post["id"] if value == 1 and key in ("post_id", "comment_id") else value
            for key, value in body.items()}
    response = vote(client, ann, **body)
    assert (response.status_code, response.get_json()) == (status, {"detail": detail})
    assert vote(client, {}, post_id=post["id"], vote_type=1).status_code == 401
    assert vote(client, ann, post_id=post["id"], vote_type="up").status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Vote)) == 0


def test_reactions_toggle_for_the_tokens_user_only(app, client, ann, post):
    bob = signed_in(app, client, "bob@test.edu")
    target = {"target_type": "post", "target_id": post["id"]}
    assert react(client, ann, emoji="👍", user_id=999, **target).get_json() == \
        {"status": "added", "emoji": "👍", "count": 1}
    assert react(client, bob, emoji="👍", **target).get_json()["count"] == 2
    assert react(client, bob, emoji="❤️", **target).get_json()["count"] == 1
    assert react(client, ann, emoji="👍", **target).get_json() == {"status": "removed", "emoji": "👍", "count": 1}
    with app.app_context():
        owners = set(db.session.scalars(select(Reaction.user_id)))
    assert 999 not in owners and len(owners) == 1  # only bob's remain; the body's user_id was ignored
    made = client.post(f"/posts/{post['id']}/comments/", json={"content": "hi"}, headers=ann).get_json()
    react(client, bob, emoji="🎉", target_type="comment", target_id=made["id"])
    react(client, ann, emoji="🎉", target_type="comment", target_id=made["id"])
    seen_by_ann = client.get(f"/posts/{post['id']}/comments/", headers=ann).get_json()[0]["reactions"]
    assert seen_by_ann == [{"emoji": "🎉", "count": 2, "user_reacted": True}]
    anonymous = client.get(f"/posts/{post['id']}/comments/").get_json()[0]["reactions"]
    assert anonymous == [{"emoji": "🎉", "count": 2, "user_reacted": False}]


@pytest.mark.parametrize("body, status", [
    ({"emoji": "👍", "target_type": "post", "target_id": 9999}, 404),
    ({"emoji": "👍", "target_type": "comment", "target_id": 9999}, 404),
    ({"emoji": "hello", "target_type": "post"}, 422), ({"emoji": "", "target_type": "post"}, 422),
    ({"emoji": "👍" * 17, "target_type": "post"}, 422), ({"emoji": "👍 ", "target_type": "post"}, 422),
    ({"emoji": "👍", "target_type": "user"}, 422), ({"emoji": "👍"}, 422),
    # Text and invisible characters dressed as one emoji (the probe's cases), each refused.
    *[({"emoji": fake, "target_type": "post"}, 422) for fake in (
        "👍👍👍👍", "👍\u202e", "👍\u200b", "👍\ufeff", "👍\u00ad", "👍" + "\u0301" * 15,
        "👍\U000e0068\U000e0069", "©٣٣٣")],
])
def test_reaction_refusals(client, ann, post, body, status):
    body = {"target_id": post["id"], **body}
    response = react(client, ann, **body)
    assert response.status_code == status, response.get_json()
    if status == 404:
        assert response.get_json() == {"detail": "Target not found"}
    assert react(client, {}, emoji="👍", target_type="post", target_id=post["id"]).status_code == 401


def test_feed_votes_cost_no_statement_of_their_own(app, client, ann):
    for n in range(8):
        made = create(client, ann, title=f"p{n}")
        vote(client, ann, post_id=made["id"], vote_type=1)
    counts = {limit: statements_for(app, client, f"/posts/?limit={limit}", ann)[0] for limit in (1, 8)}
    assert counts == {1: 2, 8: 2}  # the caller's session, then the page with the caller's votes joined in
    assert all(p["user_vote"] == 1 for p in client.get("/posts/", headers=ann).get_json())


def test_fifty_users_upvoting_at_once_count_fifty(app):
    client = app.test_client()
    post = create(client, AuthActions(client, email="ann@test.edu").headers())
    def upvote(headers):
        return app.test_client().post("/votes/", json={"post_id": post["id"], "vote_type": 1},
                                         headers=headers).get_json()["status"]

    assert at_once(upvote, signed_in_people(client, 50, "v")) == ["added"] * 50
    with app.app_context():
        stored = db.session.get(Post, post["id"])
        assert (stored.upvotes, stored.score) == (50, 50)


def test_one_user_voting_ten_times_at_once_leaves_one_vote_or_none(app):
    client = app.test_client()
    headers = AuthActions(client, email="ann@test.edu").headers()
    post = create(client, headers)

    def same_vote(_):
        return app.test_client().post("/votes/", json={"post_id": post["id"], "vote_type": 1}, headers=headers)

    answers = at_once(same_vote, range(10))
    assert all(answer.status_code == 200 for answer in answers)
    with app.app_context():
        votes = db.session.scalar(select(func.count()).select_from(Vote).where(Vote.post_id == post["id"]))
        stored = db.session.get(Post, post["id"])
    assert votes in (0, 1) and (stored.upvotes, stored.downvotes) == (votes, 0)
    assert sorted(answer.get_json()["status"] for answer in answers).count("added") == \
        sorted(answer.get_json()["status"] for answer in answers).count("removed") + votes


FACES = "😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙😚🙂🤗🤩🤔🤨😐😑😶🙄"


def test_one_user_adds_at_most_ten_different_reactions_to_one_target(app, client, ann, post):
    assert [react(client, ann, emoji=face, target_type="post", target_id=post["id"]).status_code
            for face in FACES[:10]] == [200] * 10
    refused = react(client, ann, emoji=FACES[10], target_type="post", target_id=post["id"])
    assert refused.status_code == 400
    assert refused.get_json() == {"detail": "At most 10 different reactions from one user on one post or comment"}
    bob = signed_in(app, client, "bob@test.edu")
    assert react(client, bob, emoji=FACES[10], target_type="post", target_id=post["id"]).status_code == 200
    assert react(client, ann, emoji=FACES[0], target_type="post", target_id=post["id"]).get_json()["status"] == \
        "removed"  # taking one back makes room
    assert react(client, ann, emoji=FACES[10], target_type="post", target_id=post["id"]).get_json()["count"] == 2


def test_a_comment_page_reads_exactly_its_comments_reactions_and_shows_at_most_twenty(app, client, ann, post):
    first = client.post(f"/posts/{post['id']}/comments/", json={"content": "first"}, headers=ann).get_json()
    other_post = create(client, ann)
    between = client.post(f"/posts/{other_post['id']}/comments/", json={"content": "x"}, headers=ann).get_json()
    last = client.post(f"/posts/{post['id']}/comments/", json={"content": "last"}, headers=ann).get_json()
    assert first["id"] < between["id"] < last["id"]  # another post's comment inside the page's id range
    people = [ann] + [signed_in(app, client, f"reader{n}@test.edu") for n in range(3)]
    for n, face in enumerate(FACES):  # 27 emojis from four people (9 each at most), the first three by all
        for person in people if n < 3 else [people[n % 4]]:
            assert react(client, person, emoji=face, target_type="comment", target_id=first["id"]).status_code == 200
    react(client, ann, emoji="🎉", target_type="comment", target_id=between["id"])
    react(client, ann, emoji="🎉", target_type="comment", target_id=last["id"])
    reads, page = statements_during(app, lambda: client.get(f"/posts/{post['id']}/comments/", headers=ann).get_json())
    shown = {c["id"]: c["reactions"] for c in page}
    assert len(shown[first["id"]]) == 20 and [r["count"] for r in shown[first["id"]][:3]] == [4, 4, 4]
    assert [r["emoji"] for r in shown[last["id"]]] == ["🎉"]
    [reactions_read] = [sql for sql in reads if "FROM reactions" in sql]
    assert " IN (" in reactions_read and "BETWEEN" not in reactions_read


@pytest.mark.parametrize("emoji", ["👍", "👍🏽", "❤️", "👨\u200d👩\u200d👧", "🏳️\u200d🌈", "🇮🇳", "#️⃣",
                                   "+1", "heart", "rocket"])
def test_one_emoji_of_any_kind_and_the_originals_names_are_reactions(client, ann, post, emoji):
    answer = react(client, ann, emoji=emoji, target_type="post", target_id=post["id"])
    assert answer.status_code == 200 and answer.get_json()["emoji"] == emoji
