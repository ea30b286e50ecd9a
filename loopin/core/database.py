"""How Loopin reaches its database: the URL, the engine options, a loggable description, and the one
place that commits.

Nothing here connects. The engine is created by Flask-SQLAlchemy when the factory runs, and SQLAlchemy
opens the first connection only when a request (or command) needs one.
"""

import os
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url

from .extensions import db
from .intent import will_write, writing
from .reads import in_autocommit

DEFAULT_SQLITE_FILE = "loopin.db"
APPLICATION_NAME = "loopin"  # shows in pg_stat_activity, so Loopin's connections can be counted


def database_uri(configured, instance_path):
    """The SQLAlchemy URL for `DATABASE_URL`, or the embedded SQLite file when it is unset.

    `postgres://` and bare `postgresql://` are pinned to psycopg2: SQLAlchemy 2.1 maps a bare
    `postgresql://` to psycopg 3, which is not installed.
    """
    if not configured:
        return "sqlite:///" + os.path.join(instance_path, DEFAULT_SQLITE_FILE)
    url = make_url(configured)
    if url.drivername in ("postgres", "postgresql"):
        url = url.set(drivername="postgresql+psycopg2")
    return url.render_as_string(hide_password=False)


def engine_options(uri, settings):
    """Pool and connection settings. SQLite gets no pool settings: its pools take no size, `:memory:` none at all."""
    url = make_url(uri)
    echo = {"echo": True} if settings["DB_ECHO"] else {}  # statements, never their values (hide_parameters)
    if url.get_backend_name() == "sqlite":
        return {"hide_parameters": True, **echo}
    options = {
        # Error messages and logs never carry row values (emails, password hashes).
        "hide_parameters": True,
        **echo,
        "pool_size": settings["DB_POOL_SIZE"],
        "max_overflow": settings["DB_MAX_OVERFLOW"],
        "pool_timeout": settings["DB_POOL_TIMEOUT"],
        # No pre-ping: it cost every request a round trip. A connection found dead when used is handled
        # then (reconnect.py), and recycling keeps pooled ones younger than proxies' idle timeouts.
        "pool_recycle": settings["DB_POOL_RECYCLE"],
    }
    if url.get_backend_name() == "postgresql":
        # A read's connection is in autocommit (reads.py): its rollbacks at check-in would send nothing,
        # but psycopg2 still releases and retakes the GIL for each, a wait of up to a switch interval.
        options["skip_autocommit_rollback"] = True
        options["connect_args"] = {
            "connect_timeout": settings["DB_CONNECT_TIMEOUT"],
            "application_name": APPLICATION_NAME,
            # UTC whatever the server's or the database's zone: timestamptz comes back in the session's
            # zone, and a college's PostgreSQL set to Asia/Kolkata would have Loopin answer +05:30.
            "options": f"-c statement_timeout={settings['DB_STATEMENT_TIMEOUT_MS']} -c timezone=UTC",
        }
    return options


def describe_database(uri):
    """`host:port/dbname` or the SQLite path: safe to log, never the password."""
    url = make_url(uri)
    if url.get_backend_name() == "sqlite":
        return f"SQLite {url.database or ':memory:'}"
    port = f":{url.port}" if url.port else ""
    return f"{url.get_backend_name()} {url.host or 'localhost'}{port}/{url.database or ''}"


def pool_capacity(config):
    """How many connections the pool can hand out at once, or None for SQLite (no pool limit)."""
    if make_url(config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() == "sqlite":
        return None
    return config["DB_POOL_SIZE"] + config["DB_MAX_OVERFLOW"]


POOL_ADVICE = "lower WAITRESS_THREADS / --threads, or raise DB_POOL_SIZE or DB_MAX_OVERFLOW"


def threads_beyond_pool(config):
    """(threads, pool capacity) when waitress has more threads than the pool has connections (busy
    threads would wait for one), else None."""
    threads, capacity = config["WAITRESS_THREADS"], pool_capacity(config)
    return (threads, capacity) if capacity is not None and threads > capacity else None


def configure_sqlite(engine):
    """SQLite as PostgreSQL behaves for Loopin:
    - foreign keys checked (SQLite checks them only when each connection asks), so cascades hold;
    - a transaction that writes takes the write lock when it begins (`BEGIN IMMEDIATE`), so writers
      queue there (up to the driver's 5-second busy timeout) and every read-then-write path sees what
      it then changes, as PostgreSQL's row locks give it. A deferred transaction that read first could
      not become a writer once another had committed ("database is locked" at once: a 500).
    The driver's own transaction handling, which begins only before an INSERT, UPDATE or DELETE, is
    off; SQLAlchemy's "begin" event emits BEGIN instead (SQLAlchemy's documented recipe)."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def as_postgresql(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def begin(connection):
        immediate = will_write()
        # On the driver's connection, as psycopg2 sends PostgreSQL's BEGIN: not a statement of Loopin's
        # (the statement counts of the tests and of DB_ECHO stay the same on both databases).
        connection.connection.driver_connection.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
        connection.info[IMMEDIATE] = immediate


IMMEDIATE = "loopin.sqlite_immediate"


def read_connection_open():
    """The session holds a connection opened for reading (it read before transaction() began): a
    deferred SQLite transaction, or PostgreSQL in autocommit (reads.py)."""
    session = db.session()  # the request's own Session (in_transaction is not proxied by scoped_session)
    if not session.in_transaction():
        return False
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        return not connection.info.get(IMMEDIATE)
    return in_autocommit(connection)


@contextmanager
def transaction():
    """One user action, all or nothing: services add and flush, this commits once at the end, and any
    exception rolls everything back. Side effects that leave the process (audit lines, mail) follow it.
    A connection the request opened for reading ends first (nothing was written on it; ending it sends
    nothing): on SQLite it could not take the write lock safely (configure_sqlite), on PostgreSQL it is
    in autocommit. The work then gets a connection of its own, with BEGIN and COMMIT."""
    if read_connection_open():
        db.session.rollback()
    with writing():
        try:
            yield db.session
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise


def as_dicts(rows):
    """Result rows as plain dicts of their columns, for a page validated in one pydantic call
    (Row._asdict() costs five times as much per row)."""
    names = rows[0]._fields if rows else ()
    return [dict(zip(names, row)) for row in rows]


def insert_or_merge(table):
    """An INSERT that can say what to do with a row that is already there (`on_conflict_do_nothing`,
    `on_conflict_do_update`): SQLAlchemy spells ON CONFLICT per dialect, and both of ours have it."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table)
