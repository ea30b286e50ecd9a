"""Deleting an account: what the user made goes, or stays without an author, and every counter it
moved moves back, in one transaction (set-based statements, whatever the account's history).

Sessions, mailed tokens, votes, reactions and notifications go with the `users` row (ON DELETE
CASCADE); before that, the counters their votes and reactions moved are taken back. Posts and comments
are anonymized (kept, no author) or deleted, as ACCOUNT_DELETION_CONTENT says; a deleted comment that
has replies stays as a "[deleted]" placeholder, as when its author deletes it.
"""

from sqlalchemy import and_, case, delete, exists, func, select, update
from sqlalchemy.orm import aliased

from ..auth.admins import LastActiveAdmin, is_last_active_admin
from ..auth.models import User
from ..comments import counters as comment_counters
from ..comments.models import Comment
from ..comments.services import leave_placeholders
from ..core.extensions import db
from ..mail.retention import forget_address
from ..posts import counters as post_counters
from ..posts.models import Post
from ..votes.models import Reaction, Vote

ANONYMIZE, DELETE = "anonymize", "delete"


def take_back_votes(user_id):
    """Each target the user voted on loses that vote from its counters (a post's score too)."""
    for model, column, counters in ((Post, Vote.post_id, post_counters), (Comment, Vote.comment_id, comment_counters)):
        vote = select(Vote.vote_type).where(column == model.id, Vote.user_id == user_id).scalar_subquery()
        values = counters.vote_changes(-case((vote == 1, 1), else_=0), -case((vote == -1, 1), else_=0))
        voted = select(column).where(Vote.user_id == user_id, column.isnot(None))
        db.session.execute(update(model).where(model.id.in_(voted)).values(**values),
                           execution_options={"synchronize_session": False})


def take_back_reactions(user_id):
    mine = select(func.count()).where(Reaction.comment_id == Comment.id, Reaction.user_id == user_id).scalar_subquery()
    reacted = select(Reaction.comment_id).where(Reaction.user_id == user_id, Reaction.comment_id.isnot(None))
    db.session.execute(update(Comment).where(Comment.id.in_(reacted)).values(**comment_counters.reaction_changes(-mine)),
                       execution_options={"synchronize_session": False})


def delete_comments(user_id):
    """The user's comments go (placeholders where others replied); their posts count them no more."""
    live = and_(Comment.author_id == user_id, Comment.is_deleted.is_(False))
    # A hidden comment was counted out when it was hidden.
    counted = (select(func.count()).where(Comment.post_id == Post.id, live, Comment.hidden_at.is_(None))
               .scalar_subquery())
    db.session.execute(update(Post).where(Post.id.in_(select(Comment.post_id).where(live)))
                       .values(**post_counters.comment_changes(-counted)),
                       execution_options={"synchronize_session": False})
    # Any reply keeps its parent as a placeholder: deleting the parent would take the reply (and any
    # reply under it, someone else's too) with it.
    reply = aliased(Comment)
    leave_placeholders(select(Comment.id).where(live, exists().where(reply.parent_id == Comment.id)))
    db.session.execute(delete(Comment).where(Comment.author_id == user_id))


def delete_account(user, content):
    """Delete `user` and, by `content` (ANONYMIZE or DELETE), what they wrote. Raises LastActiveAdmin
    for the last active admin. Flushes; the caller's transaction commits."""
    if is_last_active_admin(user):
        raise LastActiveAdmin()
    take_back_votes(user.id)
    take_back_reactions(user.id)
    if content == DELETE:
        delete_comments(user.id)
        db.session.execute(delete(Post).where(Post.author_id == user.id))  # their comments, votes, tags too
    else:
        for model in (Post, Comment):
            db.session.execute(update(model).where(model.author_id == user.id).values(author_id=None),
                               execution_options={"synchronize_session": False})
    forget_address(user.email)  # queued or sent, no message keeps the address of an account that is gone
    db.session.execute(delete(User).where(User.id == user.id))
    db.session.expunge(user)
