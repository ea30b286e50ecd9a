"""What can be voted on or reacted to: a post, or a comment that is not a deleted placeholder. Each
has its counters; a post's score moves with its votes (PLATFORM.md: upvotes - downvotes counts once)."""

from sqlalchemy import select, update

from ..comments.models import Comment
from ..core.extensions import db
from ..posts.models import Post

TARGET_NOT_FOUND = "Target not found"


def lock_target(kind, target_id):
    """Whether the target exists, its row locked until the transaction ends (PostgreSQL's FOR UPDATE;
    SQLite runs one writer at a time anyway). Every vote and reaction on a target also updates or
    counts on that row, so taking the lock first costs no extra waiting and makes each toggle see the
    one before it: ten identical votes at once are ten toggles in a row, never a conflict."""
    if kind == "post":
        found = select(Post.id).where(Post.id == target_id)
    else:
        found = select(Comment.id).where(Comment.id == target_id, Comment.is_deleted.is_(False))
    return db.session.scalar(found.with_for_update()) is not None


def move_counters(kind, target_id, up, down):
    """Add `up` and `down` to the target's counters in one UPDATE (no lost update under concurrency);
    (upvotes, downvotes) after it."""
    model = Post if kind == "post" else Comment
    values = {"upvotes": model.upvotes + up, "downvotes": model.downvotes + down}
    if kind == "post":
        values["score"] = Post.score + up - down
    row = db.session.execute(update(model).where(model.id == target_id).values(**values)
                             .returning(model.upvotes, model.downvotes)).first()
    return tuple(row)


def count_reaction(comment_id, step):
    """A comment's reactions_count, moved in the transaction of the reaction (the thread skips the
    reactions lookup for a page whose comments have none)."""
    db.session.execute(update(Comment).where(Comment.id == comment_id)
                       .values(reactions_count=Comment.reactions_count + step))
