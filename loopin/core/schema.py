"""Where the migrations are, and where the database's schema stands against them."""

import os

from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db
from .reconnect import is_lost_connection


def migrations_directory():
    """Inside the package when installed from a wheel (loopin/migrations), else the repository's
    migrations/ beside the package (a checkout, or an editable install). Absolute, so `db upgrade`
    works from any working directory."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    installed = os.path.join(package, "migrations")
    return installed if os.path.isdir(installed) else os.path.join(os.path.dirname(package), "migrations")


HEAD_KEY = "loopin.migration_head"
# Recognisers of databases Loopin can adopt (a feature adds its own; `loopin check` asks each): a
# function of a connection, answering a preflight Check or None.
FOREIGN_SCHEMAS = "loopin.foreign_schemas"
CURRENT_REVISION = text("SELECT version_num FROM alembic_version")


def register_schema(app, head, migrations):
    """Remember the revision the models match; with `migrations`, also register Flask-Migrate (and so
    Alembic, 8 MiB): for command lines and tests, never for a WSGI server, which only compares the
    database's revision with `head`."""
    app.extensions[HEAD_KEY] = head
    if migrations:
        register_migrations(app)


def register_migrations(app):
    """Flask-Migrate on `app`, once. One transaction per revision: a revision that stops (0004 on case
    duplicates) leaves the ones before it applied and itself untouched."""
    if "migrate" not in app.extensions:
        from flask_migrate import Migrate

        Migrate(app, db, directory=migrations_directory(), render_as_batch=True, compare_type=True,
                transaction_per_migration=True)


def head_revision():
    """The revision the code's models match (loopin/models.py)."""
    return current_app.extensions[HEAD_KEY]


def schema_state():
    """"current" (at head), "behind" (an older revision) or "empty" (no migration history), in one query
    when the database answers; SQLAlchemyError when it does not.

    The probe reads on a connection of its own, outside the ORM Session (which would cost as much
    again as the statement). A connection found dead is met once more with a new one, as the
    Session's reads are (reconnect.py): SQLAlchemy has emptied the pool by then."""
    try:
        try:
            revisions = recorded_revisions()
        except SQLAlchemyError as error:
            if not is_lost_connection(error):
                raise
            revisions = recorded_revisions()
    except SQLAlchemyError as error:
        if is_lost_connection(error):
            raise  # lost twice: not an answer about the schema
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))  # unreachable: this raises too; reachable: no history
        return "empty"
    if not revisions:
        return "empty"
    return "current" if revisions == {head_revision()} else "behind"


def recorded_revisions():
    with db.engine.connect() as connection:
        return set(connection.scalars(CURRENT_REVISION).all())
