"""Profiles: /auth/me and /users/me with the profile, PUT /users/me and its rules, public profiles
without personal data, PUBLIC_READ, and a privacy walk over every endpoint. Both databases."""

import threading

import pytest
from helpers import AuthActions, bearer, make_app
from sqlalchemy import update

from loopin.core.clock import utcnow
from loopin.core.extensions import db
from loopin.models import User

PROFILE_FIELDS = ["id", "email", "is_active", "created_at", "username", "full_name", "enrollment_number",
                  "department", "role", "bio", "profile_photo_url", "email_verified"]


def put_profile(client, token, **fields):
    return client.put("/users/me", json=fields, headers=bearer(token))


@pytest.fixture
def alice(client):
    """A signed-in student with a full profile: (tokens, AuthActions)."""
    actions = AuthActions(client, email="alice@test.edu")
    tokens = actions.sign_in()
    response = put_profile(client, tokens["access_token"], username="Alice_1", full_name="Alice Liddell",
                           department="CSE", bio="Curiouser", enrollment_number="EN-001",
                           profile_photo_url="https://img.test/alice.png")
    assert response.status_code == 200, response.get_json()
    return tokens, actions


def test_me_has_the_profile_and_the_day_one_fields_first(client, auth):
    token = auth.sign_in()["access_token"]
    for path in ("/auth/me", "/users/me"):
        response = client.get(path, headers=bearer(token))
        assert response.headers["Cache-Control"] == "no-store"  # an email and an enrollment number
        body = response.get_json()
        assert list(body) == PROFILE_FIELDS
        assert body["role"] == "student" and body["created_at"].endswith("+00:00")
        assert body["username"] == body["full_name"] == "test"  # named from the address from the start


def test_profile_update_rules(client, alice):
    tokens, _ = alice
    me = client.get("/users/me", headers=bearer(tokens["access_token"])).get_json()
    assert (me["username"], me["full_name"], me["enrollment_number"]) == ("Alice_1", "Alice Liddell", "EN-001")
    # Absent and null leave fields as they are; "" clears a text field; text is trimmed.
    changed = put_profile(client, tokens["access_token"], full_name=None, bio="", department="  Maths  ").get_json()
    assert (changed["full_name"], changed["bio"], changed["department"]) == ("Alice Liddell", None, "Maths")
    assert changed["username"] == "Alice_1"  # shown as given


@pytest.mark.parametrize("fields", [
    {"username": "ab"}, {"username": "has space"}, {"username": "x" * 31}, {"username": "ümlaut"},
    {"full_name": "x" * 101}, {"department": "d" * 65}, {"bio": "b" * 501}, {"enrollment_number": "e" * 33},
    {"enrollment_number": ""}, {"profile_photo_url": "javascript:alert(1)"}, {"profile_photo_url": "ftp://x/y"},
    {"profile_photo_url": "https://"}, {"role": "admin"}, {"email": "other@test.edu"}, {"is_active": False},
    {"unknown": 1}, {"username": 5}, {"bio": ["a"]},
])
def test_bad_profile_input_is_422_and_changes_nothing(client, alice, fields):
    tokens, _ = alice
    before = client.get("/users/me", headers=bearer(tokens["access_token"])).get_json()
    response = put_profile(client, tokens["access_token"], **fields)
    assert response.status_code == 422 and response.get_json()["detail"][0]["loc"][0] == "body"
    assert client.get("/users/me", headers=bearer(tokens["access_token"])).get_json() == before


@pytest.mark.parametrize("username", ["Stu.Dent", "dash-ed", "ab_-.9", "A" * 30])
def test_usernames_the_frontend_and_the_original_make_are_accepted(client, alice, username):
    tokens, _ = alice
    response = put_profile(client, tokens["access_token"], username=username)
    assert response.status_code == 200 and response.get_json()["username"] == username


def test_usernames_and_enrollment_numbers_are_unique(client, alice):
    bob = AuthActions(client, email="bob@test.edu").sign_in()["access_token"]
    response = put_profile(client, bob, username="ALICE_1")
    assert (response.status_code, response.get_json()) == (400, {"detail": "Username already taken"})
    response = put_profile(client, bob, enrollment_number="EN-001")
    assert (response.status_code, response.get_json()) == (400, {"detail": "Enrollment number already registered"})
    response = put_profile(client, bob, enrollment_number="en-001")  # one student whatever the case
    assert (response.status_code, response.get_json()) == (400, {"detail": "Enrollment number already registered"})
    assert put_profile(client, bob, username="bob").status_code == 200


def test_under_required_verification_only_a_verified_address_claims_an_enrollment_number(app, database_url,
                                                                                        tmp_path):
    """Whoever registered someone else's address must not take that student's number meanwhile."""
    required = make_app(database_url, tmp_path / "required", EMAIL_VERIFICATION="required")
    client = required.test_client()
    token = AuthActions(client, email="squatter@test.edu").sign_in()["access_token"]
    response = put_profile(client, token, enrollment_number="EN-777", bio="still editable")
    assert (response.status_code, response.get_json()) == (403, {"detail": "Email address not verified"})
    assert put_profile(client, token, bio="still editable").status_code == 200
    with required.app_context():
        db.session.execute(update(User).where(User.email == "squatter@test.edu").values(email_verified_at=utcnow()))
        db.session.commit()
    assert put_profile(client, token, enrollment_number="EN-777").status_code == 200
    with required.app_context():
        db.engine.dispose()


def test_enrollment_number_is_set_once_then_only_by_an_admin(app, client, alice):
    tokens, _ = alice
    assert put_profile(client, tokens["access_token"], enrollment_number="EN-001").status_code == 200  # unchanged
    response = put_profile(client, tokens["access_token"], enrollment_number="EN-999")
    assert response.status_code == 403 and "only an admin" in response.get_json()["detail"]
    with app.app_context():
        db.session.execute(update(User).where(User.email == "alice@test.edu").values(role="admin"))
        db.session.commit()
    assert put_profile(client, tokens["access_token"], enrollment_number="EN-999").get_json()["enrollment_number"] \
        == "EN-999"


def test_profile_text_is_stored_as_given_not_rendered(client, alice):
    tokens, _ = alice
    bio = "<script>alert('x')</script> & <b>bold</b>"
    response = put_profile(client, tokens["access_token"], bio=f"  {bio}  ")
    assert response.get_json()["bio"] == bio
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_public_profile_has_no_personal_data(client, alice):
    profile = client.get("/users/ALICE_1")
    assert profile.status_code == 200
    assert list(profile.get_json()) == ["id", "username", "full_name", "department", "role", "bio",
                                        "profile_photo_url", "created_at"]
    assert "alice@test.edu" not in profile.get_data(as_text=True) and "EN-001" not in profile.get_data(as_text=True)
    assert client.get("/users/nobody_here").get_json() == {"detail": "User not found"}


def test_public_read_off_needs_a_token(app, database_url, tmp_path, alice):
    private = make_app(database_url, tmp_path / "private", PUBLIC_READ=False).test_client()
    assert private.get("/users/alice_1").get_json() == {"detail": "Not authenticated"}
    tokens, _ = alice
    assert private.get("/users/alice_1", headers=bearer(tokens["access_token"])).status_code == 200


def test_two_concurrent_updates_taking_one_username(app):
    """The unique index decides: one 200, one 400, never a 500."""
    clients = [app.test_client() for _ in range(2)]
    tokens = [AuthActions(c, email=f"racer{n}@test.edu").sign_in()["access_token"] for n, c in enumerate(clients)]
    barrier, statuses = threading.Barrier(2), []

    def take(client, token):
        barrier.wait()
        statuses.append(put_profile(client, token, username="the_one").status_code)

    threads = [threading.Thread(target=take, args=pair) for pair in zip(clients, tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 400]


def test_privacy_walk_no_other_users_personal_data_in_any_answer(app, client, alice):
    """Every operation in the OpenAPI document, called by another student and by an anonymous caller
    with alice's identifiers in its path: alice's email and enrollment number never appear."""
    tokens, _ = alice
    with app.app_context():
        alice_id = db.session.query(User.id).filter(User.email == "alice@test.edu").scalar()
    bob = AuthActions(client, email="bob@test.edu")
    post = client.post("/posts/", json={"title": "Alice's", "department": "CSE", "is_anonymous": True},
                       headers=bearer(tokens["access_token"])).get_json()
    said = client.post(f"/posts/{post['id']}/comments/", json={"content": "Alice says"},
                       headers=bearer(tokens["access_token"])).get_json()
    values = {"username": "Alice_1", "user_id": str(alice_id), "sid": "0" * 32, "post_id": str(post["id"]),
              "comment_id": str(said["id"]), "notification_id": "1",
              "target": f"post-{post['id']}"}
    spec = client.get("/openapi.json").get_json()
    bodies = []
    for path, item in spec["paths"].items():
        for method in item:
            url = path.format(**values)
            for headers in (bearer(bob.sign_in()["access_token"]), {}):  # afresh: logout may end the last
                response = client.open(url, method=method.upper(), json={}, headers=headers)
                bodies.append(response.get_data(as_text=True))
                bodies.append(client.open(url + "?q=alice&role=student", method=method.upper(),
                                          headers=headers).get_data(as_text=True))
    assert len(bodies) >= 4 * 16
    leaked = [body for body in bodies if "alice@test.edu" in body or "EN-001" in body]
    assert leaked == []
