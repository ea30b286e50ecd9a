"""The events that notify someone (docs/api.md, "Notifications"): a comment on your post, a reply to
your comment, the first upvote of your post by each voter. Each is written by the service of the action
that causes it, inside its transaction, so the two commit together or not at all. That service tells
who is to hear of it and the post's title: notifications read no other feature's table but the mutes.
Nobody is notified of their own action, nobody twice of one comment, and nobody by someone they mute
(the INSERT's own condition: no statement more)."""

from sqlalchemy import insert, literal, select, union_all

from ..core.database import insert_or_merge
from ..core.extensions import db
from ..muting.conditions import mutes
from .models import COMMENT, MODERATION, REPLY, UPVOTE, Notification

NOTIFICATIONS = Notification.__table__

TITLES = {COMMENT: "New Comment", REPLY: "New Reply", UPVOTE: "New Upvote", MODERATION: "Moderation"}
SHOWN_TITLE = 80  # characters of a post's title quoted in a message


def display_name(user):
    """What a message calls its sender: never the email address."""
    return user.full_name or user.username or "Someone"


def quoted(title):
    return f'"{title}"' if len(title) <= SHOWN_TITLE else f'"{title[:SHOWN_TITLE - 1]}…"'


def event(recipient_id, kind, message, post_id, sender):
    return {"user_id": recipient_id, "type": kind, "title": TITLES[kind], "message": message, "post_id": post_id,
            "sender_id": sender.id}


def unless_muted(row):
    """A SELECT of the event's row, empty when its recipient mutes its sender."""
    values = [literal(value, NOTIFICATIONS.c[name].type).label(name) for name, value in row.items()]
    return select(*values).where(~mutes(literal(row["user_id"]), literal(row["sender_id"])))


def insert_events(rows, statement=None):
    """INSERT … SELECT of the rows whose recipients do not mute their sender."""
    chosen = unless_muted(rows[0]) if len(rows) == 1 else union_all(*map(unless_muted, rows))
    statement = statement if statement is not None else insert(NOTIFICATIONS)
    db.session.execute(statement.from_select(list(rows[0]), chosen, include_defaults=False))  # the server's defaults


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
        insert_events(rows)


def notify_upvote(voter, post_author_id, post_id, post_title):
    """The post's author learns of each voter's first upvote. An unvote and a re-vote meet the row that
    is already there (a unique index), so they notify nobody again."""
    if post_author_id in (None, voter.id):  # None: its author deleted their account
        return
    message = f"{display_name(voter)} upvoted your post {quoted(post_title)}"
    insert_events([event(post_author_id, UPVOTE, message, post_id, voter)],
                  insert_or_merge(NOTIFICATIONS).on_conflict_do_nothing())


def notify_moderation(recipient_ids, message, post_id):
    """Moderation tells authors and reporters what happened (docs/moderation.md), from nobody: no sender,
    so no mute holds it back. `post_id` None: the notice points at no post (one that was removed)."""
    rows = [{"user_id": recipient, "type": MODERATION, "title": TITLES[MODERATION], "message": message,
             "post_id": post_id} for recipient in dict.fromkeys(recipient_ids) if recipient is not None]
    if rows:
        db.session.execute(insert(NOTIFICATIONS), rows)
