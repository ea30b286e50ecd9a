"""What an upgrade of the original's later database did, or (for `loopin check`) will do, as lines."""

from .later_schema import TABLES

SHOWN_RENAMES = 20


def describe_repairs(repairs, renames):
    if not repairs:
        yield "  nothing to repair"
    for kind, (rule, count) in repairs.items():
        yield f"  {kind}: {count} ({rule})"
    for rename in renames[:SHOWN_RENAMES]:
        yield f"    user {rename.user_id}: {rename.old if rename.old is not None else '(none)'} -> {rename.new}"
    if len(renames) > SHOWN_RENAMES:
        yield f"    ... and {len(renames) - SHOWN_RENAMES} more"


def describe(before, repairs, renames, after, folded, backup):
    """`folded`: (announcement rows of the original, one per recipient; Loopin's announcements)."""
    yield "Adopted the original's later database: every id kept, counters recomputed from the rows."
    for table in TABLES:
        yield f"  {table}: {before[table]} rows -> {after[table]}"
    yield f"  of the notifications, {folded[0]} announcement rows (one per recipient) -> {folded[1]} announcements"
    yield "Repairs:"
    yield from describe_repairs(repairs, renames)
    if backup:
        yield f"The database as it was: {backup}"
