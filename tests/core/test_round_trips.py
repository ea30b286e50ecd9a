"""Issue 26: a read is one round trip per statement it needs, a write is BEGIN, its statements and
COMMIT, and a connection lost under a request is handled where it is met (there is no pre-ping).

Proof by what crosses the wire: every connection of the app goes through a proxy that reads the
client's messages (tests/pg_wire.py), so BEGIN, ROLLBACK and a pre-ping's `SELECT 1` would be seen.
"""

import pytest
from pg_wire import sent_by
from platform_helpers import POST, create, signed_in
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from loopin.core.extensions import db
from loopin.models import Post

pytestmark = pytest.mark.postgresql
UNAVAILABLE = {"detail": "Database unavailable"}
PROTOCOL = ("BEGIN", "COMMIT", "ROLLBACK", "SELECT 1")


def posts_stored(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Post))


def test_a_read_is_one_round_trip_per_statement_it_needs(wired_app, wire):
    client = wired_app.test_client()
    ann = signed_in(wired_app, client, "ann@test.edu")
    create(client, ann)
    one_statement = {"/auth/me": ann, "/notifications/unread-count": ann, "/posts/?limit=20": {}, "/health": {}}
    for path, headers in one_statement.items():
        sent, response = sent_by(wire, lambda: client.get(path, headers=headers))
        assert response.status_code == 200
        assert len(sent) == 1 and not sent[0].startswith(PROTOCOL), (path, sent)
    # Signed in, the feed needs two: who is calling (and is the session live), then the page with the
    # caller's votes. Still no BEGIN, ROLLBACK or pre-ping around them.
    sent, response = sent_by(wire, lambda: client.get("/posts/?limit=20", headers=ann))
    assert response.status_code == 200 and len(response.get_json()) == 1
    assert len(sent) == 2 and not any(message.startswith(PROTOCOL) for message in sent), sent


def test_a_write_sends_begin_its_statements_and_commit_only(wired_app, wire):
    """The caller's lookup runs in the write's transaction (as before); what follows the COMMIT only reads."""
    client = wired_app.test_client()
    ann = signed_in(wired_app, client, "ann@test.edu")
    sent, response = sent_by(wire, lambda: client.post("/posts/", json=POST, headers=ann))
    assert response.status_code == 201
    assert sent[0] == "BEGIN" and sent.count("BEGIN") == sent.count("COMMIT") == 1, sent
    commit = sent.index("COMMIT")
    assert any(message.startswith("INSERT INTO posts") for message in sent[:commit])
    # The answer is read back after the COMMIT, in autocommit: no second BEGIN, no ROLLBACK.
    assert not any(message.startswith(PROTOCOL) for message in sent[1:commit] + sent[commit + 1:]), sent


def test_a_safe_request_that_writes_gets_a_transaction_after_its_reads(wired_app, wire):
    """GET /auth/sessions purges the caller's dead sessions in a transaction(): the read before it ran
    in autocommit, the purge in BEGIN … COMMIT, so it is all or nothing as before."""
    client = wired_app.test_client()
    ann = signed_in(wired_app, client, "ann@test.edu")
    sent, response = sent_by(wire, lambda: client.get("/auth/sessions", headers=ann))
    assert response.status_code == 200
    assert sent[0].startswith("EXECUTE loopin_caller(") and sent[1] == "BEGIN" and sent[-1] == "COMMIT", sent
    assert "ROLLBACK" not in sent and sent.count("BEGIN") == 1


def test_a_read_that_meets_a_lost_connection_is_answered_on_a_new_one(wired_app, wire, caplog):
    client = wired_app.test_client()
    ann = signed_in(wired_app, client, "ann@test.edu")
    create(client, ann)
    client.get("/posts/", headers=ann)
    wire.drop_next("FROM posts")  # the page's statement: after the caller's lookup succeeded
    response = client.get("/posts/", headers=ann)
    assert response.status_code == 200 and len(response.get_json()) == 1
    assert len(wire.dropped) == 1
    # The statement ran once more on its own (reads in autocommit stand alone), not the whole request.
    assert "database connection lost under a read of GET /posts/; reading again" in caplog.text
    assert "running it again" not in caplog.text


def test_a_write_whose_first_statement_met_a_dead_connection_runs_once(wired_app, wire):
    """Nothing had reached the database (the BEGIN itself was lost), so running it again cannot apply
    it twice: the student gets 201, not an error after an idle pool's database restarted."""
    client = wired_app.test_client()
    ann = signed_in(wired_app, client, "ann@test.edu")
    wire.drop_next("BEGIN")
    response = client.post("/posts/", json=POST, headers=ann)
    assert response.status_code == 201 and len(wire.dropped) == 1
    assert posts_stored(wired_app) == 1


@pytest.mark.parametrize("lost_at", ["INSERT INTO posts", "COMMIT"])
def test_a_write_lost_after_reaching_the_database_is_503_with_retry_after_never_applied_twice(
        wired_app, wire, lost_at):
    client = wired_app.test_client()
    ann = signed_in(wired_app, client, "ann@test.edu")
    wire.drop_next(lost_at)
    response = client.post("/posts/", json=POST, headers=ann)
    assert (response.status_code, response.get_json()) == (503, UNAVAILABLE)
    assert response.headers["Retry-After"] == "2"
    assert wire.dropped and wire.dropped[0].startswith(lost_at)
    # The server never saw a COMMIT: it rolled the transaction back when the connection went.
    assert posts_stored(wired_app) == 0
    assert client.post("/posts/", json=POST, headers=ann).status_code == 201
    assert posts_stored(wired_app) == 1


def test_idle_connections_killed_by_the_server_cost_no_error(pg_app, postgres_server):
    """pg_terminate_backend on every pooled connection (as a restart or an operator would): the next
    read and the next write both succeed, each on a new connection."""
    client = pg_app.test_client()
    ann = signed_in(pg_app, client, "ann@test.edu")
    create(client, ann)
    with pg_app.app_context():
        database = make_url(str(db.engine.url)).database
    killed = postgres_server.execute(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'loopin' "
        "AND datname = %s", (database,))[0]
    assert killed >= 1
    assert client.get("/auth/me", headers=ann).status_code == 200
    postgres_server.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'loopin' "
        "AND datname = %s", (database,))
    assert client.post("/posts/", json=POST, headers=ann).status_code == 201
    with pg_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Post)) == 2


def test_a_committed_write_whose_answer_is_read_on_a_lost_connection_still_answers_201(wired_app, wire):
    """After its COMMIT a write only reads its answer back, in autocommit: that statement runs once more
    on a new connection. An error here would tell the student a post failed that was made."""
    client = wired_app.test_client()
    ann = signed_in(wired_app, client, "ann@test.edu")
    wire.drop_next("FROM posts LEFT OUTER JOIN users")
    response = client.post("/posts/", json=POST, headers=ann)
    assert response.status_code == 201 and response.get_json()["title"] == POST["title"]
    assert len(wire.dropped) == 1 and posts_stored(wired_app) == 1


def test_a_safe_request_whose_transaction_meets_a_lost_connection_runs_again(wired_app, wire, caplog):
    """GET /auth/sessions commits a purge: its connection lost at BEGIN, after the caller's lookup had
    reached the database, the whole request runs once more (a safe method: it cannot apply twice)."""
    client = wired_app.test_client()
    ann = signed_in(wired_app, client, "ann@test.edu")
    wire.drop_next("BEGIN")
    response = client.get("/auth/sessions", headers=ann)
    assert response.status_code == 200 and len(response.get_json()["sessions"]) == 1
    assert len(wire.dropped) == 1
    assert "database connection lost under GET /auth/sessions; running it again" in caplog.text


@pytest.mark.parametrize(("path", "lost_at"), [("/auth/me", "loopin_caller"), ("/health", "alembic_version")])
def test_a_lookup_read_outside_the_session_that_meets_a_lost_connection_is_answered(
        wired_app, wire, path, lost_at):
    """The caller's lookup and the readiness probe read on a connection of their own, not through the
    Session's statement-level retry: a dead one costs the reader nothing either (the request, which
    only reads, runs once more; the probe reads once more) and each answers once, on a new connection."""
    client = wired_app.test_client()
    ann = signed_in(wired_app, client, "ann@test.edu")
    client.get(path, headers=ann)
    wire.drop_next(lost_at)
    response = client.get(path, headers=ann)
    assert response.status_code == 200 and len(wire.dropped) == 1
    assert client.get(path, headers=ann).status_code == 200


def test_statements_of_reads_take_sqlalchemys_path_without_events(pg_app):
    """No listener on the engine's statements: SQLAlchemy then runs every statement of every request
    without dispatching events (what a write needs to know, whether its statements reached the
    database, is listened for on that write's own connection: the 503 tests above)."""
    client = pg_app.test_client()
    ann = signed_in(pg_app, client, "ann@test.edu")
    assert client.post("/posts/", json=POST, headers=ann).status_code == 201
    assert client.get("/auth/me", headers=ann).status_code == 200
    with pg_app.app_context():
        assert not db.engine._has_events  # SQLAlchemy's own switch between the two paths
