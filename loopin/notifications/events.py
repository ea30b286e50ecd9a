"""The events that notify someone (PLATFORM.md, "Notifications"): a comment on your post, a reply to
your comment, the first upvote of your post by each voter. Each is written by the service of the action
that causes it, inside its transaction, so the two commit together or not at all. Nobody is notified of
their own action, and nobody twice of one comment."""

from sqlalchemy import insert, null, select

from ..comments.models import Comment
from ..core.database import insert_or_merge
from ..core.extensions import db
from ..posts.models import Post
from .models import COMMENT, REPLY, UPVOTE, Notification

TITLES = {COMMENT: "New Comment", REPLY: "New Reply", UPVOTE: "New Upvote"}
SHOWN_TITLE = 80  # characters of a post's title quoted in a message


def display_name(user):
    """What a message calls its sender: never the email address."""
    return user.full_name or user.username or "Someone"


def quoted(title):
    return f'"{title}"' if len(title) <= SHOWN_TITLE else f'"{title[:SHOWN_TITLE - 1]}…"'


def event(recipient_id, kind, message, post_id, sender):
    return {"user_id": recipient_id, "type": kind, "title": TITLES[kind], "message": message, "post_id": post_id,
            "sender_id": sender.id}


def notify_comment(commenter, post_id, parent_id):
    """A reply tells the parent comment's author; any comment tells the post's author (once, if they are
    also the parent's author). One query finds both."""
    parent_author = (select(Comment.author_id).where(Comment.id == parent_id).scalar_subquery()
                     if parent_id is not None else null())
    post = db.session.execute(select(Post.author_id, Post.title, parent_author.label("parent_author"))
                              .where(Post.id == post_id)).one()
    name, title = display_name(commenter), quoted(post.title)
    rows = []
    if post.parent_author not in (None, commenter.id):  # None: no parent, or a deleted placeholder
        rows.append(event(post.parent_author, REPLY, f"{name} replied to your comment on {title}", post_id, commenter))
    if post.author_id not in (None, commenter.id, post.parent_author):  # None: its author deleted their account
        rows.append(event(post.author_id, COMMENT, f"{name} commented on your post {title}", post_id, commenter))
    if rows:
        db.session.execute(insert(Notification), rows)


def notify_upvote(voter, post_id):
    """The post's author learns of each voter's first upvote. An unvote and a re-vote meet the row that
    is already there (a unique index), so they notify nobody again."""
    post = db.session.execute(select(Post.author_id, Post.title).where(Post.id == post_id)).one()
    if post.author_id in (None, voter.id):  # None: its author deleted their account
        return
    row = event(post.author_id, UPVOTE, f"{display_name(voter)} upvoted your post {quoted(post.title)}", post_id, voter)
    db.session.execute(insert_or_merge(Notification.__table__).values(**row).on_conflict_do_nothing())
