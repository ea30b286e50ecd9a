"""Changing a profile. Flushes; the caller's transaction commits."""

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..auth.models import ADMIN, User
from ..auth.tokens import VERIFIED_ADDRESS
from ..core.extensions import db

USERNAME_TAKEN = "Username already taken"
ENROLLMENT_TAKEN = "Enrollment number already registered"
ENROLLMENT_LOCKED = "The enrollment number is set; only an admin can change it"


class ProfileRefused(Exception):
    def __init__(self, status, detail):
        super().__init__(detail)
        self.status, self.detail = status, detail


def taken(column, value, user):
    return db.session.scalar(select(User.id).where(column == value, User.id != user.id).limit(1)) is not None


def username_taken(username, user):
    """Another account has this username in any letter case."""
    return taken(func.lower(User.username), username.lower(), user)


def update_profile(user, changes, acting_role):
    """Apply `changes` (field -> value; "" clears) to `user`; raises ProfileRefused (400 or 403).

    An enrollment number names one student whatever its letter case (`E-001` is `e-001`), and while
    addresses must be verified (EMAIL_VERIFICATION=required) only an account with a verified address
    claims one: an account made with someone else's address cannot take their number."""
    enrollment = changes.get("enrollment_number")
    if enrollment is not None and user.enrollment_number and enrollment != user.enrollment_number \
            and acting_role != ADMIN:
        raise ProfileRefused(403, ENROLLMENT_LOCKED)
    if enrollment and acting_role != ADMIN and not user.email_verified \
            and current_app.config["EMAIL_VERIFICATION"] == "required":
        raise ProfileRefused(403, VERIFIED_ADDRESS.refusal)
    if changes.get("username") and username_taken(changes["username"], user):
        raise ProfileRefused(400, USERNAME_TAKEN)
    if enrollment and taken(func.lower(User.enrollment_number), enrollment.lower(), user):
        raise ProfileRefused(400, ENROLLMENT_TAKEN)
    department = changes.get("department")
    if department is not None and (department or "").lower() != (user.department or "").lower():
        # What was announced to the new department before is not theirs. The database's clock, as the
        # announcements' created_at (SQLite's has whole seconds: Python's would hide this second's).
        user.department_since = func.now()
    for field, value in changes.items():
        setattr(user, field, value or None)
    try:
        db.session.flush()
    except IntegrityError as error:
        # A concurrent request took it between the check and the write: the unique index decides.
        raise ProfileRefused(400, USERNAME_TAKEN if "username" in str(error.orig) else ENROLLMENT_TAKEN) from None
