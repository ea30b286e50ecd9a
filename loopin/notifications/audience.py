"""Who an announcement reaches: every active user, or those of one department (any letter case), but
never its sender; and only users who had joined when it was made, as if it had been delivered then.
A department's announcement reaches those who were in that department when it was sent: a student who
moves into it later (`users.department_since`) does not read what was said there before.
Departments are compared by the database's lower(), the same function the audience triggers use, so
the count an announcement answers and the inboxes it shows up in agree."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, case, func, or_, select

from ..auth.models import User
from ..core.extensions import db
from .models import AudienceSize, Notification

NOTIFICATIONS, SIZES = Notification.__table__, AudienceSize.__table__


def lowered_department(department):
    """lower(coalesce(department, '')) in SQL: the key audience_sizes and announcements use."""
    return func.lower(func.coalesce(department, ""))


@dataclass(frozen=True)
class Reader:
    """The reader of an inbox as SQL: their id, department, when they joined, and since when they have
    been in their department (NULL: since they joined)."""

    id: Any
    department: Any
    joined: Any
    department_since: Any


def bound_reader():
    """The reader as bound parameters (`reader_values`), for a statement of its own."""
    def own(column):
        return select(column).where(User.id == bindparam("reader")).correlate(None).scalar_subquery()

    return Reader(bindparam("reader"), bindparam("reader_department"), own(User.created_at),
                  own(User.department_since))


def row_reader():
    """The reader as the columns of the users row a statement reads (the caller's own lookup)."""
    return Reader(User.id, User.department, User.created_at, User.department_since)


def reader_values(user):
    return {"reader": user.id, "reader_department": user.department}


def reaches(reader):
    """The announcements `reader` may see."""
    in_department_then = and_(NOTIFICATIONS.c.audience_key == lowered_department(reader.department),
                              or_(reader.department_since.is_(None),
                                  NOTIFICATIONS.c.created_at >= reader.department_since))
    return and_(NOTIFICATIONS.c.user_id.is_(None),
                or_(NOTIFICATIONS.c.audience_key.is_(None), in_department_then),
                NOTIFICATIONS.c.created_at >= reader.joined,
                or_(NOTIFICATIONS.c.sender_id.is_(None), NOTIFICATIONS.c.sender_id != reader.id))


def audience_size(sender, department):
    """How many active users an announcement to `department` (None: everyone) reaches now, its sender
    aside: one row (or a sum over the departments) of the counts the triggers keep."""
    wanted = lowered_department(bindparam("department", department))
    members = select(func.coalesce(func.sum(SIZES.c.members), 0))
    if department is not None:
        members = members.where(SIZES.c.department_key == wanted)
        sender_in = case((lowered_department(bindparam("sender_department", sender.department)) == wanted, 1), else_=0)
    else:
        sender_in = 1
    count, sender_counted = db.session.execute(select(members.scalar_subquery(), sender_in)).one()
    return max(count - sender_counted, 0)
