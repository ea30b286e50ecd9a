"""Time in one place: aware UTC everywhere, whatever the database hands back."""

from datetime import datetime, timezone


def utcnow():
    return datetime.now(timezone.utc)


def as_utc(moment):
    """SQLite returns timestamps without a zone (they are UTC); PostgreSQL's timestamptz has one."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=timezone.utc)
