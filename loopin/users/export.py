"""A user's data, all of it, as one JSON document (the right of access): the account and profile,
sessions (never token material), posts and comments with the versions their edits replaced, votes,
reactions, notifications, the reports you made and whom you mute. Never a password hash. One query per
kind, whatever the account's history."""

from sqlalchemy import select

from ..auth.models import AuthSession
from ..comments.models import Comment, CommentRevision
from ..core.clock import as_utc, utcnow
from ..core.extensions import db
from ..moderation.models import Report
from ..muting.models import Mute
from ..notifications.models import Notification
from ..posts.models import Post, PostRevision
from ..votes.models import Reaction, Vote

ACCOUNT = ("id", "email", "email_verified_at", "is_active", "role", "created_at", "username", "full_name",
           "department", "bio", "profile_photo_url", "enrollment_number", "firebase_uid")
KINDS = {  # name -> (model, whose rows, exported columns, oldest first by)
    "sessions": (AuthSession, lambda user_id: AuthSession.user_id == user_id,
                 ("id", "created_at", "last_used_at", "expires_at", "revoked_at", "user_agent", "ip"), "created_at"),
    "posts": (Post, lambda user_id: Post.author_id == user_id,
              ("id", "title", "content", "department", "type", "tags", "is_anonymous", "media_url", "created_at",
               "edited_at", "upvotes", "downvotes", "comments_count", "share_count"), "created_at"),
    # The versions edits replaced of the user's own posts and comments, whoever edited them.
    "post_revisions": (PostRevision, lambda user_id: PostRevision.post_id.in_(
        select(Post.id).where(Post.author_id == user_id)),
        ("id", "post_id", "title", "content", "department", "type", "tags", "replaced_at"), "replaced_at"),
    "comments": (Comment, lambda user_id: Comment.author_id == user_id,
                 ("id", "post_id", "parent_id", "content", "created_at", "edited_at", "upvotes", "downvotes"),
                 "created_at"),
    "comment_revisions": (CommentRevision, lambda user_id: CommentRevision.comment_id.in_(
        select(Comment.id).where(Comment.author_id == user_id)), ("id", "comment_id", "content", "replaced_at"),
        "replaced_at"),
    "votes": (Vote, lambda user_id: Vote.user_id == user_id, ("post_id", "comment_id", "vote_type", "created_at"),
              "created_at"),
    "reactions": (Reaction, lambda user_id: Reaction.user_id == user_id,
                  ("post_id", "comment_id", "emoji", "created_at"), "created_at"),
    "notifications": (Notification, lambda user_id: Notification.user_id == user_id,
                      ("id", "type", "title", "message", "post_id", "is_read", "created_at"), "created_at"),
    # Your reports, as you made them: whether one is still open, not how it was resolved (a reporter is
    # never told that).
    "reports": (Report, lambda user_id: Report.reporter_id == user_id,
                ("id", "post_id", "comment_id", "reason", "details", "created_at", "resolved_at"), "created_at"),
    "mutes": (Mute, lambda user_id: Mute.user_id == user_id, ("muted_id", "created_at"), "created_at"),
}


def plain(value):
    return as_utc(value).isoformat() if hasattr(value, "isoformat") else value


def export_account(user):
    """The document, as a dict ready for JSON."""
    document = {"exported_at": utcnow().isoformat(),
                "account": {name: plain(getattr(user, name)) for name in ACCOUNT}}
    for kind, (model, owned, names, order) in KINDS.items():
        columns = [getattr(model, name) for name in names]
        rows = db.session.execute(select(*columns).where(owned(user.id)).order_by(getattr(model, order))).all()
        document[kind] = [{name: plain(value) for name, value in zip(names, row)} for row in rows]
    return document
