"""Time in one place: aware UTC everywhere, whatever the database hands back."""

from datetime import datetime, timezone


def utcnow():
    return datetime.now(timezone.utc)


def as_utc(moment):
    """SQLite returns timestamps without a zone (they are UTC); PostgreSQL's timestamptz has one, which
    is UTC on Loopin's connections (core/database.py) and made so here if it is not."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        return moment.astimezone(timezone.utc)
    return moment.replace(tzinfo=timezone.utc)
