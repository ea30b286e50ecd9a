"""The upgrade of the original's later database when it is awkward: rows SQLite let point at nothing,
refusals that change nothing, a failure halfway (all or nothing), the SQLite backup, a PostgreSQL whose
zone is not UTC."""

import os
import sqlite3
import stat
import sys

import pytest
import sqlalchemy as sa
from helpers import both_databases, flask_command, make_app
from later_era import T0, build_later_database
from test_later_adoption import TABLES, as_user, query

import loopin.switching.transfer
from loopin.core.extensions import db


@pytest.fixture
def later_app(empty_database_url, tmp_path):
    apps = []

    def build(**fill):
        build_later_database(empty_database_url, **fill)
        apps.append(make_app(empty_database_url, tmp_path))
        return apps[-1]

    yield build
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def tables(app):
    with app.app_context(), db.engine.connect() as connection:
        return set(sa.inspect(connection).get_table_names())


def original_state(app):
    """Every table of the original's with its rows: what "nothing changed" compares."""
    return {table: sorted(query(app, f"SELECT * FROM {table}"), key=lambda row: row[0]) for table in TABLES}


@pytest.mark.parametrize("empty_database_url", ["sqlite"], indirect=True)
def test_rows_pointing_at_nothing_are_repaired_by_rule_and_counted(later_app):
    app = later_app(orphans=True)
    exit_code, output = flask_command(app, "db", "upgrade")
    assert exit_code == 0, output
    for line in ("votes pointing at nothing: 3 (dropped)", "reactions pointing at nothing: 1 (dropped)",
                 "comments on posts that no longer exist: 1 (dropped)",
                 "replies whose parent comment no longer exists: 1 (parent restored as a [deleted] placeholder)",
                 "notifications about posts or for users that no longer exist: 1 (dropped)"):
        assert line in output
    # The reply keeps its place under a placeholder of the parent it lost, as Loopin shows deleted comments.
    thread = {c["id"]: c for c in app.test_client().get("/posts/11/comments/").get_json()}
    assert thread[24]["parent_id"] == 999 and thread[999]["content"] == "[deleted]" and thread[999]["author"] is None
    assert query(app, "SELECT count(*) FROM comments WHERE id = 25") == [(0,)]
    assert query(app, "PRAGMA foreign_key_check") == []
    # Deleting what the original could not: a post with comments, votes, reactions under it.
    assert app.test_client().delete("/posts/11", headers=as_user("admin@college.edu", 1)).status_code in (200, 204)
    assert query(app, "SELECT count(*) FROM comments WHERE post_id = 11") == [(0,)]


@pytest.mark.parametrize("empty_database_url", ["sqlite"], indirect=True)
def test_sqlite_upgrades_only_after_its_own_backup(later_app):
    app = later_app()
    before = original_state(app)
    exit_code, output = flask_command(app, "db", "upgrade")
    assert exit_code == 0, output
    backup = os.path.join(app.instance_path, "empty-before-upgrade.db")
    assert f"Backup of the original's database: {backup}" in output
    with sqlite3.connect(backup) as connection:  # the original's database, as it was
        for table, rows in before.items():
            assert sorted(connection.execute(f"SELECT * FROM {table}").fetchall(), key=lambda row: row[0]) == \
                [tuple(row) for row in rows]
        assert "alembic_version" not in {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    if sys.platform != "win32":
        assert stat.S_IMODE(os.stat(backup).st_mode) == 0o600  # password hashes are in it


@pytest.mark.skipif(sys.platform == "win32", reason="a dangling symbolic link stands for an unwritable place")
@pytest.mark.parametrize("empty_database_url", ["sqlite"], indirect=True)
def test_sqlite_refuses_without_a_backup_and_never_overwrites_one(later_app, tmp_path):
    app = later_app()
    os.makedirs(app.instance_path, exist_ok=True)
    backup = os.path.join(app.instance_path, "empty-before-upgrade.db")
    os.symlink(tmp_path / "no-such-folder" / "backup.db", backup)  # unwritable, even for root
    exit_code, output = flask_command(app, "db", "upgrade")
    assert exit_code == 1 and "No upgrade without a backup" in output and "Nothing was changed" in output
    assert tables(app) == set(TABLES)
    os.remove(backup)
    with open(backup, "w", encoding="utf-8") as earlier:
        earlier.write("an earlier backup")
    exit_code, output = flask_command(app, "db", "upgrade")
    assert exit_code == 0 and "empty-before-upgrade-2.db" in output
    with open(backup, encoding="utf-8") as earlier:
        assert earlier.read() == "an earlier backup"


@both_databases
def test_a_failure_halfway_leaves_the_original_database_as_it_was(later_app, monkeypatch):
    app = later_app()
    before = original_state(app)

    def audit_log_fails(copy):
        copy.run("SELECT * FROM no_such_table")

    monkeypatch.setattr(loopin.switching.transfer, "copy_audit_logs", audit_log_fails)
    exit_code, output = flask_command(app, "db", "upgrade")
    assert exit_code == 1 and "no_such_table" in output
    assert original_state(app) == before
    assert tables(app) == set(TABLES)  # no Loopin table, no alembic_version, nothing set aside
    with app.app_context(), db.engine.connect() as connection:
        assert "loopin_original" not in sa.inspect(connection).get_schema_names()
    monkeypatch.undo()
    assert flask_command(app, "db", "upgrade")[0] == 0  # and the next attempt succeeds


@both_databases
def test_addresses_differing_only_by_case_stop_the_upgrade_before_it_changes_anything(later_app):
    app = later_app()
    with app.app_context():
        db.session.execute(sa.text("UPDATE users SET email = 'ASHA@college.edu' WHERE id = 3"))
        db.session.commit()
    before = original_state(app)
    exit_code, output = flask_command(app, "db", "upgrade")
    assert exit_code == 1 and "asha@college.edu (2 accounts)" in output and "Nothing was changed" in output
    assert original_state(app) == before and "alembic_version" not in tables(app)
    assert not os.path.exists(os.path.join(app.instance_path, "empty-before-upgrade.db"))
    assert "accounts that differ only by letter case: asha@college.edu (2)" in flask_command(app, "check")[1]


@both_databases
def test_part_of_the_later_schema_is_refused_not_guessed(later_app):
    app = later_app()
    with app.app_context():
        db.session.execute(sa.text("DROP TABLE audit_logs"))
        db.session.commit()
    exit_code, output = flask_command(app, "db", "upgrade")
    assert exit_code == 1 and "missing audit_logs" in output and "nothing was changed" in output
    assert "alembic_version" not in tables(app)
    assert "the original's later version's database, but missing audit_logs" in flask_command(app, "check")[1]


@both_databases
def test_the_later_database_is_upgraded_to_head_only(later_app):
    app = later_app()
    exit_code, output = flask_command(app, "db", "upgrade", "0007_posts")
    assert exit_code == 1 and "to head only" in output and "alembic_version" not in tables(app)


@pytest.mark.postgresql
@pytest.mark.parametrize("empty_database_url", ["postgresql"], indirect=True)
def test_times_are_utc_whatever_postgresqls_zone(empty_database_url, later_app):
    engine = sa.create_engine(empty_database_url)
    with engine.connect() as connection:
        name = connection.exec_driver_sql("SELECT current_database()").scalar()
        connection.exec_driver_sql(f"ALTER DATABASE {name} SET timezone TO 'Asia/Kolkata'")
        connection.commit()
    engine.dispose()
    app = later_app()
    assert flask_command(app, "db", "upgrade")[0] == 0
    client = app.test_client()
    created = client.get("/posts/10").get_json()["created_at"]
    assert created == T0.replace(second=10).isoformat() + "+00:00"  # the original's naive UTC, read as UTC
    me = client.get("/auth/me", headers=as_user("admin@college.edu", 1)).get_json()
    assert me["created_at"].endswith("+00:00")
