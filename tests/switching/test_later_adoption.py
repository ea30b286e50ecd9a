"""Taking over a running Loop.in: `loopin db upgrade` on the database the original's later version left
(tests/later_era.py builds it from that version's own schema), checked through Loopin's API on both
databases: nothing lost, counters from the rows, threads, inboxes, sign-ins, the audit log, deletes."""

from datetime import datetime, timedelta, timezone

import jwt as pyjwt
import pytest
import sqlalchemy as sa
from firebase_keys import PROJECT, id_token
from helpers import TEST_SECRET_KEY, bearer, both_databases, flask_command, make_app
from later_era import ADMIN_PASSWORD, BOB_PASSWORD, EXAM, FEST, T0, build_later_database
from schema_helpers import schema_differences

from loopin.core.extensions import db
from loopin.models import SCHEMA_REVISION

TABLES = ("users", "posts", "comments", "votes", "reactions", "notifications", "audit_logs")


def query(app, sql, **parameters):
    with app.app_context():
        return db.session.execute(sa.text(sql), parameters).all()


def later_token(email, user_id, role="student"):
    """A token as the original's later version minted them: HS256, sub the email, id and role claims."""
    expires = datetime.now(timezone.utc) + timedelta(minutes=30)
    return pyjwt.encode({"sub": email, "id": user_id, "role": role, "exp": expires}, TEST_SECRET_KEY, "HS256")


def as_user(email, user_id):
    return bearer(later_token(email, user_id))


ADMIN = ("admin@college.edu", 1)


@pytest.fixture
def later(empty_database_url, tmp_path):
    """The original's later database, not yet upgraded, and an app over it."""
    build_later_database(empty_database_url)
    app = make_app(empty_database_url, tmp_path)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def adopted(later):
    exit_code, output = flask_command(later, "db", "upgrade")
    assert exit_code == 0, output
    later.upgrade_output = output
    return later


@both_databases
def test_the_upgrade_brings_the_later_schema_to_head_keeping_every_id(adopted, tmp_path):
    assert query(adopted, "SELECT version_num FROM alembic_version") == [(SCHEMA_REVISION,)]
    assert schema_differences(adopted) == []
    assert [row.id for row in query(adopted, "SELECT id FROM users ORDER BY id")] == [1, 2, 3, 4, 5, 6, 7]
    assert [row.id for row in query(adopted, "SELECT id FROM posts ORDER BY id")] == [10, 11, 12]
    with adopted.app_context(), db.engine.connect() as connection:
        assert "loopin_original" not in sa.inspect(connection).get_schema_names()
    # The sequences follow the kept ids: what is made next does not collide.
    client = adopted.test_client()
    made = client.post("/posts/", json={"title": "After the switch", "content": "hello", "department": "CSE"},
                       headers=as_user(*ADMIN))
    assert made.status_code in (200, 201) and made.get_json()["id"] == 13
    assert "users: 7 rows -> 7" in adopted.upgrade_output and "Repairs:" in adopted.upgrade_output


@both_databases
def test_every_post_counts_its_rows_not_the_originals_counters(adopted):
    client = adopted.test_client()
    exam = client.get("/posts/10").get_json()
    # 3 up, 1 down (the original said 99 up), 3 comments, 4 shares: score (3 - 1) + 2*3 + 3*4.
    assert (exam["upvotes"], exam["downvotes"], exam["comments_count"], exam["share_count"]) == (3, 1, 3, 4)
    lab = client.get("/posts/12").get_json()
    assert (lab["upvotes"], lab["downvotes"]) == (0, 0)  # the vote with two targets is gone
    assert dict(query(adopted, "SELECT id, score FROM posts"))[10] == 20
    for post in query(adopted, "SELECT * FROM posts"):  # every post's counters are its rows'
        assert (post.upvotes, post.downvotes) == tuple(query(
            adopted, "SELECT count(CASE WHEN vote_type = 1 THEN 1 END), count(CASE WHEN vote_type = -1 THEN 1 END) "
                     "FROM votes WHERE post_id = :id", id=post.id)[0])
        assert post.comments_count == query(adopted, "SELECT count(*) FROM comments WHERE post_id = :id "
                                                     "AND NOT is_deleted", id=post.id)[0][0]
        assert post.score == post.upvotes - post.downvotes + 2 * post.comments_count + 3 * post.share_count
    comments = {c["id"]: c for c in client.get("/posts/10/comments/").get_json()}
    assert (comments[20]["upvotes"], comments[20]["downvotes"]) == (1, 1)
    assert [(r["emoji"], r["count"]) for r in comments[20]["reactions"]] == [("🎉", 1)]
    # The two reactions without a user were dropped; every other is its user's.
    assert query(adopted, "SELECT user_id, emoji FROM reactions WHERE post_id = 10 ORDER BY id") == [
        (2, "+1"), (3, "heart")]


@both_databases
def test_threads_types_tags_media_and_anonymity_carry_over(adopted):
    client = adopted.test_client()
    thread = {c["id"]: c["parent_id"] for c in client.get("/posts/10/comments/").get_json()}
    assert thread == {20: None, 21: 20, 22: 21}
    chess = client.get("/posts/11", headers=as_user("bob@college.edu", 5)).get_json()
    assert chess["is_anonymous"] is True and chess["author"] is None and chess["author_id"] is None
    assert chess["media_url"] is None and chess["media_type"] is None  # a blob: link shows nothing anywhere
    lab = client.get("/posts/12").get_json()
    assert lab["type"] == "discussion" and lab["media_type"] == "image"
    exam = client.get("/posts/10").get_json()
    assert exam["tags"] == "Academic,event,Notice" and exam["type"] == "announcement"
    assert exam["created_at"] == (T0 + timedelta(seconds=10)).replace(tzinfo=timezone.utc).isoformat()
    assert [p["id"] for p in client.get("/posts/?tags=notice").get_json()] == [10]
    assert [p["id"] for p in client.get("/posts/?department=électronique").get_json()] == [12]


@both_databases
def test_usernames_are_made_loopins_and_firebase_accounts_stay_password_less(adopted):
    users = {row.id: row for row in query(adopted, "SELECT id, username, full_name, role, hashed_password, "
                                                   "email_verified_at, enrollment_number FROM users")}
    # Numbers unique whatever their case: the first account keeps one, a later one in another case loses it.
    assert {i: users[i].enrollment_number for i in users if users[i].enrollment_number} == {2: "CSE-001", 4: "ECE-7"}
    assert "enrollment numbers an earlier account holds in another letter case: 1 (left empty)" in \
        adopted.upgrade_output
    assert {i: users[i].username for i in users} == {1: "admin", 2: "asha", 3: "Asha2", 4: "ren1234", 5: "bob",
                                                     6: "prof", 7: "weird"}
    assert users[5].full_name == "bob" and users[3].full_name == "Asha2"
    assert users[5].role == "student" and users[7].role == "student" and users[6].role == "faculty"
    assert {i for i in users if users[i].hashed_password is None} == {2, 3, 4, 6, 7}
    # Google or Firebase verified those addresses; nobody verified the password accounts'.
    assert {i for i in users if users[i].email_verified_at is not None} == {2, 3, 4, 6, 7}
    for renamed in ("user 3: Asha -> Asha2", "user 4: rené1234 -> ren1234", "user 5: (none) -> bob"):
        assert renamed in adopted.upgrade_output
    profile = adopted.test_client().get("/users/ren1234")
    assert profile.status_code == 200 and profile.get_json()["full_name"] == "René"


@both_databases
def test_each_inbox_and_unread_count_is_as_the_reader_left_it(adopted):
    client = adopted.test_client()

    def inbox(email, user_id):
        headers = as_user(email, user_id)
        listed = client.get("/notifications/", headers=headers).get_json()
        unread = client.get("/notifications/unread-count", headers=headers).get_json()
        return [(n["title"], n["is_read"]) for n in listed], unread

    # Asha read the exam announcement, not the fest one; her upvote notification was read.
    assert inbox("asha@college.edu", 2) == ([(FEST, False), (EXAM, True), ("New upvote", True)],
                                            {"count": 1})
    assert inbox("rene@college.edu", 4) == ([(FEST, False), (EXAM, False)], {"count": 2})
    # The sender sees their events, not their own announcements; the repeated upvote came once.
    assert inbox(*ADMIN) == ([("New upvote", False), ("New comment", False)], {"count": 2})
    announcements = query(adopted, "SELECT id, title FROM notifications WHERE user_id IS NULL ORDER BY id")
    assert [row.title for row in announcements] == [EXAM, FEST]  # 12 rows became 2, one per announcement
    assert "12 announcement rows (one per recipient) -> 2 announcements" in adopted.upgrade_output


@both_databases
def test_the_admins_bcrypt_password_signs_in_and_is_upgraded(adopted):
    client = adopted.test_client()
    assert client.post("/auth/login", json={"email": "admin@college.edu", "password": "wrong"}).status_code == 401
    signed_in = client.post("/auth/login", json={"email": "admin@college.edu", "password": ADMIN_PASSWORD})
    assert signed_in.status_code == 200, signed_in.get_json()
    assert query(adopted, "SELECT hashed_password FROM users WHERE id = 1")[0][0].startswith("$argon2id$")
    me = client.get("/auth/me", headers=bearer(signed_in.get_json()["access_token"])).get_json()
    assert (me["id"], me["username"], me["role"]) == (1, "admin", "admin")


@both_databases
def test_an_original_minted_token_is_accepted_and_its_role_never_trusted(adopted):
    client = adopted.test_client()
    me = client.get("/auth/me", headers=as_user("asha@college.edu", 2)).get_json()
    assert (me["id"], me["username"], me["role"]) == (2, "asha", "student")
    forged_role = bearer(later_token("weird@college.edu", 7, role="admin"))
    assert client.get("/admin/users", headers=forged_role).status_code == 403


@both_databases
def test_the_audit_log_lists_the_original_actions(adopted):
    audit = adopted.test_client().get("/admin/audit", headers=as_user(*ADMIN)).get_json()
    assert [(e["action"], e["target_type"], e["target_id"]) for e in audit] == [("DELETE_POST", "post", "50"),
                                                                             ("PIN_POST", "post", "10")]
    assert audit[1]["details"] == {"note": "pinned for exam week"} and audit[0]["details"] is None


@both_databases
def test_adopted_posts_comments_and_accounts_can_be_deleted(adopted):
    client = adopted.test_client()
    admin = as_user(*ADMIN)
    assert client.delete("/posts/10/comments/22", headers=admin).status_code in (200, 204)
    # The post with comments, votes, reactions and notifications pointing at it (the original failed here).
    assert client.delete("/posts/10", headers=admin).status_code in (200, 204)
    assert client.get("/posts/10").status_code == 404
    gone = client.delete("/users/me", json={"password": BOB_PASSWORD}, headers=as_user("bob@college.edu", 5))
    assert gone.status_code in (200, 204), gone.get_json()
    assert query(adopted, "SELECT count(*) FROM users WHERE id = 5") == [(0,)]


@both_databases
def test_a_firebase_account_is_linked_at_its_first_sign_in(later, tmp_path, firebase_keys, firebase_signing_key):
    assert flask_command(later, "db", "upgrade")[0] == 0
    app = make_app(later.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "firebase", FIREBASE_PROJECT_ID=PROJECT,
                   FIREBASE_JWKS_URL=firebase_keys.url)
    try:
        client = app.test_client()
        token = id_token(firebase_signing_key, uid="firebase-uid-asha", email="asha@college.edu", name="Asha R")
        me = client.get("/auth/me", headers=bearer(token)).get_json()
        assert (me["id"], me["username"], me["full_name"]) == (2, "asha", "Asha Rao")
        # Linked as a verified owner, not as a squatted address: the original's token still works.
        assert client.get("/auth/me", headers=as_user("asha@college.edu", 2)).status_code == 200
        assert query(app, "SELECT firebase_uid FROM users WHERE id = 2") == [("firebase-uid-asha",)]
    finally:
        with app.app_context():
            db.engine.dispose()


@both_databases
def test_check_says_what_the_upgrade_will_do_and_changes_nothing(later):
    exit_code, output = flask_command(later, "check")
    assert exit_code == 1
    assert "the original's later version's database (no migration history): 7 users, 3 posts" in output
    assert "reactions with no user: 2 (dropped)" in output
    assert "user 4: rené1234 -> ren1234" in output and "loopin db upgrade" in output
    with later.app_context(), db.engine.connect() as connection:
        assert "alembic_version" not in sa.inspect(connection).get_table_names()
    assert query(later, "SELECT upvotes FROM posts WHERE id = 10") == [(99,)]


@both_databases
def test_adopted_posts_comments_and_people_are_searchable(adopted):
    client = adopted.test_client()
    assert [p["id"] for p in client.get("/search/?q=chess").get_json()] == [11]
    assert [c["id"] for c in client.get("/search/?q=friday&type=comments").get_json()] == [22, 21]
    assert [u["id"] for u in client.get("/search/?q=rene&type=users").get_json()] == [4]  # "René", accent folded
