"""Mutes as SQL, for the lists that leave the muted out (the feed, popular, search, threads) and the
notifications they no longer send. Admins are never muted out of sight, even one promoted after the
mute: the subquery reads their role when the list is read."""

from sqlalchemy import and_, exists, or_, select

from ..auth.models import ADMIN, User
from .models import Mute

MUTES = Mute.__table__
MUTED_USERS = User.__table__.alias("muted_user")  # an alias: the lists join `users` for their authors


def muted_by(viewer_id):
    """The ids of the non-admin accounts `viewer_id` (a bound parameter or column) mutes, as a subquery
    of its own (never correlated with the statement it sits in)."""
    return (select(MUTES.c.muted_id).join(MUTED_USERS, MUTED_USERS.c.id == MUTES.c.muted_id)
            .where(MUTES.c.user_id == viewer_id, MUTED_USERS.c.role != ADMIN).correlate(None))


def not_muted(author_id, viewer_id):
    """True for rows whose author `viewer_id` does not mute (rows without an author included)."""
    return or_(author_id.is_(None), author_id.not_in(muted_by(viewer_id)))


def mutes(recipient_id, sender_id):
    """Whether `recipient_id` mutes `sender_id` (both SQL values): a notification's condition."""
    return exists().where(and_(MUTES.c.user_id == recipient_id, MUTES.c.muted_id == sender_id))
