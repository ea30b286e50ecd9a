"""GET /search/ and GET /posts/?q= on SQLite and PostgreSQL (docs/search.md): every form of the query
language against real indexes, ranking, highlights, filters, privacy, what leaves the index, the 422s,
and a constant number of statements per page."""

import pytest
from helpers import statements_for
from platform_helpers import create, signed_in


@pytest.fixture
def ann(app, client):
    return signed_in(app, client, "ann@test.edu")


@pytest.fixture
def admin(app, client):
    return signed_in(app, client, "dean@test.edu", "admin")


def found(client, path, headers=None):
    response = client.get(path, headers=headers or {})
    assert response.status_code == 200, response.get_json()
    return [hit.get("title") or hit.get("content") or hit.get("username") for hit in response.get_json()]


def search(client, q, headers=None, **params):
    query = "&".join(f"{name}={value}" for name, value in {"q": q.replace(" ", "%20"), **params}.items())
    return found(client, f"/search/?{query}", headers)


# --- The query language, against each database's index ------------------------------------------------

def test_every_word_must_match_in_any_order_and_any_case(client, ann):
    create(client, ann, title="Lab exam moved", content="Room 204")
    create(client, ann, title="Exam results", content="Posted tonight")
    assert search(client, "EXAM lab ") == ["Lab exam moved"]
    assert sorted(search(client, "exam ")) == ["Exam results", "Lab exam moved"]


def test_english_words_are_stemmed_and_accents_folded(client, ann):
    create(client, ann, title="Exams are near", content="Revise")
    create(client, ann, title="Café reopens", content="Near the library")
    assert search(client, "exam ") == ["Exams are near"]
    assert search(client, "cafe ") == ["Café reopens"]
    assert search(client, "CAFÉ ") == ["Café reopens"]


def test_a_phrase_matches_its_words_in_order(client, ann):
    create(client, ann, title="The lab exam", content="x")
    create(client, ann, title="Exam of the lab", content="x")
    assert search(client, '"lab exam"') == ["The lab exam"]


def test_excluded_words_and_or(client, ann):
    create(client, ann, title="Lab exam cancelled", content="x")
    create(client, ann, title="Lab exam on Friday", content="x")
    create(client, ann, title="Lab quiz on Friday", content="x")
    assert search(client, "lab exam -cancelled") == ["Lab exam on Friday"]
    assert sorted(search(client, "lab exam OR quiz friday ")) == ["Lab exam on Friday", "Lab quiz on Friday"]


def test_the_last_word_matches_as_a_prefix_while_typed(client, ann):
    create(client, ann, title="Hackathon registrations", content="x")
    create(client, ann, title="Quiz tomorrow", content="x")
    create(client, ann, title="Photolithography workshop", content="x")
    assert search(client, "hackat") == ["Hackathon registrations"]
    assert search(client, "h") == ["Hackathon registrations"]
    assert search(client, "hackat ") == []  # a whole word now
    assert sorted(search(client, "quiz OR hackat")) == ["Hackathon registrations", "Quiz tomorrow"]
    assert search(client, "registrations hack") == ["Hackathon registrations"]
    # Longer than the beginnings PostgreSQL's index keeps (10): its prefix match instead.
    assert search(client, "photolithogr") == ["Photolithography workshop"]


def test_tag_and_author_inside_q_are_filters(app, client, ann):
    bob = signed_in(app, client, "bob@test.edu")
    create(client, ann, title="Robotics club meets", content="x", tags="Club")
    create(client, bob, title="Robotics lab open", content="x", tags="Lab")
    assert search(client, "robotics %23club") == ["Robotics club meets"]  # %23: '#'
    assert search(client, "robotics @bob") == ["Robotics lab open"]
    assert search(client, "%23club") == ["Robotics club meets"]  # filters alone: newest first


def test_filters_as_parameters(app, client, ann):
    create(client, ann, title="Seminar on chips", content="x", department="ECE")
    create(client, ann, title="Seminar on code", content="x", department="CSE", type="question")
    assert search(client, "seminar", department="ece") == ["Seminar on chips"]
    assert search(client, "seminar", post_type="question") == ["Seminar on code"]
    assert search(client, "seminar", author="ann", department="CSE") == ["Seminar on code"]


# --- Ranking and highlights ----------------------------------------------------------------------------

def test_a_title_hit_outranks_a_newer_content_hit(client, ann):
    create(client, ann, title="Timetable", content="Nothing about it")
    create(client, ann, title="Placement drive", content="Details inside")
    create(client, ann, title="Canteen", content="Closed during the placement drive")
    assert search(client, "placement drive") == ["Placement drive", "Canteen"]


def test_newest_first_among_equal_matches(client, ann):
    for n in range(3):
        create(client, ann, title=f"Notice {n}", content="fees due")
    assert search(client, "fees") == ["Notice 2", "Notice 1", "Notice 0"]


def test_highlights_are_plain_text_with_offsets(client, ann):
    create(client, ann, title="<b>Exam</b> hall", content="Bring your ID to the exam")
    [hit] = client.get("/search/?q=exam ").get_json()
    assert hit["kind"] == "post"
    title, content = hit["highlights"]
    assert (title["field"], title["text"], title["matches"]) == ("title", "<b>Exam</b> hall", [[3, 7]])
    assert [content["text"][a:b] for a, b in content["matches"]] == ["exam"]


# --- GET /posts/?q= ------------------------------------------------------------------------------------

def test_the_feed_filtered_by_q_is_newest_first_without_pins_first(app, client, ann, admin):
    pinned = create(client, ann, title="Old exam notice", content="x")
    assert client.put(f"/posts/{pinned['id']}/pin", headers=admin).status_code == 200
    create(client, ann, title="Unrelated", content="x")
    create(client, ann, title="New exam notice", content="x")
    assert found(client, "/posts/?q=exam notice") == ["New exam notice", "Old exam notice"]
    assert found(client, "/posts/")[0] == "Old exam notice"  # without q the pin still leads


def test_the_filtered_feed_pages_by_cursor(client, ann):
    for n in range(5):
        create(client, ann, title=f"Exam notice {n}", content="x")
    first = client.get("/posts/?q=exam&limit=2")
    cursor = first.headers["X-Next-Cursor"]
    second = found(client, f"/posts/?q=exam&limit=2&cursor={cursor}")
    assert [post["title"] for post in first.get_json()] + second == [f"Exam notice {n}" for n in (4, 3, 2, 1)]


# --- Comments and people -------------------------------------------------------------------------------

def test_comments_are_found_with_their_post(client, ann):
    post = create(client, ann, title="Lab exam", content="x")
    client.post(f"/posts/{post['id']}/comments/", json={"content": "Which room is the viva in?"}, headers=ann)
    [hit] = client.get("/search/?q=viva&type=comments").get_json()
    assert (hit["kind"], hit["post_id"], hit["post_title"], hit["author"]["username"]) == \
        ("comment", post["id"], "Lab exam", "ann")
    assert [hit["content"][a:b] for a, b in hit["highlights"][0]["matches"]] == ["viva"]


def test_people_by_username_and_name_only(app, client, ann):
    client.put("/users/me", json={"full_name": "Ann Lovelace"}, headers=ann)
    hits = client.get("/search/?q=lovel&type=users").get_json()
    assert [(hit["kind"], hit["username"], hit["full_name"]) for hit in hits] == [("user", "ann", "Ann Lovelace")]
    assert set(hits[0]) == {"kind", "id", "username", "full_name", "profile_photo_url", "role", "highlights"}
    assert search(client, "ann", type="users") == ["ann"]
    assert search(client, "%40an", type="users") == ["ann"]  # @an, being typed
    # Never by email address or enrollment number (the profile has EN-ann@test.edu).
    assert search(client, "test.edu", type="users") == [] and search(client, "EN", type="users") == []


def test_a_common_word_is_still_a_name(app, client):
    will = signed_in(app, client, "will@test.edu")
    client.put("/users/me", json={"full_name": "Will Turner"}, headers=will)
    [hit] = client.get("/search/?q=will&type=users").get_json()
    assert [(h["field"], h["matches"]) for h in hit["highlights"]] == [("username", [[0, 4]]), ("full_name", [[0, 4]])]


def test_a_renamed_account_is_found_by_its_new_name_only(client, ann):
    client.put("/users/me", json={"username": "annie_b", "full_name": "Annie B"}, headers=ann)
    assert search(client, "annie", type="users") == ["annie_b"]
    assert search(client, "ann ", type="users") == []


def test_deactivated_people_are_not_listed(app, client, ann, admin):
    user_id = client.get("/auth/me", headers=ann).get_json()["id"]
    assert client.patch(f"/admin/users/{user_id}", json={"is_active": False}, headers=admin).status_code == 200
    assert search(client, "ann", type="users") == []


# --- Privacy and state ---------------------------------------------------------------------------------

def test_an_anonymous_post_is_found_by_its_text_never_by_its_author(app, client, ann, admin):
    create(client, ann, title="Ghost confession about the hostel", content="x", is_anonymous=True)
    bob = signed_in(app, client, "bob@test.edu")
    [hit] = client.get("/search/?q=hostel", headers=bob).get_json()
    assert (hit["author"], hit["author_id"]) == (None, None)
    assert search(client, "ann") == [] and search(client, "hostel @ann", bob) == []
    assert search(client, "hostel", bob, author="ann") == []
    assert search(client, "hostel @ann", ann) == ["Ghost confession about the hostel"]
    assert search(client, "hostel @ann", admin) == ["Ghost confession about the hostel"]


def test_deleted_comments_and_placeholders_are_not_found(client, ann):
    post = create(client, ann, title="Thread", content="x")
    parent = client.post(f"/posts/{post['id']}/comments/", json={"content": "secret plans"}, headers=ann).get_json()
    client.post(f"/posts/{post['id']}/comments/", json={"content": "reply", "parent_id": parent["id"]}, headers=ann)
    lone = client.post(f"/posts/{post['id']}/comments/", json={"content": "secret lone"}, headers=ann).get_json()
    assert len(search(client, "secret", type="comments")) == 2
    for comment in (parent, lone):  # the parent stays as a placeholder; the lone one goes
        assert client.delete(f"/posts/{post['id']}/comments/{comment['id']}", headers=ann).status_code == 204
    assert search(client, "secret", type="comments") == []
    assert search(client, "deleted", type="comments") == []


def test_a_deleted_post_leaves_the_index_with_its_comments(client, ann):
    post = create(client, ann, title="Lost umbrella", content="x")
    client.post(f"/posts/{post['id']}/comments/", json={"content": "umbrella found"}, headers=ann)
    assert client.delete(f"/posts/{post['id']}", headers=ann).status_code == 204
    assert search(client, "umbrella") == [] and search(client, "umbrella", type="comments") == []
    create(client, ann, title="Umbrella again", content="x")  # the index still works after the delete
    assert search(client, "umbrella") == ["Umbrella again"]


def test_search_needs_a_token_when_public_read_is_off(app, client, ann):
    app.config["PUBLIC_READ"] = False
    assert client.get("/search/?q=exam").status_code == 401
    assert client.get("/search/?q=exam", headers=ann).status_code == 200


# --- Refusals --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/search/", "/search/?q=", "/search/?q=the and", "/search/?q=-exam", "/search/?q=exam&skip=190&limit=20",
    "/search/?q=exam&type=all", "/posts/?q=", "/posts/?q=of the",
])
def test_nothing_to_search_for_is_a_422(client, ann, path):
    response = client.get(path)
    assert response.status_code == 422
    assert response.get_json()["detail"][0]["loc"][0] == "query"


# --- Cost ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["posts", "comments", "users"])
def test_one_page_is_a_constant_number_of_statements(app, client, kind):
    people = [signed_in(app, client, f"reader{n}@test.edu") for n in range(3)]
    for n, headers in enumerate(people):
        post = create(client, headers, title=f"Reader {n} exam notes", content="exam")
        client.post(f"/posts/{post['id']}/comments/", json={"content": f"exam question {n}"}, headers=headers)
    one, body = statements_for(app, client, f"/search/?type={kind}&q=exam OR reader&limit=1", people[0])
    many, bodies = statements_for(app, client, f"/search/?type={kind}&q=exam OR reader&limit=20", people[0])
    assert len(body) == 1 and len(bodies) == 3 and one == many
