"""Ids are never reused, on SQLite too: `users`, `posts` and `comments` get AUTOINCREMENT there.

SQLite gives a new row the largest id + 1, so deleting the newest account and registering another gave
the new person the old one's id, and the audit rows about the old person read as if about the new one
(PostgreSQL's sequences never go back). AUTOINCREMENT keeps the largest id ever given in
`sqlite_sequence`. SQLite cannot alter a primary key, so each table is made again (its CREATE statement
with the key marked, the rows copied, its indexes and triggers made again from their own statements).
Nothing to do on PostgreSQL. The downgrade leaves the tables as they are: AUTOINCREMENT changes no
answer, and taking it away would let ids be reused again.

Revision ID: 0016_ids_never_reused
Revises: 0015_replies_outlive_deletes
Create Date: 2026-12-02
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0016_ids_never_reused"
down_revision = "0015_replies_outlive_deletes"
branch_labels = None
depends_on = None

TABLES = ("users", "posts", "comments")
OWN_STATEMENTS = sa.text("SELECT sql FROM sqlite_master WHERE tbl_name = :table AND type IN ('index', 'trigger') "
                         "AND sql IS NOT NULL")
CREATE = sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :table")


def autoincrementing(create, new_name):
    """The table's CREATE statement, under `new_name`, with `id` as an AUTOINCREMENT key."""
    header = re.compile(r'^CREATE TABLE (IF NOT EXISTS )?"?\w+"?', re.IGNORECASE)
    statement = header.sub(f'CREATE TABLE "{new_name}"', create, count=1)
    statement, marked = re.subn(r"\bid INTEGER NOT NULL\b", "id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT",
                                statement, count=1)
    statement, dropped = re.subn(r",\s*PRIMARY KEY \(id\)", "", statement, count=1)
    if not (marked and dropped):
        raise RuntimeError(f"unexpected CREATE TABLE for {new_name}: {create[:80]}")
    return statement


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    for table in TABLES:
        create = bind.execute(CREATE, {"table": table}).scalar()
        if "AUTOINCREMENT" in create.upper():
            continue
        own = bind.execute(OWN_STATEMENTS, {"table": table}).scalars().all()
        rebuilt = f"_loopin_new_{table}"
        bind.exec_driver_sql(autoincrementing(create, rebuilt))
        bind.exec_driver_sql(f'INSERT INTO "{rebuilt}" SELECT * FROM "{table}"')
        bind.exec_driver_sql(f'DROP TABLE "{table}"')
        bind.exec_driver_sql(f'ALTER TABLE "{rebuilt}" RENAME TO "{table}"')
        for statement in own:
            bind.exec_driver_sql(statement)


def downgrade():
    pass
