"""Alembic environment for Flask-Migrate: the app's engine and metadata, batch mode for SQLite."""

import logging

from alembic import context
from flask import current_app

import loopin.models  # every feature's tables, in the metadata autogenerate compares, and what it leaves out
from loopin.core.invocation import command_path
from loopin.core.schema import head_revision
from loopin.switching.takeover import later_original_takeover

config = context.config
# No logging setup here: create_app gave Alembic's loggers Loopin's handler and format (loopin/core/logs.py).
logger = logging.getLogger("alembic.env")

migrate_extension = current_app.extensions["migrate"]
engine = migrate_extension.db.engine
target_metadata = migrate_extension.db.metadata
config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))


def run_migrations_offline():
    """`flask db upgrade --sql`: emit the SQL instead of running it."""
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True, **migrate_extension.configure_args)
    with context.begin_transaction():
        context.run_migrations()


def skip_empty_autogenerate(_context, _revision, directives):
    # `flask db migrate` with no model change writes no empty revision.
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def set_sqlite_foreign_keys(connection, on):
    # Batch mode rebuilds a SQLite table by copy and DROP; with foreign keys enforced, dropping `users`
    # would cascade into every table that points at it. PRAGMA works only outside a transaction, and
    # SQLAlchemy's would begin one (loopin/core/database.py emits BEGIN): so on the driver's connection.
    if connection.dialect.name == "sqlite":
        if connection.in_transaction():
            connection.commit()
        connection.connection.driver_connection.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def is_upgrade():
    # Alembic tells env.py the destination, not the command: the original's later database is taken
    # over by `db upgrade` only (never by stamp, downgrade or current), so the command line is asked.
    return (command_path() or [])[-1:] == ["upgrade"]


def run_migrations_online():
    configure_args = dict(migrate_extension.configure_args)
    configure_args.setdefault("process_revision_directives", skip_empty_autogenerate)
    configure_args.setdefault("include_object", loopin.models.include_object)
    with engine.connect() as connection:
        set_sqlite_foreign_keys(connection, on=False)
        try:
            takeover = (later_original_takeover(connection, current_app.instance_path,
                                                context.get_revision_argument(), head_revision())
                        if is_upgrade() else None)
            if takeover is None:
                context.configure(connection=connection, target_metadata=target_metadata, **configure_args)
                with context.begin_transaction():
                    context.run_migrations()
            else:
                # One transaction for all of it; Alembic, configured inside it, adds none of its own.
                with takeover.transaction():
                    context.configure(connection=connection, target_metadata=target_metadata, **configure_args)
                    context.run_migrations()
        finally:
            set_sqlite_foreign_keys(connection, on=True)  # the pooled connection goes back as the app expects


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
