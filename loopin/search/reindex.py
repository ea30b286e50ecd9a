"""Every index built again from its rows. PostgreSQL: the `loopin_search` configuration made again in
SEARCH_LANGUAGE (folding accents when unaccent is installed), then each side table's documents written
again in batches; SQLite: FTS5's own `rebuild`. Runs in the caller's transaction: searches go on
reading the old index until it commits."""

from flask import current_app
from sqlalchemy import text

from ..core.extensions import db
from ..fulltext.index import BUCKET_BITS

BATCH = 50_000


def reindex(indexes):
    """Yields (index, rows indexed) as each is done."""
    if db.session.get_bind().dialect.name == "sqlite":
        for index in indexes:
            db.session.execute(text(f"INSERT INTO {index.name} ({index.name}) VALUES ('rebuild')"))
            yield index, db.session.scalar(text(f"SELECT count(*) FROM {index.source.name}"))
        return
    configure_language(current_app.config["SEARCH_LANGUAGE"])
    for index in indexes:
        yield index, rewrite_documents(index)


def configure_language(language):
    """`loopin_search` as the migration made it, copying `language` (the setting's rule allows only
    Snowball language names, so it is quoted as it is)."""
    db.session.execute(text("DROP TEXT SEARCH CONFIGURATION IF EXISTS loopin_search"))
    db.session.execute(text(f"CREATE TEXT SEARCH CONFIGURATION loopin_search (COPY = pg_catalog.{language})"))
    db.session.execute(text(f"COMMENT ON TEXT SEARCH CONFIGURATION loopin_search IS '{language}'"))
    if db.session.scalar(text("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'")):
        dictionaries = db.session.scalar(text(
            "SELECT string_agg(m.mapdict::regdictionary::text, ', ' ORDER BY m.mapseqno) "
            "FROM pg_ts_config_map AS m WHERE m.mapcfg = CAST(:name AS regconfig) "
            "AND m.maptokentype = (SELECT tokid FROM ts_token_type('default') WHERE alias = 'word')"),
            {"name": language})
        db.session.execute(text("ALTER TEXT SEARCH CONFIGURATION loopin_search ALTER MAPPING FOR word, hword, "
                                f"hword_part WITH unaccent, {dictionaries}"))


def rewrite_documents(index):
    """Every row's document written again (and any missing row added), BATCH ids at a time."""
    columns = ", ".join(index.columns)
    statement = text(f"INSERT INTO {index.name} ({index.key}, bucket, document) "
                     f"SELECT id, id >> {BUCKET_BITS}, {index.name}_document({columns}) FROM {index.source.name} "
                     f"WHERE id > :start AND id <= :end "
                     f"ON CONFLICT ({index.key}) DO UPDATE SET document = excluded.document")
    last = db.session.scalar(text(f"SELECT coalesce(max(id), 0) FROM {index.source.name}"))
    for start in range(0, last, BATCH):
        db.session.execute(statement, {"start": start, "end": start + BATCH})
    return db.session.scalar(text(f"SELECT count(*) FROM {index.name}"))
