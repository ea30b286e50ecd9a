"""On PostgreSQL, what a request reads outside `transaction()` runs in autocommit: one round trip per
statement. That is all of a safe request, and a write's answer read back after its COMMIT (intent.py).

In a transaction a read costs four: psycopg2 sends BEGIN before the first statement, the pool sends
ROLLBACK when the connection comes back, and pre-ping (which Loopin no longer uses: reconnect.py) sent
a `SELECT 1` at checkout. Nothing is lost by autocommit: under READ COMMITTED each statement takes
its own snapshot inside a transaction too. Writes are untouched: `transaction()` marks its work as
writing (intent.py), so the connection it gets is transactional, with BEGIN and COMMIT as before.

The mode is chosen when the pool hands a connection out, by setting psycopg2's `autocommit` flag,
which sends nothing (SQLAlchemy's `isolation_level="AUTOCOMMIT"` goes through psycopg2's
`set_isolation_level`, which pins the isolation level and then costs a `SET
default_transaction_isolation` at every check-in and a longer BEGIN: measured through the wire log
of tests/pg_wire.py). In autocommit, psycopg2's commit and rollback send nothing either, so the pool's
reset at check-in is free. SQLite is left as it is: its BEGIN is not a round trip.
"""

from sqlalchemy import event

from .intent import reads_only


def read_in_autocommit(engine):
    if engine.dialect.name != "postgresql":
        return

    @event.listens_for(engine, "checkout")
    def choose_mode(dbapi_connection, _record, _proxy):
        wanted = reads_only()
        if dbapi_connection.autocommit != wanted:
            dbapi_connection.autocommit = wanted


def in_autocommit(connection):
    """A SQLAlchemy Connection whose DBAPI connection is in autocommit (a read's, above)."""
    return bool(getattr(connection.connection.dbapi_connection, "autocommit", False))
