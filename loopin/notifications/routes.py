"""Notification endpoints: the caller's inbox, its unread count (poll it; ETag and 304 make polling
cheap for both sides), marking read, and announcements by faculty and admins."""

from ..auth.models import ADMIN, FACULTY
from ..auth.tokens import VERIFIED_ADDRESS
from ..core.database import transaction
from ..web.api import endpoint
from ..web.cursors import offer_next
from ..web.errors import error_response
from ..web.validation import parse_query
from .announcements import announce
from .blueprint import bp
from .inbox import callers_unread, inbox, mark_all_read, mark_read
from .schemas import AnnouncementIn, AnnouncementQuery, Done, Inbox, InboxPage, NotificationId, Sent, UnreadCount
from .views import notifications_out

NOT_FOUND = "Notification not found"


@bp.get("/", strict_slashes=False)
@endpoint(query=InboxPage, ok=Inbox, auth=True, etag=True, tags=["notifications"])
def list_notifications(query, caller):
    """Your notifications and the announcements that reach you, newest first."""
    rows = inbox(caller.user, query.skip, query.limit, *(query.cursor or ()))
    offer_next(rows, query.limit, lambda row: (row.id,))
    return notifications_out(rows)


@bp.get("/unread-count")
@endpoint(ok=UnreadCount, auth=True, etag=True, caller_extra=callers_unread, tags=["notifications"])
def count_unread(caller):
    """How many of them you have not read: poll this (send If-None-Match to get 304 while it stands)."""
    return UnreadCount(count=caller.extra)


@bp.put("/<notification_id>/read")
@endpoint(path=NotificationId, ok=Done, auth=True, tags=["notifications"], errors={404: NOT_FOUND})
def read_one(path, caller):
    with transaction():
        found = mark_read(caller.user, path.notification_id)
    if not found:
        return error_response(404, NOT_FOUND)
    return Done()


@bp.put("/read-all")
@endpoint(ok=Done, auth=True, tags=["notifications"])
def read_all(caller):
    """Mark everything read, announcements included."""
    with transaction():
        mark_all_read(caller.user)
    return Done()


@bp.post("/announcement")
@endpoint(body=AnnouncementIn, body_optional=True, query=AnnouncementQuery, ok=Sent,
          roles=[FACULTY, ADMIN], requires=[VERIFIED_ADDRESS], tags=["notifications"])
def send_announcement(body, query, caller):
    """Announce to everyone, or to one `department` (any letter case). `title` and `message` as JSON, or
    as query parameters like the original. Audited; `count` is how many users it reaches."""
    announcement = body if body is not None else parse_query(AnnouncementIn)
    with transaction():
        count = announce(caller.user, announcement)
    return Sent(count=count)
