"""Votes and reactions as toggles with exact counters under concurrency: the target's row is locked
first (Target.lock), so toggles on one target run one after another, and every change moves the
counters in the same transaction. The unique indexes stay as the last word."""

from functools import cache

from sqlalchemy import bindparam, case, delete, func, insert, select, update

from ..core.extensions import db
from ..notifications.events import notify_upvote
from .models import Reaction, Vote
from .targets import target


def target_column(model, kind):
    return model.post_id if kind == "post" else model.comment_id


def toggle_vote(user, kind, target_id, vote_type):
    """(status, upvotes, downvotes), or None when there is no such target. The same vote again removes
    it, the opposite switches it."""
    voted_on = target(kind)
    row = voted_on.lock(target_id)
    if row is None:
        return None
    column = target_column(Vote, kind)
    mine = (Vote.user_id == user.id, column == target_id)
    current = db.session.scalar(select(Vote.vote_type).where(*mine))
    up, down = (1, 0) if vote_type == 1 else (0, 1)
    if current == vote_type:
        db.session.execute(delete(Vote).where(*mine))
        return ("removed", *voted_on.move_votes(target_id, -up, -down))
    if voted_on.notify_upvotes and vote_type == 1:
        notify_upvote(user, row.author_id, target_id, row.title)  # the first upvote only; the row is locked
    if current is None:
        db.session.execute(insert(Vote).values(user_id=user.id, vote_type=vote_type, **{column.key: target_id}))
        return ("added", *voted_on.move_votes(target_id, up, down))
    db.session.execute(update(Vote).where(*mine).values(vote_type=vote_type))
    return ("switched", *voted_on.move_votes(target_id, up - down, down - up))


# One user's distinct reactions on one post or comment: enough to say anything, too few to flood it.
MAX_REACTIONS_PER_USER = 10
# The reactions a page shows per post or comment: its most used emojis.
SHOWN_REACTIONS = 20
TOO_MANY_REACTIONS = f"At most {MAX_REACTIONS_PER_USER} different reactions from one user on one post or comment"


class TooManyReactions(Exception):
    pass


def toggle_reaction(user, kind, target_id, emoji):
    """(status, count of this emoji on the target), or None when there is no such target."""
    reacted_to = target(kind)
    if reacted_to.lock(target_id) is None:
        return None
    column = target_column(Reaction, kind)
    mine = (Reaction.user_id == user.id, column == target_id, Reaction.emoji == emoji)
    if db.session.execute(delete(Reaction).where(*mine)).rowcount:
        status, step = "removed", -1
    else:
        # The target's row is locked (above): two adds at once cannot both pass the count.
        kept = select(func.count()).select_from(Reaction).where(Reaction.user_id == user.id, column == target_id)
        if db.session.scalar(kept) >= MAX_REACTIONS_PER_USER:
            raise TooManyReactions()
        db.session.execute(insert(Reaction).values(user_id=user.id, emoji=emoji, **{column.key: target_id}))
        status, step = "added", 1
    if reacted_to.count_reaction is not None:
        reacted_to.count_reaction(target_id, step)
    count = db.session.scalar(select(func.count()).select_from(Reaction).where(column == target_id,
                                                                               Reaction.emoji == emoji))
    return status, count


@cache
def page_filter(model, kind):
    """The rows of `model` on a page of targets, as a range of ids (pages are in id order) with the
    ids checked in Python: a short, cacheable statement whatever the page size, unlike an IN list of
    200 parameters, which cost more to send and plan than to run."""
    column = target_column(model, kind)
    return column.between(bindparam("first"), bindparam("last"))


@cache
def votes_statement(kind):
    return select(target_column(Vote, kind), Vote.vote_type).where(Vote.user_id == bindparam("user_id"),
                                                                   page_filter(Vote, kind))


@cache
def reactions_statement(kind):
    column = target_column(Reaction, kind)
    mine = func.max(case((Reaction.user_id == bindparam("user_id"), 1), else_=0))
    # Exactly the page's targets (a range of ids would sweep every target between, any post's), most
    # used first, then first used first.
    return (select(column, Reaction.emoji, func.count(), mine).where(column.in_(bindparam("ids", expanding=True)))
            .group_by(column, Reaction.emoji).order_by(column, func.count().desc(), func.min(Reaction.id)))


def page_values(user, target_ids):
    return {"user_id": user.id if user else None, "first": min(target_ids), "last": max(target_ids)}


def votes_of(user, kind, target_ids):
    """{target id: 1 or -1} of `user`'s votes on these targets: one query for a whole page."""
    if user is None or not target_ids:
        return {}
    wanted = set(target_ids)
    rows = db.session.execute(votes_statement(kind), page_values(user, target_ids))
    return {target_id: vote_type for target_id, vote_type in rows if target_id in wanted}


def reactions_on(user, kind, target_ids):
    """{target id: [(emoji, count, reacted by user)]}, emojis in first-use order: one query per page."""
    if not target_ids:
        return {}
    found = {}
    values = {"user_id": user.id if user else None, "ids": list(target_ids)}
    for target_id, emoji, count, reacted in db.session.execute(reactions_statement(kind), values):
        shown = found.setdefault(target_id, [])
        if len(shown) < SHOWN_REACTIONS:
            shown.append((emoji, count, bool(reacted)))
    return found
