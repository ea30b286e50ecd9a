"""A comment's counters (votes, reactions) in one place, and the comment as a vote target: changed by
atomic SQL in the transaction of the vote or reaction (or of an account taking its own back)."""

from sqlalchemy import select, update

from ..core.extensions import db
from ..votes.targets import Target
from .models import Comment


def vote_changes(up, down):
    """The UPDATE values that add `up` upvotes and `down` downvotes (numbers or SQL expressions)."""
    return {"upvotes": Comment.upvotes + up, "downvotes": Comment.downvotes + down}


def reaction_changes(step):
    return {"reactions_count": Comment.reactions_count + step}


def lock_comment(comment_id):
    """The comment's row locked until the transaction ends, or None: no such comment, or a deleted
    placeholder (nothing of it is left to vote on)."""
    found = select(Comment.id).where(Comment.id == comment_id, Comment.is_deleted.is_(False))
    return db.session.execute(found.with_for_update()).first()


def move_votes(comment_id, up, down):
    row = db.session.execute(update(Comment).where(Comment.id == comment_id).values(**vote_changes(up, down))
                             .returning(Comment.upvotes, Comment.downvotes)).first()
    return tuple(row)


def count_reaction(comment_id, step):
    """reactions_count, moved with the reaction (a thread skips the reactions lookup for a page whose
    comments have none)."""
    db.session.execute(update(Comment).where(Comment.id == comment_id).values(**reaction_changes(step)))


COMMENT_TARGET = Target(lock=lock_comment, move_votes=move_votes, count_reaction=count_reaction)
