"""What can be reported, as moderation handles it: a post, or a comment (not a "[deleted]"
placeholder). Its row is locked first, so whatever happens to it (the report that reaches the
threshold, a review) happens once. Hiding a comment counts it out of its post's comments_count, in the
same transaction (its post shows what everyone may read); showing it again counts it back."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import false, select, update

from ..comments.models import Comment
from ..core.extensions import db
from ..notifications.events import quoted
from ..posts.counters import count_comment
from ..posts.models import Post
from .models import Report

POST, COMMENT = "post", "comment"
NOUNS = {POST: "post", COMMENT: "comment"}


@dataclass(frozen=True)
class Target:
    kind: str  # POST or COMMENT
    id: int
    post_id: int  # the post itself, or the comment's post
    author_id: int | None
    hidden_at: Any
    post_title: str
    is_anonymous: bool  # a post's; a comment is never anonymous

    @property
    def name(self):
        return f"{self.kind}-{self.id}"

    @property
    def described(self):
        """How a notice names it to its author: 'post "Title"' or 'comment on "Title"'."""
        return f"post {quoted(self.post_title)}" if self.kind == POST else f"comment on {quoted(self.post_title)}"

    @property
    def model(self):
        return Post if self.kind == POST else Comment

    @property
    def report_column(self):
        return Report.post_id if self.kind == POST else Report.comment_id


def locked_target(kind, target_id):
    """The target, its row locked until the transaction ends; None: there is no such thing to report."""
    if kind == POST:
        statement = (select(Post.id, Post.id.label("post_id"), Post.author_id, Post.hidden_at, Post.title,
                            Post.is_anonymous).where(Post.id == target_id).with_for_update())
    else:
        statement = (select(Comment.id, Comment.post_id, Comment.author_id, Comment.hidden_at, Post.title,
                            false())  # a comment names its author, whatever its post does
                     .join(Post, Post.id == Comment.post_id)
                     .where(Comment.id == target_id, Comment.is_deleted.is_(False)).with_for_update(of=Comment))
    found = db.session.execute(statement).first()
    return Target(kind, *found) if found is not None else None


def set_hidden(target, hidden_at):
    """Hide (`hidden_at`: now) or show (None) the target; False when it already was so."""
    model = target.model
    still = model.hidden_at.is_(None) if hidden_at is not None else model.hidden_at.isnot(None)
    changed = db.session.execute(update(model).where(model.id == target.id, still).values(hidden_at=hidden_at)
                                 .execution_options(synchronize_session=False)).rowcount
    if changed and target.kind == COMMENT:
        count_comment(target.post_id, -1 if hidden_at is not None else +1)
    return bool(changed)
