"""Reads PostgreSQL parses and plans once per connection instead of at every execution.

The lookup of the caller runs in every authenticated request, and PostgreSQL spent more of its CPU
parsing and planning it (a join of two primary-key lookups: 0.1–0.2 ms) than running it (0.02 ms),
on the same cores the server uses (bench/FINDINGS.md, issue 26). psycopg2 has no prepared statements
of its own, so a PreparedRead sends SQL's PREPARE with its first EXECUTE on a connection, in the same
message, and only EXECUTE after that: one round trip every time. Which connections hold it is kept in
the connection's `info`, which lives and dies with the DBAPI connection (a replaced connection
prepares again).

Only reads in autocommit (reads.py) use it: a refused EXECUTE there aborts no transaction, so the
statement can still run as written. It is refused when PostgreSQL does not keep what a connection
prepared (a transaction-pooling proxy such as PgBouncer hands each statement to any server connection)
or when the tables it reads changed type under it (a migration while the process runs): the process
then warns once and runs its reads as written from then on. Anything else, a lost connection
included, is raised as usual (reconnect.py).
"""

import logging

from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.dialects.postgresql.psycopg2 import PGDialect_psycopg2

from .reads import in_autocommit

log = logging.getLogger("loopin")
PREPARED = "loopin.prepared"  # connection.info key: the names of the statements it holds
# PREPARE numbers its parameters ($1, $2, …), as asyncpg's dialect writes them.
NUMBERED = PGDialect_psycopg2(paramstyle="numeric_dollar")
# SQLSTATEs of a prepared statement PostgreSQL no longer has, already has (both: a transaction
# pooler), or cannot run since the columns it returns changed type.
NOT_KEPT = {"26000", "42P05", "0A000"}


class PreparedRead:
    """`statement` (a Core select; its bound parameters by name), prepared as `name` on each PostgreSQL
    connection that runs it in autocommit; elsewhere run as it is."""

    def __init__(self, name, statement):
        compiled = statement.compile(dialect=NUMBERED)
        self.name, self.statement = name, statement
        self.defaults = compiled.params  # the values of literals bound in the statement (the rest None)
        arguments = ", ".join(f":{key}" for key in compiled.positiontup)
        execute = f"EXECUTE {name}({arguments})" if arguments else f"EXECUTE {name}"
        # text() would read a colon in the statement as a bind of its own; escaped, it stays a colon.
        body = compiled.string.replace(":", "\\:")
        prepare = f"PREPARE {name} AS {body}; {execute}"
        # Typed as the statement's own columns: the same rows, and SQLAlchemy keeps what it learns of
        # them with the compiled text instead of reading the cursor's description at every execution.
        self.execute_statement, self.prepare_statement = (text(sql).columns(*statement.selected_columns)
                                                          for sql in (execute, prepare))
        self.kept = True  # False once this process found PostgreSQL does not keep prepared statements

    def execute(self, connection, parameters):
        """The statement's result on `connection`: the same rows, in one round trip."""
        if not (self.kept and connection.dialect.name == "postgresql" and in_autocommit(connection)):
            return connection.execute(self.statement, parameters)
        held = connection.info.setdefault(PREPARED, set())
        arguments = {**self.defaults, **parameters}
        try:
            result = connection.execute(self.execute_statement if self.name in held else self.prepare_statement,
                                        arguments)
        except sa_exc.DBAPIError as error:
            if getattr(error.orig, "pgcode", None) not in NOT_KEPT or error.connection_invalidated:
                raise
            self.kept = False
            log.warning("PostgreSQL did not keep the prepared statement %s (SQLSTATE %s); this process runs "
                        "its reads unprepared from now on (a transaction-pooling proxy does not keep them)",
                        self.name, error.orig.pgcode)
            return connection.execute(self.statement, parameters)
        held.add(self.name)
        return result
