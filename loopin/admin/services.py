"""Changing a user's role or standing. Flushes; the caller's transaction commits."""

from sqlalchemy import or_, select

from ..auth.models import ADMIN, User
from ..auth.sessions import end_sessions
from ..core.extensions import db
from .audit import record_action
from .models import ACTIVATE_USER, DEACTIVATE_USER, SET_ROLE

LAST_ADMIN = "The last active admin cannot demote or deactivate themselves"


class LastAdmin(Exception):
    pass


def active_admin_ids():
    """Locked (FOR UPDATE on PostgreSQL), so two admins demoting each other at once cannot both win."""
    query = select(User.id).where(User.role == ADMIN, or_(User.is_active.is_(None), User.is_active.is_(True)))
    return set(db.session.scalars(query.with_for_update()).all())


def change_user(actor, target, role=None, is_active=None):
    """Set `target`'s role and/or standing, each change audited; deactivation ends every session at
    once (every process checks the database). Raises LastAdmin when the change would leave no active admin
    and the actor is removing themselves."""
    stops_being_admin = (role is not None and role != ADMIN) or is_active is False
    if actor is not None and actor.id == target.id and stops_being_admin and active_admin_ids() == {target.id}:
        raise LastAdmin()
    if role is not None and role != target.role:
        record_action(SET_ROLE, actor, "user", target.id, old=target.role, new=role)
        target.role = role
    if is_active is not None and is_active != target.can_sign_in:
        target.is_active = is_active
        if is_active:
            record_action(ACTIVATE_USER, actor, "user", target.id)
        else:
            end_sessions(target, None, "all")
            record_action(DEACTIVATE_USER, actor, "user", target.id)
    db.session.flush()


def find_users(role=None, text=None, skip=0, limit=20):
    """A page of users, newest first, optionally by role and by text over email, username and name."""
    query = select(User).order_by(User.id.desc()).offset(skip).limit(limit)
    if role:
        query = query.where(User.role == role)
    if text:
        pattern = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(*(db.func.lower(column).like(pattern, escape="\\")
                                  for column in (User.email, User.username, User.full_name))))
    return db.session.scalars(query).all()
