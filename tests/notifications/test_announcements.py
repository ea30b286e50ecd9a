"""Announcements (PLATFORM.md): who may send them, who they reach, their read state per reader, the
audience sizes the triggers keep, a cost that does not grow with the audience, polling with ETags
(in-process and through waitress), and retention."""

from datetime import timedelta

import flask_migrate
import pytest
from helpers import both_databases, signed_in_people
from platform_helpers import signed_in
from servers import request, server_environment, waitress
from sqlalchemy import event, func, select, text, update

from loopin.core.clock import utcnow
from loopin.core.extensions import db
from loopin.models import AudienceSize, AuditLog, Notification, User

NOTICE = {"title": "Exam schedule", "message": "Mid-terms start on Monday."}


def announce(client, headers, **body):
    return client.post("/notifications/announcement", json={**NOTICE, **body}, headers=headers)


def unread(client, headers):
    return client.get("/notifications/unread-count", headers=headers).get_json()["count"]


def titles(client, headers):
    return [n["title"] for n in client.get("/notifications/", headers=headers).get_json()]


def with_department(client, headers, department):
    assert client.put("/users/me", json={"department": department}, headers=headers).status_code == 200
    return headers


@pytest.fixture
def prof(app, client):
    return with_department(client, signed_in(app, client, "prof@test.edu", role="faculty"), "CSE")


def test_only_faculty_and_admins_announce(app, client, ann, prof):
    refused = announce(client, ann)
    assert (refused.status_code, refused.get_json()) == (403, {"detail": "Requires the role faculty or admin"})
    assert announce(client, {}).status_code == 401
    admin = signed_in(app, client, "root@test.edu", role="admin")
    assert announce(client, admin).get_json() == {"status": "sent", "count": 2}  # ann and prof
    assert announce(client, prof).get_json() == {"status": "sent", "count": 2}  # ann and root
    with app.app_context():
        audit = db.session.scalars(select(AuditLog).where(AuditLog.action == "ANNOUNCE")).all()
    assert [row.details for row in audit] == [{"department": None, "count": 2}] * 2


def test_query_parameters_as_the_original_took_them(app, client, ann, prof):
    sent = client.post("/notifications/announcement?title=Holiday&message=No%20classes%20Friday", headers=prof)
    assert sent.get_json() == {"status": "sent", "count": 1}
    [note] = client.get("/notifications/", headers=ann).get_json()
    assert (note["type"], note["title"], note["message"], note["reference_type"]) == \
        ("announcement", "Holiday", "No classes Friday", "announcement")
    assert note["reference_id"] == note["id"] and note["sender"]["name"] == "prof"
    missing = client.post("/notifications/announcement?title=Holiday", headers=prof)
    assert missing.status_code == 422 and missing.get_json()["detail"][0]["loc"] == ["query", "message"]
    for body in ({"title": " ", "message": "x"}, {"title": "x" * 201, "message": "x"}, {"title": "x"}):
        assert client.post("/notifications/announcement", json=body, headers=prof).status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Notification)) == 1


def test_a_department_announcement_reaches_that_department_in_any_case(app, client, prof):
    cse = [with_department(client, h, d) for h, d in zip(signed_in_people(client, 3, "c"), ("CSE", "cse", "Cse"))]
    ece = with_department(client, signed_in_people(client, 1, "e")[0], "ECE")
    nobody = signed_in_people(client, 1, "n")[0]  # no department: only announcements to everyone
    assert announce(client, prof, department="cSe").get_json()["count"] == 3  # the sender is not counted
    assert [titles(client, h) for h in cse] == [[NOTICE["title"]]] * 3
    assert titles(client, ece) == titles(client, nobody) == titles(client, prof) == []
    assert announce(client, prof, department="Physics").get_json()["count"] == 0
    assert announce(client, prof, title="All").get_json()["count"] == 5
    assert titles(client, nobody) == ["All"]


def test_announcements_read_state_is_each_readers_own(app, client, ann, prof):
    bob = signed_in(app, client, "bob@test.edu")
    announce(client, prof, title="First")
    announce(client, prof, title="Second")
    post = client.post("/posts/", json={"title": "t", "department": "CSE"}, headers=ann).get_json()
    client.post(f"/posts/{post['id']}/comments/", json={"content": "hi"}, headers=bob)
    assert (unread(client, ann), unread(client, bob)) == (3, 2)
    first = client.get("/notifications/", headers=ann).get_json()[-1]
    assert client.put(f"/notifications/{first['id']}/read", headers=ann).get_json() == {"status": "success"}
    assert client.put(f"/notifications/{first['id']}/read", headers=ann).status_code == 200
    assert (unread(client, ann), unread(client, bob)) == (2, 2)
    assert client.put(f"/notifications/{first['id']}/read", headers=prof).status_code == 404  # its sender's? no
    assert client.put("/notifications/read-all", headers=ann).status_code == 200
    assert (unread(client, ann), unread(client, bob)) == (0, 2)
    assert all(n["is_read"] for n in client.get("/notifications/", headers=ann).get_json())
    announce(client, prof, title="Third")  # after read-all: unread
    assert unread(client, ann) == 1
    assert [(n["title"], n["is_read"]) for n in client.get("/notifications/", headers=ann).get_json()] == \
        [("Third", False), ("New Comment", True), ("Second", True), ("First", True)]


def test_an_account_made_after_an_announcement_does_not_get_it(app, client, ann, prof):
    announce(client, prof)
    with app.app_context():  # ann and prof joined two hours ago, the announcement was sent one hour ago
        db.session.execute(update(User).values(created_at=utcnow() - timedelta(hours=2)))
        db.session.execute(update(Notification).values(created_at=utcnow() - timedelta(hours=1)))
        db.session.commit()
    late = signed_in_people(client, 1, "late")[0]
    assert (unread(client, late), unread(client, ann)) == (0, 1)
    note = client.get("/notifications/", headers=ann).get_json()[0]
    assert client.put(f"/notifications/{note['id']}/read", headers=late).status_code == 404


@pytest.mark.postgresql
def test_postgresqls_unread_function_says_what_the_statement_says(pg_app):
    """The poll runs as a function on PostgreSQL and as plain SQL on SQLite (which PostgreSQL runs as
    well): the same counts."""
    from loopin.notifications.audience import bound_reader, reader_values
    from loopin.notifications.inbox import unread_expression

    def unread_count(user, dialect):  # the count as a statement of its own, in either dialect's form
        return db.session.scalar(select(unread_expression(bound_reader(), dialect)), reader_values(user))

    client = pg_app.test_client()
    prof = with_department(client, signed_in(pg_app, client, "prof@test.edu", role="faculty"), "CSE")
    accounts = signed_in_people(client, 4, "s")  # s3 keeps no department
    people = [with_department(client, h, d) for h, d in zip(accounts, ("CSE", "cse", "ECE"))]
    post = client.post("/posts/", json={"title": "t", "department": "CSE"}, headers=people[0]).get_json()
    for headers in people[1:]:
        client.post(f"/posts/{post['id']}/comments/", json={"content": "hi"}, headers=headers)
    announce(client, prof, department="cse")
    announce(client, prof)
    client.put("/notifications/read-all", headers=people[1])
    announce(client, prof, title="Later")
    latest = client.get("/notifications/", headers=people[2]).get_json()[0]
    client.put(f"/notifications/{latest['id']}/read", headers=people[2])
    with pg_app.app_context():
        users = db.session.scalars(select(User)).all()
        counts = [(unread_count(user, "postgresql"), unread_count(user, "sqlite")) for user in users]
    assert [function for function, _ in counts] == [statement for _, statement in counts]
    assert sorted(function for function, _ in counts) == [0, 1, 1, 2, 5]  # prof, s1, s2, s3, s0


def audience(app):
    """(the triggers' counts, the same counted from the users table), without empty rows."""
    with app.app_context():
        kept = dict(db.session.execute(select(AudienceSize.department_key, AudienceSize.members)
                                       .where(AudienceSize.members != 0)).all())
        key = func.lower(func.coalesce(User.department, ""))
        counted = dict(db.session.execute(select(key, func.count()).where(User.is_active.isnot(False))
                                          .group_by(key)).all())
    return kept, counted


def test_audience_sizes_follow_every_change_to_users(app, client, prof):
    admin = signed_in(app, client, "root@test.edu", role="admin")
    people = [with_department(client, h, "ECE") for h in signed_in_people(client, 3, "p")]
    with_department(client, people[0], "ece")  # letter case only: the same audience
    with_department(client, people[1], "Mech")
    ids = [client.get("/auth/me", headers=h).get_json()["id"] for h in people]
    client.patch(f"/admin/users/{ids[2]}", json={"is_active": False}, headers=admin)
    assert app.test_cli_runner().invoke(args=["users", "deactivate", "p1@test.edu"]).exit_code == 0
    assert app.test_cli_runner().invoke(args=["users", "activate", "p1@test.edu"]).exit_code == 0
    kept, counted = audience(app)
    assert kept == counted == {"": 1, "cse": 1, "ece": 1, "mech": 1}
    with app.app_context():  # whatever changes users: here plain SQL
        db.session.execute(text("UPDATE users SET department = 'Civil' WHERE department = 'Mech'"))
        db.session.execute(text("DELETE FROM users WHERE department = 'ece'"))
        db.session.commit()
    kept, counted = audience(app)
    assert kept == counted == {"": 1, "cse": 1, "civil": 1}
    assert announce(client, prof).get_json()["count"] == 2  # root and the Civil engineer


@both_databases
def test_the_migration_counts_the_users_already_there_and_goes_back_cleanly(empty_app):
    with empty_app.app_context():
        flask_migrate.upgrade(revision="0008_comments_votes_reactions")
        db.session.execute(text(
            "INSERT INTO users (email, hashed_password, is_active, department) VALUES "
            "('a@x.edu', 'h', true, 'CSE'), ('b@x.edu', 'h', NULL, 'cse'), ('c@x.edu', 'h', false, 'CSE'), "
            "('d@x.edu', 'h', true, NULL)"))
        db.session.commit()
        flask_migrate.upgrade()
    assert audience(empty_app) == ({"cse": 2, "": 1}, {"cse": 2, "": 1})  # NULL is_active: the original's active
    with empty_app.app_context():
        flask_migrate.downgrade(revision="0008_comments_votes_reactions")
        db.session.execute(text("INSERT INTO users (email, hashed_password) VALUES ('e@x.edu', 'h')"))  # no trigger
        db.session.commit()
        flask_migrate.upgrade()
    assert audience(empty_app)[0] == {"cse": 2, "": 2}


def test_sending_costs_the_same_statements_for_three_or_thirty_recipients(app, client, prof):
    with app.app_context():
        engine = db.engine

    def statements_to_announce():
        seen = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert announce(client, prof).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    signed_in_people(client, 3, "few")
    few = statements_to_announce()
    signed_in_people(client, 27, "many")
    assert statements_to_announce() == few
    with app.app_context():  # one row per announcement, whatever its audience
        assert db.session.scalar(select(func.count()).select_from(Notification)) == 2


@pytest.mark.parametrize("path", ["/notifications/unread-count", "/notifications/?limit=5"])
def test_polling_gets_304_while_nothing_changed(client, ann, prof, path):
    first = client.get(path, headers=ann)
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "private, no-cache" and "Authorization" in first.headers["Vary"]
    same = client.get(path, headers={**ann, "If-None-Match": etag})
    assert (same.status_code, same.data, same.headers["ETag"]) == (304, b"", etag)
    announce(client, prof)
    changed = client.get(path, headers={**ann, "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 401  # no token, no answer


def test_polling_through_waitress(app, database_url, tmp_path, client, ann, prof):
    announce(client, prof)
    with waitress(server_environment(database_url, tmp_path / "instance"), tmp_path / "waitress.log") as (base, _):
        status, headers, body = request(base, "GET", "/notifications/unread-count", headers=ann)
        assert (status, body) == (200, {"count": 1})
        status, again, body = request(base, "GET", "/notifications/unread-count",
                                      headers={**ann, "If-None-Match": headers["ETag"]})
        assert (status, body, again["ETag"]) == (304, None, headers["ETag"])


def test_purge_deletes_what_is_older_than_the_retention(app, client, ann, prof):
    for title in ("old", "recent"):
        announce(client, prof, title=title)
    note = client.get("/notifications/", headers=ann).get_json()[-1]
    client.put(f"/notifications/{note['id']}/read", headers=ann)  # its read mark goes with it
    with app.app_context():
        db.session.execute(update(Notification).where(Notification.title == "old")
                           .values(created_at=utcnow() - timedelta(days=40)))
        db.session.commit()
    runner = app.test_cli_runner()
    assert "Deleted 0 notification(s) older than 90 days." in runner.invoke(args=["notifications", "purge"]).output
    result = runner.invoke(args=["notifications", "purge", "--older-than", "30d"])
    assert (result.exit_code, result.output.strip()) == (0, "Deleted 1 notification(s) older than 30 days.")
    assert titles(client, ann) == ["recent"]
    for bad in ("0", "-3d", "ninety", "90h"):
        refused = runner.invoke(args=["notifications", "purge", "--older-than", bad])
        assert refused.exit_code == 2 and "is not a number of days such as 90d" in refused.output


def test_moving_into_a_department_does_not_reveal_what_it_was_told_before(app, client, prof):
    """An ECE student who sets their department to CSE must not read CSE's earlier announcements."""
    ece = with_department(client, signed_in_people(client, 1, "e")[0], "ECE")
    announce(client, prof, department="CSE", title="CSE only")
    announce(client, prof, title="Everyone")
    with app.app_context():  # sent earlier (SQLite's clock has whole seconds), to people who had joined
        db.session.execute(update(Notification).values(created_at=utcnow() - timedelta(seconds=30)))
        db.session.execute(update(User).values(created_at=utcnow() - timedelta(minutes=5)))
        db.session.commit()
    with_department(client, ece, "cse")
    assert titles(client, ece) == ["Everyone"]
    assert unread(client, ece) == 1
    announce(client, prof, department="CSE", title="CSE, after the move")
    assert titles(client, ece) == ["CSE, after the move", "Everyone"]
    assert unread(client, ece) == 2
