"""Retention: notifications (events and announcements) older than a cutoff are deleted in batches, each
its own transaction, so a purge of millions never holds one long lock or one huge transaction."""

from sqlalchemy import delete, select

from ..core.database import transaction
from ..core.extensions import db
from .models import Notification

BATCH = 5_000


def purge_notifications(cutoff):
    """How many were deleted. Read marks go with their announcements (ON DELETE CASCADE)."""
    deleted = 0
    while True:
        with transaction():
            batch = select(Notification.id).where(Notification.created_at < cutoff).limit(BATCH)
            removed = db.session.execute(delete(Notification).where(Notification.id.in_(batch.scalar_subquery())))
        deleted += removed.rowcount
        if removed.rowcount < BATCH:
            return deleted
