"""Migrations: revision 1 is exactly the original's table, head matches the models, both databases."""

import flask_migrate
import sqlalchemy as sa
from helpers import both_databases, make_app
from schema_helpers import describe_users_table, expression_indexes, schema_differences

from loopin.core.extensions import db
from loopin.models import SCHEMA_REVISION

ORIGINAL_REVISION = "0001_original_users"


def test_models_name_the_migrations_head(tmp_path):
    """Servers compare the database with SCHEMA_REVISION instead of loading Alembic to find the head."""
    from alembic.script import ScriptDirectory

    from loopin.models import SCHEMA_REVISION

    app = make_app("sqlite://", tmp_path)
    with app.app_context():
        head = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config()).get_heads()
    assert head == [SCHEMA_REVISION], "a new revision: set SCHEMA_REVISION in loopin/models.py to it"


@both_databases
def test_upgrade_to_head_matches_models(empty_app):
    with empty_app.app_context():
        flask_migrate.upgrade()
    assert schema_differences(empty_app) == []
    [definition] = expression_indexes(empty_app).values()
    assert "UNIQUE" in definition.upper() and "lower(" in definition.lower()


@both_databases
def test_first_revision_is_exactly_the_original_table(empty_app):
    with empty_app.app_context():
        flask_migrate.upgrade(revision=ORIGINAL_REVISION)
    columns, indexes, primary_key = describe_users_table(empty_app)
    assert columns == {"id": ("INTEGER", False), "email": ("VARCHAR", False),
                       "hashed_password": ("VARCHAR", False), "is_active": ("BOOLEAN", True)}
    assert indexes == {"ix_users_id": (["id"], False), "ix_users_email": (["email"], True)}
    assert primary_key == ["id"]


@both_databases
def test_downgrade_to_base_and_back(empty_app):
    with empty_app.app_context():
        flask_migrate.upgrade()
        flask_migrate.downgrade(revision="base")
        assert sa.inspect(db.engine).get_table_names() == ["alembic_version"]
        flask_migrate.upgrade()
    assert schema_differences(empty_app) == []


@both_databases
def test_every_account_gets_a_username_and_a_display_name(empty_app):
    """0012 names the accounts that have no username by the original's rule (local part's letters,
    digits, _ and -; a number until no account has it in any case); full_name follows when empty."""
    accounts = [("ann@a.edu", None, None), ("ann@b.edu", None, None), ("kept@c.edu", "ann2", None),
                ("jo@d.edu", None, None), ("x.y-z_@e.edu", None, None), ("named@f.edu", "named_one", "Named One")]
    with empty_app.app_context():
        flask_migrate.upgrade(revision="0011_mail_and_account_lifecycle")
        for email, username, full_name in accounts:
            db.session.execute(sa.text("INSERT INTO users (email, hashed_password, is_active, username, full_name) "
                                       "VALUES (:email, 'x', true, :username, :full_name)"),
                               {"email": email, "username": username, "full_name": full_name})
        db.session.commit()
        flask_migrate.upgrade()
        named = db.session.execute(sa.text("SELECT username, full_name FROM users ORDER BY id")).all()
    assert [tuple(row) for row in named] == [("ann", "ann"), ("ann3", "ann3"), ("ann2", "ann2"), ("jouser", "jouser"),
                                             ("xy-z_", "xy-z_"), ("named_one", "Named One")]


def test_db_upgrade_command_builds_schema(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'cli.db'}", tmp_path)
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(sa.text("SELECT version_num FROM alembic_version")) == SCHEMA_REVISION
