"""The rule that keeps someone in charge: the last active admin may not stop being one. Administration
(demoting or deactivating yourself) and account deletion both ask it."""

from sqlalchemy import or_, select

from ..core.extensions import db
from .models import ADMIN, User


class LastActiveAdmin(Exception):
    """The change would leave no active admin."""


def active_admin_ids():
    """Locked (FOR UPDATE on PostgreSQL), so two admins removing each other at once cannot both win."""
    query = select(User.id).where(User.role == ADMIN, or_(User.is_active.is_(None), User.is_active.is_(True)))
    return set(db.session.scalars(query.with_for_update()).all())


def is_last_active_admin(user):
    return user.role == ADMIN and user.can_sign_in and active_admin_ids() == {user.id}


def author_or_admin(author_id, caller):
    """Whether `caller` may change what `author_id` wrote (delete, edit, read its earlier versions)."""
    return author_id == caller.user.id or caller.user.role == ADMIN
