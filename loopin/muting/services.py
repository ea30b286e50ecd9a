"""Muting and unmuting. Services only flush; the view's transaction() commits."""

from sqlalchemy import delete, func, select

from ..auth.models import ADMIN, User
from ..core.database import insert_or_merge
from ..core.extensions import db
from .models import Mute

MAX_MUTES = 500  # per account: every list a muter reads carries the set
USERS, MUTES = User.__table__, Mute.__table__
MUTED_COLUMNS = [USERS.c.id, USERS.c.username, USERS.c.full_name, USERS.c.profile_photo_url, USERS.c.role,
                 MUTES.c.created_at.label("muted_at")]
NOT_FOUND = "User not found"
SELF = "You cannot mute yourself"
ADMIN_REFUSED = "Admins cannot be muted"
TOO_MANY = f"You can mute at most {MAX_MUTES} accounts; unmute someone first"


class MuteRefused(Exception):
    def __init__(self, status, detail):
        super().__init__(detail)
        self.status, self.detail = status, detail


def account_named(username):
    """The active account of that username (any letter case), or MuteRefused 404."""
    user = db.session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    if user is None or not user.can_sign_in:
        raise MuteRefused(404, NOT_FOUND)
    return user


def mute(muter, username):
    """`muter` mutes the account; muting it again changes nothing. The muted account's row."""
    target = account_named(username)
    if target.id == muter.id:
        raise MuteRefused(422, SELF)
    if target.role == ADMIN:
        raise MuteRefused(422, ADMIN_REFUSED)
    count = db.session.scalar(select(func.count()).select_from(MUTES).where(MUTES.c.user_id == muter.id))
    if count >= MAX_MUTES:
        raise MuteRefused(422, TOO_MANY)
    db.session.execute(insert_or_merge(MUTES).values(user_id=muter.id, muted_id=target.id).on_conflict_do_nothing())
    return muted_row(muter, target.id)


def unmute(muter, username):
    target = account_named(username)
    db.session.execute(delete(Mute).where(Mute.user_id == muter.id, Mute.muted_id == target.id))


def muted_row(muter, muted_id):
    return db.session.execute(select(*MUTED_COLUMNS).join_from(MUTES, USERS, USERS.c.id == MUTES.c.muted_id)
                              .where(MUTES.c.user_id == muter.id, MUTES.c.muted_id == muted_id)).first()


def muted_list(muter, skip, limit):
    """One statement per page, the latest muted first."""
    return db.session.execute(select(*MUTED_COLUMNS).join_from(MUTES, USERS, USERS.c.id == MUTES.c.muted_id)
                              .where(MUTES.c.user_id == muter.id)
                              .order_by(MUTES.c.created_at.desc(), MUTES.c.muted_id.desc())
                              .offset(skip).limit(limit)).all()
