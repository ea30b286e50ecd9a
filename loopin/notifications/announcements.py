"""Announcements: one row whatever the audience, so sending one costs the same for ten users or a
hundred thousand; the readers' inboxes find it (audience.reaches_reader)."""

from sqlalchemy import insert

from ..audit.trail import record_action
from ..core.extensions import db
from .audience import audience_size, lowered_department
from .models import ANNOUNCEMENT, Notification

ANNOUNCE = "ANNOUNCE"  # audit action (docs/api.md lists them)


def announce(sender, announcement):
    """Send it, audited; how many users it reaches."""
    department = announcement.department
    statement = insert(Notification).values(
        user_id=None, type=ANNOUNCEMENT, title=announcement.title, message=announcement.message, sender_id=sender.id,
        audience_key=lowered_department(department) if department is not None else None).returning(Notification.id)
    notification_id = db.session.execute(statement).scalar_one()
    count = audience_size(sender, department)
    record_action(ANNOUNCE, sender, "announcement", notification_id, department=department, count=count)
    return count
