"""Whether the database can search (`loopin check`): SQLite built with FTS5; a PostgreSQL server with
`btree_gin` (required: migration 0020's indexes) and `unaccent` (where available: accents folded)."""

from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from ..core.extensions import db
from ..core.preflight import Check

NAME = "full-text search"
CONTRIB = ("install PostgreSQL's contrib modules (Debian and Ubuntu ship them with the server package; "
           "managed hosts allow btree_gin and unaccent), then run `loopin db upgrade`")


def check_full_text(_app):
    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            return sqlite_support(connection)
        rows = connection.execute(text("SELECT name, installed_version FROM pg_available_extensions "
                                       "WHERE name IN ('btree_gin', 'unaccent')")).all()
    found = {name: installed for name, installed in rows}
    state = ", ".join(f"{name} {'installed' if found[name] else 'available'}" for name in sorted(found))
    if "btree_gin" not in found:
        return Check(NAME, "fail", "the btree_gin extension is not available on this PostgreSQL server", CONTRIB)
    if "unaccent" not in found:
        return Check(NAME, "warn", f"{state}; unaccent is not available: accents are not folded", CONTRIB)
    return Check(NAME, "ok", state)


def sqlite_support(connection):
    try:
        connection.execute(text("CREATE VIRTUAL TABLE temp.loopin_fts5_probe USING fts5(words)"))
        connection.execute(text("DROP TABLE temp.loopin_fts5_probe"))
    except OperationalError as error:  # "no such module: fts5"
        return Check(NAME, "fail", f"this Python's SQLite has no FTS5 ({error.orig})",
                     "use a Python whose sqlite3 includes FTS5 (python.org's and most distributions' do)")
    return Check(NAME, "ok", "SQLite FTS5")
