"""Changing a user's role or standing. Flushes; the caller's transaction commits."""

from sqlalchemy import or_, select

from ..audit.trail import record_action
from ..auth.admins import LastActiveAdmin, is_last_active_admin
from ..auth.models import ADMIN, User
from ..auth.sessions import end_sessions
from ..core.extensions import db

# Audit actions (docs/api.md lists them).
SET_ROLE, DEACTIVATE_USER, ACTIVATE_USER = "SET_ROLE", "DEACTIVATE_USER", "ACTIVATE_USER"
LAST_ADMIN = "The last active admin cannot demote or deactivate themselves"


def change_user(actor, target, role=None, is_active=None):
    """Set `target`'s role and/or standing, each change audited; deactivation ends every session at
    once (every process checks the database). Raises LastActiveAdmin when an admin would remove
    themselves as the last active admin (the command line, acting as nobody, may)."""
    stops_being_admin = (role is not None and role != ADMIN) or is_active is False
    if actor is not None and actor.id == target.id and stops_being_admin and is_last_active_admin(target):
        raise LastActiveAdmin()
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
