"""Full-text search over posts, comments and people, kept by the database, and built for existing rows.

PostgreSQL: the text search configurations `loopin_search` (SEARCH_LANGUAGE, accents folded by unaccent
where the server has it) and `loopin_names` (no stemming, for usernames and names); one side table per
index (`post_search`, `comment_search`, `user_search`: the row's id, its bucket of 1,024 ids and its
weighted tsvector, with the beginnings of its words) with a GIN index over (bucket, document) from
btree_gin; the document functions, the query function, and triggers that keep each side table as its
rows are written. Existing rows are indexed in batches of
50,000, each reported. SQLite: FTS5 tables over the same columns (external content: the text is not
stored twice), kept by triggers, built by FTS5's `rebuild`.

A later migration that makes `posts`, `comments` or `users` again on SQLite (batch mode) drops their
triggers with the old table and must make them again (`loopin search reindex` rebuilds the contents).

Revision ID: 0020_search
Revises: 0019_join_department_since
Create Date: 2026-12-02
"""

import logging

import sqlalchemy as sa
from alembic import op
from flask import current_app

revision = "0020_search"
down_revision = "0019_join_department_since"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")
BATCH = 50_000

# index: (source table, key column, source columns, the PostgreSQL document, the FTS5 tokenizer)
INDEXES = {
    "post_search": ("posts", "post_id", ("title", "tags", "content"),
                    "setweight(to_tsvector('loopin_search', title), 'A') || "
                    "setweight(to_tsvector('loopin_search', coalesce(tags, '')), 'B') || "
                    "setweight(to_tsvector('loopin_search', content), 'C')",
                    "porter unicode61 remove_diacritics 2"),
    "comment_search": ("comments", "comment_id", ("content",),
                       "to_tsvector('loopin_search', content)",
                       "porter unicode61 remove_diacritics 2"),
    "user_search": ("users", "user_id", ("username", "full_name"),
                    "setweight(to_tsvector('loopin_names', coalesce(username, '')), 'A') || "
                    "setweight(to_tsvector('loopin_names', coalesce(full_name, '')), 'B')",
                    "unicode61 remove_diacritics 2"),
}


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        for name, (source, _key, columns, _document, tokenizer) in INDEXES.items():
            create_fts5(name, source, columns, tokenizer)
        return
    language = current_app.config["SEARCH_LANGUAGE"]
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    folds_accents = create_configurations(language)
    op.execute(PREFIXES)
    op.execute(SEARCH_QUERY)
    for name, (source, key, columns, document, _tokenizer) in INDEXES.items():
        create_side_table(name, source, key, columns, document)
    log.info("Search: language %s%s", language, "" if folds_accents else
             " (accents not folded: the unaccent extension is not available on this server)")


def downgrade():
    for name, (source, key, columns, _document, _tokenizer) in INDEXES.items():
        op.execute(f"DROP TABLE IF EXISTS {name}")
        for event in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}_{event}" + ("" if sqlite() else f" ON {source}"))
        if not sqlite():
            op.execute(f"DROP FUNCTION IF EXISTS {name}_row() CASCADE")
            op.execute(f"DROP FUNCTION IF EXISTS {name}_document({', '.join('text' for _ in columns)})")
    if not sqlite():
        op.execute("DROP FUNCTION IF EXISTS loopin_prefixes(tsvector)")
        op.execute("DROP FUNCTION IF EXISTS loopin_search_query(regconfig, text, text, text)")
        op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS loopin_search")
        op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS loopin_names")


def sqlite():
    return op.get_bind().dialect.name == "sqlite"


def create_fts5(name, source, columns, tokenizer):
    listed = ", ".join(columns)
    new = ", ".join(f"new.{column}" for column in columns)
    old = ", ".join(f"old.{column}" for column in columns)
    op.execute(f"CREATE VIRTUAL TABLE {name} USING fts5({listed}, content='{source}', content_rowid='id', "
               f"tokenize='{tokenizer}')")
    remove = f"INSERT INTO {name} ({name}, rowid, {listed}) VALUES ('delete', old.id, {old});"
    add = f"INSERT INTO {name} (rowid, {listed}) VALUES (new.id, {new});"
    op.execute(f"CREATE TRIGGER {name}_insert AFTER INSERT ON {source} BEGIN {add} END")
    op.execute(f"CREATE TRIGGER {name}_delete AFTER DELETE ON {source} BEGIN {remove} END")
    op.execute(f"CREATE TRIGGER {name}_update AFTER UPDATE OF {listed} ON {source} BEGIN {remove} {add} END")
    op.execute(f"INSERT INTO {name} ({name}) VALUES ('rebuild')")


def create_configurations(language):
    """`loopin_search` copies `language` with unaccent before its dictionaries, `loopin_names` copies
    `simple` likewise; True when unaccent was there to add."""
    bind = op.get_bind()
    if not bind.execute(sa.text("SELECT 1 FROM pg_ts_config WHERE cfgname = :name"), {"name": language}).first():
        raise RuntimeError(f"SEARCH_LANGUAGE={language}: this PostgreSQL server has no text search configuration "
                           "of that name (SELECT cfgname FROM pg_ts_config lists them)")
    available = bind.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'")).first()
    if available:
        op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    for configuration, copied in (("loopin_search", language), ("loopin_names", "simple")):
        op.execute(f"CREATE TEXT SEARCH CONFIGURATION {configuration} (COPY = pg_catalog.{copied})")
        op.execute(f"COMMENT ON TEXT SEARCH CONFIGURATION {configuration} IS '{copied}'")
        if available:
            dictionaries = bind.execute(sa.text(
                "SELECT string_agg(m.mapdict::regdictionary::text, ', ' ORDER BY m.mapseqno) "
                "FROM pg_ts_config_map AS m WHERE m.mapcfg = CAST(:name AS regconfig) "
                "AND m.maptokentype = (SELECT tokid FROM ts_token_type('default') WHERE alias = 'word')"),
                {"name": copied}).scalar()
            op.execute(f"ALTER TEXT SEARCH CONFIGURATION {configuration} ALTER MAPPING FOR word, hword, hword_part "
                       f"WITH unaccent, {dictionaries}")
    return bool(available)


# The beginnings (1 to 10 characters) of a document's words, as words of their own marked by "~": a word
# being typed is then found by an index lookup that skips through its list like any word's, instead of
# PostgreSQL's prefix match (`'exa':*`), which reads the list of every word that begins so, whatever
# the window searched (10 ms for "exam" at a million posts: bench/FINDINGS.md, "Search").
PREFIXES = """
    CREATE FUNCTION loopin_prefixes(document tsvector) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(array_to_tsvector(array_agg(DISTINCT '~' || left(word, n))), ''::tsvector)
        FROM unnest(tsvector_to_array(document)) AS word, generate_series(1, least(length(word), 10)) AS n
    $$"""
# The query the index is asked: `words` and `alternatives` in to_tsquery's syntax, and `prefix` (a word
# being typed, in an OR with the alternatives) as its "~" beginning; a longer one than the beginnings
# kept is PostgreSQL's prefix match. Constant arguments: the planner computes it once, before the scan.
SEARCH_QUERY = """
    CREATE FUNCTION loopin_search_query(config regconfig, words text, alternatives text, prefix text)
    RETURNS tsquery LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
    DECLARE
        found tsquery := CASE WHEN words = '' THEN NULL ELSE to_tsquery(config, words) END;
        typed tsquery;
        beginning text;
    BEGIN
        IF prefix = '' THEN
            RETURN found;
        END IF;
        beginning := (tsvector_to_array(to_tsvector(config, prefix)))[1];
        typed := CASE WHEN beginning IS NULL THEN NULL
                      WHEN length(beginning) <= 10 THEN quote_literal('~' || beginning)::tsquery
                      ELSE (quote_literal(beginning) || ':*')::tsquery END;
        IF alternatives <> '' THEN
            typed := CASE WHEN typed IS NULL THEN to_tsquery(config, alternatives)
                          ELSE typed || to_tsquery(config, alternatives) END;
        END IF;
        RETURN CASE WHEN found IS NULL THEN typed WHEN typed IS NULL THEN found ELSE found && typed END;
    END $$"""


def create_side_table(name, source, key, columns, document):
    arguments = ", ".join(f"{column} text" for column in columns)
    values = ", ".join(f"new.{column}" for column in columns)
    listed = ", ".join(columns)
    op.execute(f"CREATE FUNCTION {name}_document({arguments}) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE "
               f"AS $$ SELECT words || loopin_prefixes(words) FROM (SELECT {document}) AS made (words) $$")
    op.execute(f"CREATE TABLE {name} ({key} integer PRIMARY KEY REFERENCES {source} (id) ON DELETE CASCADE, "
               "bucket integer NOT NULL, document tsvector NOT NULL)")
    op.execute(f"CREATE INDEX ix_{name} ON {name} USING gin (bucket, document)")
    op.execute(f"""
        CREATE FUNCTION {name}_row() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO {name} ({key}, bucket, document) VALUES (new.id, new.id >> 10, {name}_document({values}))
            ON CONFLICT ({key}) DO UPDATE SET document = excluded.document;
            RETURN NULL;
        END $$""")
    op.execute(f"CREATE TRIGGER {name}_insert AFTER INSERT ON {source} FOR EACH ROW EXECUTE FUNCTION {name}_row()")
    op.execute(f"CREATE TRIGGER {name}_update AFTER UPDATE OF {listed} ON {source} FOR EACH ROW "
               f"EXECUTE FUNCTION {name}_row()")
    bind = op.get_bind()
    last = bind.execute(sa.text(f"SELECT coalesce(max(id), 0) FROM {source}")).scalar()
    for start in range(0, last, BATCH):
        bind.execute(sa.text(f"INSERT INTO {name} ({key}, bucket, document) "
                             f"SELECT id, id >> 10, {name}_document({listed}) FROM {source} "
                             f"WHERE id > :start AND id <= :end ON CONFLICT DO NOTHING"),
                     {"start": start, "end": start + BATCH})
        log.info("Search index: %s, ids up to %s of %s", source, f"{min(start + BATCH, last):,}", f"{last:,}")
    bind.execute(sa.text(f"ANALYZE {name}"))
