"""A connection lost under a request: PostgreSQL restarted, a proxy dropped an idle connection, an
operator ran pg_terminate_backend. Without pre-ping (database.engine_options) nobody checks a pooled
connection before it is used, so the request that meets a dead one handles it.

SQLAlchemy does the first half itself: the error is marked `connection_invalidated`, and the whole
pool is invalidated (every connection opened before the failure is replaced at its next checkout).
This module does the rest, at two levels:
- a statement that reads in autocommit (reads.py: a safe request, or a write's answer read back after
  its COMMIT) runs once more on a new connection: it stands alone, so nothing else is repeated, and
  a write that was committed is never answered with an error because reading it back failed;
- a request runs once more when running it twice cannot apply anything twice: a safe request (a
  transaction() inside commits all or nothing), or any request whose statements had not yet reached
  the database (the dead connection was found by its first one: nothing sent could have been applied).
Anything else (a write whose connection died after a statement, possibly during COMMIT) answers 503
with Retry-After (web/errors.py): only the client may decide to send it again.
"""

import logging

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy import exc as sa_exc

from .extensions import db
from .intent import is_safe_request, reads_only

log = logging.getLogger("loopin")
REACHED_DATABASE = "loopin.reached_database"  # request.environ key: a statement of it completed


def mark_statements(session):
    """Note in an unsafe request that one of its statements completed (so it reached the database).

    Only an unsafe request asks (may_run_again), and all of its statements go through the Session, so
    the listener goes on each connection such a request's Session begins, never on the engine: an
    engine with a statement listener sends every statement of every request down SQLAlchemy's slower
    path with events (about a quarter of a one-statement read's CPU, measured in bench/FINDINGS.md)."""
    if not event.contains(session, "after_begin", watch_unsafe_requests_statements):
        event.listen(session, "after_begin", watch_unsafe_requests_statements)


def watch_unsafe_requests_statements(_session, _transaction, connection):
    if has_request_context() and not is_safe_request() and not event.contains(
            connection, "after_cursor_execute", statement_reached_database):
        event.listen(connection, "after_cursor_execute", statement_reached_database)


def statement_reached_database(*_arguments):
    if has_request_context():
        request.environ[REACHED_DATABASE] = True


def run_reads_again_on_a_new_connection(session):
    """Have `session`'s statements that read in autocommit run once more when their connection was lost."""
    if not event.contains(session, "do_orm_execute", read_again_if_connection_lost):
        event.listen(session, "do_orm_execute", read_again_if_connection_lost)


def read_again_if_connection_lost(state):
    if not reads_only() or state.session.get_bind().dialect.name != "postgresql":
        return None  # SQLAlchemy runs the statement itself
    try:
        return state.invoke_statement()
    except sa_exc.DBAPIError as error:
        if not is_lost_connection(error):
            raise
        log.warning("database connection lost under a read of %s %s; reading again on a new connection",
                    request.method, request.url_rule.rule if request.url_rule else "?")
        state.session.rollback()  # lets go of the dead connection; nothing was written on it
    return state.invoke_statement()


def is_lost_connection(error):
    return isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated


def may_run_again():
    return is_safe_request() or not request.environ.get(REACHED_DATABASE)


def once_more_if_connection_lost(handle):
    """`handle()`, and once more on a new connection when it met a dead one and may run again."""
    try:
        return handle()
    except sa_exc.DBAPIError as error:
        if not (is_lost_connection(error) and may_run_again()):
            raise
        log.warning("database connection lost under %s %s; running it again on a new connection",
                    request.method, request.url_rule.rule if request.url_rule else "?")
        db.session.rollback()  # the session lets go of the dead connection
    return handle()
