"""A feature's text index, and the newest matches of a query in it, ranked, in one statement.

Ranking every match costs what the matches cost: at a million posts a common pair of words matches ten
thousand, and reading ten thousand documents to rank them is 30 ms (bench/FINDINGS.md, "Search"). So a
search ranks the newest `limit` matches (RANKED_MATCHES for /search/): the work is bounded by what a
page can show, whatever the table holds.

- **PostgreSQL**: a side table per index (`post_search`: the row's id, its `bucket` = id >> 10 and its
  weighted `tsvector` with the beginnings of its words, so that a word being typed is an index lookup:
  migration 0020), kept by a trigger on the source table, with one GIN index over (bucket, document)
  (btree_gin). The newest matches are looked for in windows of buckets, newest first: the
  last 4 and 32 buckets (about 4,000 and 33,000 rows), each an index scan that intersects the words'
  posting lists with the window's inside the index, then the rest of the table. A window runs only
  while the newer ones found too few, so a common word is answered from the newest rows and a rare
  one from the whole table (which then holds few matches).
- **SQLite**: an FTS5 table over the source's text columns (external content, kept by triggers); FTS5
  walks its matches newest (highest rowid) first and stops at the limit.

Ids grow as rows are written, so the highest ids are the newest rows, and "then newest" among equal
ranks is the higher id (page_of)."""

from dataclasses import dataclass

from sqlalchemy import Integer, bindparam, column, func, literal_column, select, table, union_all
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR

from .matching import query_text, tsquery_parts

BUCKET_BITS = 10  # a bucket is 1,024 consecutive ids
# Buckets, newest first, then the rest of the table: 4,096 and 32,768 rows. A window's index scan reads
# each of its buckets' lists (about 50 ns a row), so windows stay small; the eightfold step bounds what
# the last one fetches to eight times what was asked.
WINDOWS = (4, 32)
SEARCH = "search"  # the bound parameter carrying the query, in the database's own syntax (matching.py)
NEWEST = "newest_bucket"  # PostgreSQL: the newest bucket, read first (match_values)
# PostgreSQL: what finds a match (matching.tsquery_parts); SEARCH then ranks it.
FINDING = ("search_words", "search_alternatives", "search_prefix")


@dataclass(frozen=True)
class TextIndex:
    """What one feature makes searchable. `columns` are the source's text columns, most telling first;
    PostgreSQL weighs them A, B, C (the document function the migration defines), SQLite's bm25 by
    `weights`. `config` is the PostgreSQL text search configuration; `stemmed` says whether it stems
    (names are matched as written)."""

    name: str
    source: object  # the source Table
    key: str  # the side table's column that names the source row (PostgreSQL)
    columns: tuple[str, ...]
    weights: tuple[float, ...]
    config: str
    stemmed: bool = True

    @property
    def side(self):
        return table(self.name, column(self.key, Integer), column("bucket", Integer), column("document", TSVECTOR))


def match_values(index, query, session):
    """The bound values newest_matches' statement needs for `query` (a TextQuery). On PostgreSQL the
    newest bucket is read first, from the key's own index (one step down its right edge): sent as a
    value, the planner sees how few rows a window holds and scans it by the GIN index (as a subquery,
    it guessed a third of the table and walked the key's index instead, reading every row)."""
    dialect = session.get_bind().dialect.name
    values = {SEARCH: query_text(query, dialect)}
    if dialect != "sqlite":
        values.update(zip(FINDING, tsquery_parts(query)))
        side = index.side
        values[NEWEST] = session.scalar(select(func.max(side.c[index.key]).op(">>")(BUCKET_BITS))) or 0
    return values


def newest_matches(index, dialect, limit, conditions=(), joined=lambda statement: statement):
    """A subquery of (id, rank) for the newest `limit` rows of the source that match the query and
    satisfy `conditions` (over the source and whatever `joined(select)` joins to it), its values from
    match_values. rank grows with relevance: ts_rank_cd on PostgreSQL, minus bm25 on SQLite. The
    source is joined only when there are conditions."""
    if dialect == "sqlite":
        return sqlite_matches(index, limit, conditions, joined)
    return postgresql_matches(index, limit, conditions, joined)


def page_of(found, ranked):
    """A page (bound `skip`, `limit`) of newest_matches' rows, best first then newest (`ranked`), or
    newest first: paged before the caller joins what it shows, so only the page's rows are read."""
    order = (found.c.rank.desc(), found.c.id.desc()) if ranked else (found.c.id.desc(),)
    return select(found).order_by(*order).offset(bindparam("skip")).limit(bindparam("limit")).subquery("page")


def with_source(statement, index, key, conditions, joined):
    if not conditions:
        return statement
    return joined(statement.join(index.source, index.source.c.id == key)).where(*conditions)


def sqlite_matches(index, limit, conditions, joined):
    fts = literal_column(index.name)
    rowid = literal_column(f"{index.name}.rowid")
    rank = -func.bm25(fts, *index.weights)
    statement = select(rowid.label("id"), rank.label("rank")).select_from(table(index.name))
    statement = with_source(statement, index, rowid, conditions, joined).where(fts.op("MATCH")(bindparam(SEARCH)))
    return statement.order_by(rowid.desc()).limit(limit).subquery("matches")


def postgresql_matches(index, limit, conditions, joined):
    side = index.side
    key = side.c[index.key]
    config = literal_column(f"'{index.config}'::regconfig")
    query = func.to_tsquery(config, bindparam(SEARCH))
    finding = func.loopin_search_query(config, *map(bindparam, FINDING), type_=TSQUERY)
    newest = bindparam(NEWEST)

    def window(*bounds):
        found = select(key.label("id"), side.c.document).select_from(side)
        found = with_source(found, index, key, conditions, joined).where(side.c.document.op("@@")(finding), *bounds)
        # Newest first by `key + 0`, which no index gives: ordered by the key itself, the planner may walk
        # the key's index backwards testing every row for the words (it guesses a rare word common).
        return select(found.order_by((key + 0).desc()).limit(limit).subquery())

    def first_id(bucket):
        return (bucket + 1).op("<<")(BUCKET_BITS)

    # A window's lower bound is an index condition (the buckets from there up); its upper bound, the
    # newer windows' first id, a filter on what the index found: as an index condition, `bucket <= n`
    # would read every older bucket's list. The rest is found by its words alone, for the same reason.
    windows, upper = [], None
    for size in WINDOWS:
        lower = side.c.bucket > newest - size
        windows.append(window(lower) if upper is None else window(lower, key < upper))
        upper = first_id(newest - size)
    windows.append(window(key < upper))
    newest_first = union_all(*windows).subquery()
    found = select(newest_first).limit(limit).subquery()
    return select(found.c.id, func.ts_rank_cd(found.c.document, query).label("rank")).subquery("matches")
