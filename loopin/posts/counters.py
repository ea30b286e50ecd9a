"""A post's counters and its popularity score, in one place: whoever changes what a post counts (a
vote, a comment, a share, an account taking its votes and comments back) changes it through here, by
atomic SQL in the transaction of the change, so no update is lost and the score never drifts from
what it is made of: (upvotes - downvotes) + 2 comments + 3 shares (docs/api.md, "Posts and the feed")."""

from sqlalchemy import select, update

from ..core.extensions import db
from ..votes.targets import Target
from .models import Post

VOTE_WEIGHT, COMMENT_WEIGHT, SHARE_WEIGHT = 1, 2, 3


def vote_changes(up, down):
    """The UPDATE values that add `up` upvotes and `down` downvotes (numbers or SQL expressions)."""
    return {"upvotes": Post.upvotes + up, "downvotes": Post.downvotes + down,
            "score": Post.score + VOTE_WEIGHT * (up - down)}


def comment_changes(step):
    """The UPDATE values that add `step` comments (a number or a SQL expression)."""
    return {"comments_count": Post.comments_count + step, "score": Post.score + COMMENT_WEIGHT * step}


def lock_post(post_id):
    """The post's author and title, its row locked until the transaction ends; None: no such post."""
    return db.session.execute(select(Post.author_id, Post.title).where(Post.id == post_id).with_for_update()).first()


def move_votes(post_id, up, down):
    row = db.session.execute(update(Post).where(Post.id == post_id).values(**vote_changes(up, down))
                             .returning(Post.upvotes, Post.downvotes)).first()
    return tuple(row)


def count_comment(post_id, step):
    """comments_count moved by `step`; the post's author and title, for the notification it makes."""
    return db.session.execute(update(Post).where(Post.id == post_id).values(**comment_changes(step))
                              .returning(Post.author_id, Post.title)).first()


def count_share(post_id):
    """One more share: the new count, or None (no such post)."""
    statement = (update(Post).where(Post.id == post_id)
                 .values(share_count=Post.share_count + 1, score=Post.score + SHARE_WEIGHT).returning(Post.share_count))
    return db.session.execute(statement).scalar()


POST_TARGET = Target(lock=lock_post, move_votes=move_votes, notify_upvotes=True)
