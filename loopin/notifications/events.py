"""The events that notify someone (docs/api.md, "Notifications"): a comment on your post, a reply to
your comment, the first upvote of your post by each voter. Each is written by the service of the action
that causes it, inside its transaction, so the two commit together or not at all. That service tells
who is to hear of it and the post's title: notifications read no other feature's table. Nobody is
notified of their own action, and nobody twice of one comment."""

from sqlalchemy import insert

from ..core.database import insert_or_merge
from ..core.extensions import db
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


def notify_comment(commenter, post_id, post_author_id, post_title, parent_author_id):
    """A reply tells the parent comment's author; any comment tells the post's author (once, if they are
    also the parent's author). The comment's service says who they are (None: nobody to tell)."""
    name, title = display_name(commenter), quoted(post_title)
    rows = []
    if parent_author_id not in (None, commenter.id):  # None: no parent, or a deleted placeholder
        rows.append(event(parent_author_id, REPLY, f"{name} replied to your comment on {title}", post_id, commenter))
    if post_author_id not in (None, commenter.id, parent_author_id):  # None: its author deleted their account
        rows.append(event(post_author_id, COMMENT, f"{name} commented on your post {title}", post_id, commenter))
    if rows:
        db.session.execute(insert(Notification), rows)


def notify_upvote(voter, post_author_id, post_id, post_title):
    """The post's author learns of each voter's first upvote. An unvote and a re-vote meet the row that
    is already there (a unique index), so they notify nobody again."""
    if post_author_id in (None, voter.id):  # None: its author deleted their account
        return
    message = f"{display_name(voter)} upvoted your post {quoted(post_title)}"
    row = event(post_author_id, UPVOTE, message, post_id, voter)
    db.session.execute(insert_or_merge(Notification.__table__).values(**row).on_conflict_do_nothing())
