"""Who an announcement reaches: every active user, or those of one department (any letter case), but
never its sender; and only users who had joined when it was made, as if it had been delivered then.
Departments are compared by the database's lower(), the same function the audience triggers use, so
the count an announcement answers and the inboxes it shows up in agree."""

from sqlalchemy import and_, bindparam, case, func, or_, select

from ..auth.models import User
from ..core.extensions import db
from .models import AudienceSize, Notification

NOTIFICATIONS, SIZES = Notification.__table__, AudienceSize.__table__


def department_key(department):
    return func.lower(func.coalesce(department, ""))


def reaches_reader():
    """The announcements the user bound as `reader` may see (bound: `reader`, `reader_department`)."""
    joined = select(User.created_at).where(User.id == bindparam("reader")).scalar_subquery()
    return and_(NOTIFICATIONS.c.user_id.is_(None),
                or_(NOTIFICATIONS.c.audience_key.is_(None),
                    NOTIFICATIONS.c.audience_key == department_key(bindparam("reader_department"))),
                NOTIFICATIONS.c.created_at >= joined,
                or_(NOTIFICATIONS.c.sender_id.is_(None), NOTIFICATIONS.c.sender_id != bindparam("reader")))


def reader_values(user):
    return {"reader": user.id, "reader_department": user.department}


def audience_size(sender, department):
    """How many active users an announcement to `department` (None: everyone) reaches now, its sender
    aside: one row (or a sum over the departments) of the counts the triggers keep."""
    wanted = department_key(bindparam("department", department))
    members = select(func.coalesce(func.sum(SIZES.c.members), 0))
    if department is not None:
        members = members.where(SIZES.c.department_key == wanted)
        sender_in = case((department_key(bindparam("sender_department", sender.department)) == wanted, 1), else_=0)
    else:
        sender_in = 1
    count, sender_counted = db.session.execute(select(members.scalar_subquery(), sender_in)).one()
    return max(count - sender_counted, 0)
