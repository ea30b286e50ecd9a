"""Migrations: revision 1 is exactly the original's table, head matches the models, both databases."""

import warnings
from contextlib import contextmanager

import flask_migrate
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from helpers import both_databases, make_app

from loopin.core.extensions import db
from loopin.models import SCHEMA_REVISION

ORIGINAL_REVISION = "0001_original_users"




@contextmanager
def reflecting(app):
    """A connection for reflection. SQLite cannot reflect expression indexes, so SQLAlchemy and Alembic
    skip uq_users_email_lower there and warn; expression_indexes() checks it on SQLite instead."""
    with app.app_context(), db.engine.connect() as connection, warnings.catch_warnings():
        if connection.dialect.name == "sqlite":
            warnings.filterwarnings("ignore", message=".*expression-based index")
        yield connection


def schema_differences(app):
    """Alembic's autogenerate comparison of the database against the models: [] when they agree."""
    with reflecting(app) as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def expression_indexes(app):
    with app.app_context(), db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            rows = connection.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'index'"))
        else:
            rows = connection.execute(sa.text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'users'"))
        return {name: sql for name, sql in rows if name == "uq_users_email_lower"}


def describe_users_table(app):
    with reflecting(app) as connection:
        inspector = sa.inspect(connection)
        columns = {c["name"]: (type(c["type"]).__name__, c["nullable"]) for c in inspector.get_columns("users")}
        indexes = {i["name"]: (i["column_names"], bool(i["unique"])) for i in inspector.get_indexes("users")}
        primary_key = inspector.get_pk_constraint("users")["constrained_columns"]
        return columns, indexes, primary_key


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


def test_db_upgrade_command_builds_schema(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'cli.db'}", tmp_path)
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(sa.text("SELECT version_num FROM alembic_version")) == SCHEMA_REVISION
