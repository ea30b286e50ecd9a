"""Where the database's schema stands against the migrations this code ships."""

from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db, migrate

HEAD_KEY = "loopin.migration_head"
CURRENT_REVISION = text("SELECT version_num FROM alembic_version")


def head_revision():
    """The newest revision in migrations/ (read from disk once per app)."""
    if HEAD_KEY not in current_app.extensions:
        current_app.extensions[HEAD_KEY] = ScriptDirectory.from_config(migrate.get_config()).get_current_head()
    return current_app.extensions[HEAD_KEY]


def schema_state():
    """"current" (at head), "behind" (an older revision) or "empty" (no migration history), in one query
    when the database answers; SQLAlchemyError when it does not."""
    try:
        revisions = set(db.session.scalars(CURRENT_REVISION).all())
    except SQLAlchemyError:
        db.session.rollback()
        db.session.execute(text("SELECT 1"))  # unreachable: this raises too; reachable: no history
        return "empty"
    if not revisions:
        return "empty"
    return "current" if revisions == {head_revision()} else "behind"
