"""Reading a database's schema back, for the migration and adoption tests: Alembic's comparison with
the models, and the users table as the database describes it."""

import warnings
from contextlib import contextmanager

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from loopin.core.extensions import db
from loopin.models import include_object


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
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": include_object})
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
