"""`loopin db upgrade` on the original's later database (called by migrations/env.py): all or nothing.

1. Refuse, changing nothing, when the database is only part of that schema, when addresses differ
   only by letter case (the first version's rule: the owners decide, Loopin never merges), or when the
   upgrade is not to head.
2. Set the original's tables aside: on PostgreSQL into the schema `loopin_original`; on SQLite, which
   needs a backup first, by attaching the backup and dropping them here.
3. Run every migration from the first, as on an empty database.
4. Copy the rows (transfer.py), check every foreign key, drop what was set aside.

One transaction from 2 to 4 on both databases: a failure anywhere leaves the original's database as it
was (and on SQLite, the backup beside it besides)."""

import logging
from contextlib import contextmanager

from click import ClickException
from sqlalchemy import text

from ..core.cli import echo
from ..core.preflight import CASE_DUPLICATES
from .backup import BackupFailed, back_up
from .later_schema import ORIGINAL, TABLES, announcement_rows, prefix, recognise, row_counts
from .repairs import count_repairs
from .report import describe
from .transfer import copy_everything

log = logging.getLogger("loopin.switching")

WORK_MEM = "256MB"
FOLDED = text("SELECT count(*) FROM notifications WHERE user_id IS NULL")
SWITCHING = "docs/switching.md: 'From the original's later version'"


class Takeover:
    def __init__(self, connection, instance_path):
        self.connection, self.instance_path = connection, instance_path
        self.sqlite = connection.dialect.name == "sqlite"
        self.backup = None

    def refuse_unless_ready(self, recognition, destination, head):
        if recognition.missing:
            raise ClickException("This database looks like the original's later version's, but is missing "
                                 f"{', '.join(recognition.missing)}: nothing was changed ({SWITCHING}).")
        if destination not in ("head", "heads", head):
            raise ClickException(f"The original's later database is upgraded to head only, not {destination}: "
                                 "run `loopin db upgrade`. Nothing was changed.")
        duplicates = self.connection.execute(CASE_DUPLICATES).all()
        if duplicates:
            listed = ", ".join(f"{row.address} ({row.accounts} accounts)" for row in duplicates)
            raise ClickException(f"Addresses that belong to several accounts differing only by letter case: "
                                 f"{listed}. Nothing was changed. Keep one account per address and rename the "
                                 "others (docs/switching.md: 'Emails that differ only by case'), then run "
                                 "`loopin db upgrade` again.")

    @contextmanager
    def transaction(self):
        with self.connection.begin():  # reads, and on PostgreSQL the planner's statistics, kept
            if not self.sqlite:
                for table in TABLES:  # the original never ran ANALYZE on its own
                    self.connection.exec_driver_sql(f"ANALYZE {table}")
            unbounded(self.connection)
            before = row_counts(self.connection)
            fanned_out = announcement_rows(self.connection)
            repairs, self.renames, self.tags = count_repairs(self.connection, prefix(in_place=True))
        if self.sqlite:
            self.make_backup()
        try:
            with self.connection.begin():  # commits at the end of the block, or rolls back
                unbounded(self.connection)
                self.set_aside()
                yield
                self.copy()
        except BaseException:
            self.detach()
            log.error("The upgrade of the original's later database stopped; nothing was changed%s",
                      f" (backup: {self.backup})" if self.backup else "")
            raise
        self.detach()
        folded = (fanned_out, self.connection.execute(FOLDED).scalar())
        for line in describe(before, repairs, self.renames, row_counts(self.connection), folded, self.backup):
            echo(line)
        self.connection.rollback()

    def make_backup(self):
        raw = self.connection.connection.dbapi_connection
        try:
            self.backup = back_up(raw, self.connection.engine.url.database, self.instance_path)
        except BackupFailed as error:
            raise ClickException(f"No upgrade without a backup, and {error}. Nothing was changed.") from error
        echo(f"Backup of the original's database: {self.backup}")
        self.outside_transaction(f"ATTACH DATABASE ? AS {ORIGINAL}", (self.backup,))

    def outside_transaction(self, sql, parameters=()):
        """ATTACH and DETACH refuse to run in a transaction, and SQLAlchemy would begin one: the driver's
        connection runs them (Loopin's SQLite connections leave transactions to SQLAlchemy)."""
        self.connection.connection.driver_connection.execute(sql, parameters)

    def set_aside(self):
        if self.sqlite:
            for table in TABLES:
                self.connection.exec_driver_sql(f"DROP TABLE main.{table}")
            return
        self.connection.exec_driver_sql(f"CREATE SCHEMA {ORIGINAL}")
        for table in TABLES:
            self.connection.exec_driver_sql(f"ALTER TABLE {table} SET SCHEMA {ORIGINAL}")

    def copy(self):
        copy_everything(self.connection, prefix(in_place=False), self.renames, self.tags)
        if self.sqlite:
            broken = self.connection.exec_driver_sql("PRAGMA main.foreign_key_check").all()
            if broken:
                raise RuntimeError(f"{len(broken)} rows point at nothing after the copy, first in {broken[0][0]}")
        else:
            self.connection.exec_driver_sql(f"DROP SCHEMA {ORIGINAL} CASCADE")

    def detach(self):
        if self.sqlite and self.backup:
            attached = {row[1] for row in self.connection.exec_driver_sql("PRAGMA database_list")}
            self.connection.rollback()  # only read
            if ORIGINAL in attached:
                self.outside_transaction(f"DETACH DATABASE {ORIGINAL}")


def unbounded(connection):
    """For this transaction on PostgreSQL: no statement timeout (it bounds requests; a large board
    takes minutes), and memory enough that "id IN (SELECT id ...)" over a million rows is one hash,
    not a scan per row."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
        connection.exec_driver_sql(f"SET LOCAL work_mem = '{WORK_MEM}'")


def later_original_takeover(connection, instance_path, destination, head):
    """A Takeover when the database is the original's later version's, after its refusals; else None."""
    recognition = recognise(connection)
    if not recognition.found:
        connection.rollback()  # only read
        return None
    takeover = Takeover(connection, instance_path)
    try:
        takeover.refuse_unless_ready(recognition, destination, head)
    finally:
        connection.rollback()  # only read; Alembic then runs its own transactions, or the takeover its one
    return takeover
