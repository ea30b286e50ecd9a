"""`loopin check` on the original's later database: what it is, and what `loopin db upgrade` will do
with it (rows per table, repairs by kind, usernames renamed), read before anything changes."""

from ..core.preflight import Check
from .later_schema import announcement_rows, prefix, recognise, row_counts
from .repairs import count_repairs
from .report import describe_repairs
from .takeover import unbounded

FIX = ("back it up, stop the original, then run `loopin db upgrade` (docs/switching.md: "
       "'From the original's later version')")


def later_original_check(connection):
    recognition = recognise(connection)
    if not recognition.found:
        return None
    if recognition.missing:
        return Check("schema", "fail", "the original's later version's database, but missing "
                     f"{', '.join(recognition.missing)}", "restore its missing tables from a backup first")
    unbounded(connection)  # in the transaction recognise() began: counting a large board takes a while
    counts = row_counts(connection)
    repairs, renames, _tags = count_repairs(connection, prefix(in_place=True))
    lines = [", ".join(f"{count} {table}" for table, count in counts.items()),
             f"{announcement_rows(connection)} announcement rows (one per recipient) become one row per "
             "announcement, with each reader's read state",
             "`loopin db upgrade` will keep every id, recompute the counters and repair:",
             *describe_repairs(repairs, renames)]
    return Check("schema", "fail", "the original's later version's database (no migration history): "
                 + "\n       ".join(lines), FIX)
