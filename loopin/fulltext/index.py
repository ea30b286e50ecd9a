"""A feature's text index, and the newest matches of a query in it, ranked, in one statement.

Ranking every match costs what the matches cost: at a million posts a common pair of words matches ten
thousand, and reading ten thousand documents to rank them is 30 ms (bench/FINDINGS.md, "Search"). So a
search ranks the newest `limit` matches (RANKED_MATCHES for /search/): the work is bounded by what a
page can show, whatever the table holds.

- **PostgreSQL**: a side table per index (`post_search`: the row's id, its `bucket` = id >> 10 and its
  weighted `tsvector`), kept by a trigger on the source table, with one GIN index over (bucket,
  document) (btree_gin). The newest matches are looked for in windows of buckets, newest first: the
  last 1, 8 and 64 buckets (about 1,000, 8,000 and 65,000 rows), each an index scan that intersects the
  words' posting lists with the window's inside the index, then the rest of the table. A window runs
  only while the newer ones found too few, so a common word is answered from the newest rows and a
  rare one from the whole table (which then holds few matches).
- **SQLite**: an FTS5 table over the source's text columns (external content, kept by triggers); FTS5
  walks its matches newest (highest rowid) first and stops at the limit.

Ids grow as rows are written, so the highest ids are the newest rows; the answer's own order (rank, then
`created_at`) is the caller's."""

from dataclasses import dataclass

from sqlalchemy import Integer, bindparam, column, func, literal_column, select, table, union_all
from sqlalchemy.dialects.postgresql import TSVECTOR

BUCKET_BITS = 10  # a bucket is 1,024 consecutive ids
WINDOWS = (1, 8, 64)  # buckets, newest first; then the rest of the table
SEARCH = "search"  # the bound parameter carrying the query, in the database's own syntax (matching.py)


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


def newest_matches(index, dialect, limit, joined=lambda s: s, conditions=()):
    """A subquery of (id, rank) for the newest `limit` rows of the source that match the query bound as
    SEARCH and satisfy `conditions` (over the source and whatever `joined(select)` joins to it). rank
    grows with relevance: ts_rank_cd on PostgreSQL, minus bm25 on SQLite."""
    if dialect == "sqlite":
        return sqlite_matches(index, limit, joined, conditions)
    return postgresql_matches(index, limit, joined, conditions)


def sqlite_matches(index, limit, joined, conditions):
    fts = literal_column(index.name)
    rowid = literal_column(f"{index.name}.rowid")
    rank = -func.bm25(fts, *index.weights)
    statement = select(rowid.label("id"), rank.label("rank")).select_from(
        table(index.name).join(index.source, index.source.c.id == rowid))
    return (joined(statement).where(fts.op("MATCH")(bindparam(SEARCH)), *conditions)
            .order_by(rowid.desc()).limit(limit).subquery("matches"))


def postgresql_matches(index, limit, joined, conditions):
    side = index.side
    key = side.c[index.key]
    query = func.to_tsquery(literal_column(f"'{index.config}'::regconfig"), bindparam(SEARCH))
    newest = select(func.max(side.c.bucket)).scalar_subquery()

    def window(*bounds):
        found = select(key.label("id"), side.c.document).select_from(side.join(index.source, index.source.c.id == key))
        found = joined(found).where(side.c.document.op("@@")(query), *conditions, *bounds)
        return select(found.order_by(key.desc()).limit(limit).subquery())

    windows, upper = [], None
    for size in WINDOWS:
        lower = side.c.bucket > newest - size
        windows.append(window(lower) if upper is None else window(lower, upper))
        upper = side.c.bucket <= newest - size
    # The rest by id, not by bucket: the index then scans the words alone (a bucket range this wide
    # would make it read every bucket's list).
    windows.append(window(key < (newest - WINDOWS[-1] + 1) * (1 << BUCKET_BITS)))
    newest_first = union_all(*windows).subquery()
    found = select(newest_first).limit(limit).subquery()
    return select(found.c.id, func.ts_rank_cd(found.c.document, query).label("rank")).subquery("matches")
