"""A user's inbox: their own events and the announcements that reach them, newest first, with what
they have read. Every read is one statement whatever the page size or the number of announcements'
recipients; marking is one or two set-based statements."""

from functools import cache

from sqlalchemy import bindparam, case, delete, exists, false, func, or_, select, union_all, update

from ..auth.models import User
from ..core.database import insert_or_merge
from ..core.extensions import db
from ..web.params import MAX_ROW_ID
from .audience import NOTIFICATIONS, bound_reader, reaches, reader_values, row_reader
from .models import NotificationCursor, NotificationRead

USERS, READS, CURSORS = User.__table__, NotificationRead.__table__, NotificationCursor.__table__
SENDER_COLUMNS = [USERS.c.full_name.label("sender_full_name"), USERS.c.username.label("sender_username"),
                  USERS.c.profile_photo_url.label("sender_profile_photo_url")]


def announcement_read(reader):
    """An announcement is read by the reader when it lies under their cursor or they marked it. (The
    reader may be the users row of an outer statement, two levels up: correlate_except says so.)"""
    cursor = (select(CURSORS.c.read_through).where(CURSORS.c.user_id == reader.id).correlate_except(CURSORS)
              .scalar_subquery())
    marked = exists().where(READS.c.user_id == reader.id, READS.c.notification_id == NOTIFICATIONS.c.id) \
        .correlate_except(READS)
    return or_(NOTIFICATIONS.c.id <= func.coalesce(cursor, 0), marked)


def newest(condition):
    """The newest ids below `before` (the cursor's id; past every id from the start), at most `end`."""
    end, before = bindparam("end"), bindparam("before")
    return select(select(NOTIFICATIONS.c.id).where(condition, NOTIFICATIONS.c.id < before)
                  .order_by(NOTIFICATIONS.c.id.desc()).limit(end).subquery())


@cache
def inbox_statement():
    """A page of the reader's events and announcements: each half is an index-ordered scan cut at skip +
    limit (like the feed), then the page's rows with their senders and read state, one statement."""
    reader = bound_reader()
    both = union_all(newest(NOTIFICATIONS.c.user_id == reader.id), newest(reaches(reader))).subquery()
    page = (select(both.c.id).order_by(both.c.id.desc()).offset(bindparam("skip")).limit(bindparam("limit"))
            .subquery())
    is_read = case((NOTIFICATIONS.c.user_id.is_(None), announcement_read(reader)), else_=NOTIFICATIONS.c.is_read)
    joined = NOTIFICATIONS.join(page, page.c.id == NOTIFICATIONS.c.id).outerjoin(
        USERS, USERS.c.id == NOTIFICATIONS.c.sender_id)
    return (select(*NOTIFICATIONS.c, is_read.label("read"), *SENDER_COLUMNS).select_from(joined)
            .order_by(NOTIFICATIONS.c.id.desc()))


def inbox(user, skip, limit, before=MAX_ROW_ID + 1):
    values = {**reader_values(user), "end": skip + limit, "skip": skip, "limit": limit, "before": before}
    return db.session.execute(inbox_statement(), values).all()


def unread_expression(reader, dialect):
    """How many of the reader's notifications are unread, as one SQL expression: unread events (a
    partial index holds only those) plus unread announcements that reach them (the few above their
    cursor). PostgreSQL computes the same in a function (migrations 0009, 0019), whose plans it keeps per
    connection: planning was most of a poll's database time."""
    if dialect == "postgresql":
        return func.loopin_unread_count(reader.id, reader.department, reader.joined, reader.department_since)
    events = select(func.count()).where(NOTIFICATIONS.c.user_id == reader.id, NOTIFICATIONS.c.is_read == false())
    announcements = select(func.count()).where(reaches(reader), ~announcement_read(reader))
    return events.scalar_subquery() + announcements.scalar_subquery()


def callers_unread(dialect):
    """The caller's unread count, computed in the statement that looks the caller up (`caller_extra`):
    a poll costs the round trip of /auth/me and no other."""
    return unread_expression(row_reader(), dialect)


def mark_read(user, notification_id):
    """Whether the notification is the user's (their event, or an announcement that reaches them); it
    is read from now on. Marking one already read changes nothing."""
    own = update(NOTIFICATIONS).where(NOTIFICATIONS.c.id == notification_id, NOTIFICATIONS.c.user_id == user.id)
    if db.session.execute(own.values(is_read=True)).rowcount:
        return True
    found = select(NOTIFICATIONS.c.id).where(NOTIFICATIONS.c.id == notification_id, reaches(bound_reader()))
    if db.session.scalar(found, reader_values(user)) is None:
        return False
    db.session.execute(insert_or_merge(READS).values(user_id=user.id, notification_id=notification_id)
                       .on_conflict_do_nothing())
    return True


def mark_all_read(user):
    """Every event read, and the cursor moved past the newest announcement: what reaches the user later
    is unread. The marks the cursor now covers are dropped."""
    db.session.execute(update(NOTIFICATIONS).where(NOTIFICATIONS.c.user_id == user.id,
                                                   NOTIFICATIONS.c.is_read == false()).values(is_read=True))
    newest_announcement = db.session.scalar(select(func.max(NOTIFICATIONS.c.id))
                                            .where(NOTIFICATIONS.c.user_id.is_(None)))
    if newest_announcement is None:
        return
    cursor = insert_or_merge(CURSORS).values(user_id=user.id, read_through=newest_announcement)
    db.session.execute(cursor.on_conflict_do_update(index_elements=[CURSORS.c.user_id],
                                                    set_={"read_through": cursor.excluded.read_through}))
    db.session.execute(delete(READS).where(READS.c.user_id == user.id,
                                           READS.c.notification_id <= newest_announcement))
