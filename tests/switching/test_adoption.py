"""Switching from the FastAPI original: its database, users, passwords and tokens carry over, following
the steps of README.md ("Switching from the FastAPI backend"): stamp 0001, upgrade, start."""

import pytest
import sqlalchemy as sa
from helpers import TEST_SECRET_KEY, both_databases, flask_command, make_app
from original_era import ORIGINAL_USERS, build_original_database, original_token
from schema_helpers import describe_users_table, schema_differences

from loopin.core.extensions import db
from loopin.models import SCHEMA_REVISION

HEAD = SCHEMA_REVISION


def adopt(app):
    """The README's two commands."""
    assert flask_command(app, "db", "stamp", "0001_original_users")[0] == 0
    return flask_command(app, "db", "upgrade")


def rows(app):
    with app.app_context():
        return db.session.execute(sa.text("SELECT id, email, hashed_password, is_active FROM users ORDER BY id")).all()


def version(app):
    with app.app_context():
        return db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))


@pytest.fixture
def adopted(empty_database_url, tmp_path):
    ids = build_original_database(empty_database_url)
    app = make_app(empty_database_url, tmp_path)
    before = rows(app)
    exit_code, output = adopt(app)
    assert exit_code == 0, output
    yield app, ids, before
    with app.app_context():
        db.engine.dispose()


@both_databases
def test_adopted_schema_equals_fresh_install(adopted, tmp_path):
    app, _ids, _before = adopted
    assert version(app) == HEAD
    assert schema_differences(app) == []
    fresh = make_app(f"sqlite:///{tmp_path / 'fresh.db'}", tmp_path / "fresh")
    assert flask_command(fresh, "db", "upgrade")[0] == 0
    adopted_columns, adopted_indexes, adopted_pk = describe_users_table(app)
    fresh_columns, fresh_indexes, fresh_pk = describe_users_table(fresh)
    assert set(adopted_columns) == set(fresh_columns) and adopted_pk == fresh_pk
    assert set(adopted_indexes) >= set(fresh_indexes)  # SQLite cannot list the expression index


@both_databases
def test_adoption_loses_nothing(adopted):
    app, ids, before = adopted
    assert rows(app) == before
    assert {email: id_ for id_, email, *_ in rows(app)} == ids


@both_databases
def test_original_users_log_in_and_hashes_become_argon2id(adopted):
    app, _ids, _before = adopted
    client = app.test_client()
    for email, password, active in ORIGINAL_USERS:
        response = client.post("/auth/login", json={"email": email, "password": password})
        assert response.status_code == (200 if active else 400), (email, response.get_json())
    # Every correct password replaced its bcrypt hash (the inactive user's too: the password was right).
    assert all(hashed.startswith("$argon2id$") for _id, _email, hashed, _active in rows(app))
    # After the upgrade the new hash still accepts the same password, and only it.
    for email, password, active in ORIGINAL_USERS:
        if active:
            assert client.post("/auth/login", json={"email": email, "password": password}).status_code == 200
            assert client.post("/auth/login", json={"email": email, "password": password + "!"}).status_code == 401


@both_databases
def test_wrong_password_for_original_user_is_refused_like_any_other(adopted):
    app, _ids, _before = adopted
    client = app.test_client()
    legacy = client.post("/auth/login", json={"email": "alice@college.edu", "password": "not alice's"})
    unknown = client.post("/auth/login", json={"email": "nobody@college.edu", "password": "not alice's"})
    assert legacy.status_code == unknown.status_code == 401
    assert legacy.get_json() == unknown.get_json() == {"detail": "Incorrect email or password"}
    assert rows(app)[0].hashed_password.startswith("$2")  # a failed login upgrades nothing


@both_databases
def test_original_tokens_stay_valid(adopted):
    app, _ids, _before = adopted
    client = app.test_client()
    for email in ("alice@college.edu", "Bob.Smith@college.edu"):
        response = client.get("/auth/me", headers={"Authorization": f"Bearer {original_token(email, TEST_SECRET_KEY)}"})
        assert response.status_code == 200
        assert response.get_json()["email"] == email
    expired = original_token("alice@college.edu", TEST_SECRET_KEY, minutes=-1)
    assert client.get("/auth/me", headers={"Authorization": f"Bearer {expired}"}).status_code == 401


@both_databases
def test_mixed_case_original_email_logs_in_any_case(adopted):
    app, _ids, _before = adopted
    client = app.test_client()
    for typed in ("Bob.Smith@college.edu", "bob.smith@college.edu", "BOB.SMITH@COLLEGE.EDU"):
        assert client.post("/auth/login", json={"email": typed, "password": "pass123"}).status_code == 200
    response = client.post("/auth/register", json={"email": "bob.smith@college.edu", "password": "another pass"})
    assert response.get_json() == {"detail": "Email already registered"}


CASE_DUPLICATES = [("Eve@college.edu", "eve-password-1", True), ("eve@college.edu", "eve-password-2", True),
                   ("frank@college.edu", "frank-password", True)]


@both_databases
def test_case_duplicates_block_only_the_case_step(empty_database_url, tmp_path, caplog):
    build_original_database(empty_database_url, users=CASE_DUPLICATES)
    app = make_app(empty_database_url, tmp_path)
    before = rows(app)
    exit_code, _output = adopt(app)
    assert exit_code != 0
    # Flask-Migrate logs the migration's message, then exits 1 (a bare `flask db upgrade` prints it).
    assert "eve@college.edu (2 accounts)" in caplog.text and "frank" not in caplog.text
    # The blocked step changed nothing; the accounts' branch (0005, 0010, 0012, 0018, which do not need
    # it) is applied.
    assert version(app) == "0018_department_since"
    assert [row[:2] for row in rows(app)] == [row[:2] for row in before]
    client = app.test_client()
    for email, password, _active in CASE_DUPLICATES:  # each logs in with the email exactly as stored
        response = client.post("/auth/login", json={"email": email, "password": password})
        assert response.status_code == 200, email
        me = client.get("/auth/me", headers={"Authorization": f"Bearer {response.get_json()['access_token']}"})
        assert me.get_json()["email"] == email
    # Resolved as the README says (rename one), the upgrade completes.
    with app.app_context():
        db.session.execute(sa.text("UPDATE users SET email = 'eve.old@college.edu' WHERE email = 'Eve@college.edu'"))
        db.session.commit()
    assert flask_command(app, "db", "upgrade")[0] == 0
    assert version(app) == HEAD
    with app.app_context():
        db.engine.dispose()
