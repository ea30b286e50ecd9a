"""Mutes as SQL, for the lists that leave the muted out (the feed, popular, search, threads) and the
notifications they no longer send. Admins are never muted out of sight, even one promoted after the
mute: the subquery reads their role when the list is read."""

from sqlalchemy import and_, exists, or_, select

from ..auth.models import ADMIN, User
from .models import Mute

MUTES, USERS = Mute.__table__, User.__table__


def muted_by(viewer_id):
    """The ids of the non-admin accounts `viewer_id` (a bound parameter or column) mutes, as a subquery
    of its own (never correlated with the statement it sits in)."""
    # An alias, as the lists join `users` for their authors; a new one each time, as an alias builds its
    # columns on first use and one shared alias, first used by two threads at once, broke both statements.
    muted_user = USERS.alias("muted_user")
    return (select(MUTES.c.muted_id).join(muted_user, muted_user.c.id == MUTES.c.muted_id)
            .where(MUTES.c.user_id == viewer_id, muted_user.c.role != ADMIN).correlate(None))


def not_muted(author_id, viewer_id):
    """True for rows whose author `viewer_id` does not mute (rows without an author included)."""
    return or_(author_id.is_(None), author_id.not_in(muted_by(viewer_id)))


def mutes(recipient_id, sender_id):
    """Whether `recipient_id` mutes `sender_id` (both SQL values): a notification's condition."""
    return exists().where(and_(MUTES.c.user_id == recipient_id, MUTES.c.muted_id == sender_id))
