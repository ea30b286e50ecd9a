"""The indexes themselves: the migration indexes rows that were there before it (on PostgreSQL in
reported batches), `loopin search reindex` builds them again (in another language on PostgreSQL), and
one corpus gives the same answers on SQLite and PostgreSQL."""

import logging

import flask_migrate
import pytest
import sqlalchemy as sa
from conftest import app_for
from helpers import both_databases, flask_command
from platform_helpers import create, signed_in

from loopin.core.extensions import db

BEFORE_SEARCH = "0019_join_department_since"


def titles(client, q):
    response = client.get(f"/search/?q={q}")
    assert response.status_code == 200, response.get_json()
    return [post["title"] for post in response.get_json()]


@both_databases
def test_the_migration_indexes_the_rows_already_there(empty_app):
    with empty_app.app_context():
        flask_migrate.upgrade(revision=BEFORE_SEARCH)
        db.session.execute(sa.text("INSERT INTO users (email, hashed_password, is_active, username, full_name) "
                                   "VALUES ('ann@test.edu', 'x', true, 'ann', 'Ann Lovelace')"))
        for n, title in enumerate(["Exams next week", "Café menu", "Lost keys"], start=1):
            db.session.execute(sa.text(
                "INSERT INTO posts (author_id, title, content, department, department_key, type, is_anonymous) "
                "VALUES (1, :title, 'x', 'CSE', 'cse', 'discussion', false)"), {"title": title})
            db.session.execute(sa.text("INSERT INTO comments (post_id, author_id, content, is_deleted) "
                                       "VALUES (:post, 1, :content, false)"),
                               {"post": n, "content": f"reply on {title}"})
        db.session.commit()
    lines = []  # Loopin's handler keeps Alembic's lines from pytest (propagate off), at the tests' level
    listener = logging.Handler()
    listener.emit = lambda record: lines.append(record.getMessage())
    migration_log = logging.getLogger("alembic.runtime.migration")
    migration_log.addHandler(listener)
    migration_log.setLevel(logging.INFO)
    try:
        exit_code, output = flask_command(empty_app, "db", "upgrade")
    finally:
        migration_log.removeHandler(listener)
        migration_log.setLevel(logging.NOTSET)
    assert exit_code == 0, output
    client = empty_app.test_client()
    assert titles(client, "exam") == ["Exams next week"] and titles(client, "cafe") == ["Café menu"]
    assert [c["post_id"] for c in client.get("/search/?q=keys&type=comments").get_json()] == [3]
    assert [u["username"] for u in client.get("/search/?q=lovelace&type=users").get_json()] == ["ann"]
    if empty_app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        assert "Search index: posts, ids up to 3 of 3" in lines


@both_databases
def test_reindex_builds_every_index_again(empty_app):
    with empty_app.app_context():
        flask_migrate.upgrade()
    client = empty_app.test_client()
    ann = signed_in(empty_app, client, "ann@test.edu")
    create(client, ann, title="Exams next week", content="x")
    exit_code, output = flask_command(empty_app, "search", "reindex")
    assert exit_code == 0, output
    assert "Search index post_search: 1 rows" in output and "Search index user_search: 1 rows" in output
    assert titles(client, "exam") == ["Exams next week"]


@pytest.mark.postgresql
def test_reindex_follows_a_new_search_language(pg_app):
    client = pg_app.test_client()
    ann = signed_in(pg_app, client, "ann@test.edu")
    create(client, ann, title="Exams next week", content="x")
    assert titles(client, "exam ") == ["Exams next week"]  # English stems "exams" to "exam"
    pg_app.config["SEARCH_LANGUAGE"] = "simple"
    try:
        assert flask_command(pg_app, "search", "reindex")[0] == 0
        assert titles(client, "exam ") == [] and titles(client, "exams ") == ["Exams next week"]
    finally:
        pg_app.config["SEARCH_LANGUAGE"] = "english"
        assert flask_command(pg_app, "search", "reindex")[0] == 0
    assert titles(client, "exam ") == ["Exams next week"]


CORPUS = [
    ("Lab exam moved to Friday", "The viva is in room 204", "Academic"),
    ("Hackathon registrations open", "Teams of four; the lab stays open all night", "Event"),
    ("Canteen menu", "Exam week special: café au lait and samosas", None),
    ("Placement drive", "Bring your résumé; the drive starts at nine", "Notice"),
    ("Library hours", "Open until midnight during exams", "Notice"),
    ("Robotics club", "We build robots in the electronics lab", "Club"),
    ("Exam results", "Results of the mid-term exam are out", "Academic"),
    ("Lost and found", "A calculator was left in the exam hall", None),
]
QUERIES = ["exam", "exam ", "lab exam", '"lab exam"', "exam -results", "cafe OR robots", "resume", "hack",
           "exam %23notice", "drive", "open lab"]


@pytest.mark.postgresql
def test_one_corpus_gives_the_same_answers_on_both_databases(sqlite_template, postgres_database, tmp_path):
    import shutil

    shutil.copy(sqlite_template, tmp_path / "same.db")
    answers = {}
    for name, url in (("sqlite", f"sqlite:///{tmp_path / 'same.db'}"), ("postgresql", postgres_database)):
        builder = app_for(url, tmp_path / name)
        app = next(builder)
        client = app.test_client()
        ann = signed_in(app, client, "ann@test.edu")
        for title, content, tags in CORPUS:
            create(client, ann, title=title, content=content, tags=tags)
        answers[name] = {q: titles(client, q.replace(" ", "%20")) for q in QUERIES}
        next(builder, None)  # empties the PostgreSQL database, closes the pool
    # The same matches, and the same best; further down, bm25 and ts_rank_cd weigh a document's length
    # differently, so the order of the weaker matches may differ.
    for q in QUERIES:
        sqlite, postgresql = answers["sqlite"][q], answers["postgresql"][q]
        assert (sorted(sqlite), sqlite[:1]) == (sorted(postgresql), postgresql[:1]), q
    assert answers["sqlite"]["lab exam"][0] == "Lab exam moved to Friday"  # the title hit first
