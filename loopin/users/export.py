"""A user's data, all of it, as one JSON document (the right of access): the account and profile,
sessions (never token material), posts, comments, votes, reactions and notifications. Never a password
hash. One query per kind, whatever the account's history."""

from sqlalchemy import select

from ..auth.models import AuthSession
from ..comments.models import Comment
from ..core.clock import as_utc, utcnow
from ..core.extensions import db
from ..notifications.models import Notification
from ..posts.models import Post
from ..votes.models import Reaction, Vote

ACCOUNT = ("id", "email", "email_verified_at", "is_active", "role", "created_at", "username", "full_name",
           "department", "bio", "profile_photo_url", "enrollment_number", "firebase_uid")
KINDS = {  # name -> (model, owner column, exported columns), oldest first
    "sessions": (AuthSession, AuthSession.user_id,
                 ("id", "created_at", "last_used_at", "expires_at", "revoked_at", "user_agent", "ip")),
    "posts": (Post, Post.author_id, ("id", "title", "content", "department", "type", "tags", "is_anonymous",
                                     "media_url", "created_at", "upvotes", "downvotes", "comments_count",
                                     "share_count")),
    "comments": (Comment, Comment.author_id, ("id", "post_id", "parent_id", "content", "created_at", "upvotes",
                                              "downvotes")),
    "votes": (Vote, Vote.user_id, ("post_id", "comment_id", "vote_type", "created_at")),
    "reactions": (Reaction, Reaction.user_id, ("post_id", "comment_id", "emoji", "created_at")),
    "notifications": (Notification, Notification.user_id, ("id", "type", "title", "message", "post_id",
                                                           "is_read", "created_at")),
}


def plain(value):
    return as_utc(value).isoformat() if hasattr(value, "isoformat") else value


def export_account(user):
    """The document, as a dict ready for JSON."""
    document = {"exported_at": utcnow().isoformat(),
                "account": {name: plain(getattr(user, name)) for name in ACCOUNT}}
    for kind, (model, owner, names) in KINDS.items():
        columns = [getattr(model, name) for name in names]
        rows = db.session.execute(select(*columns).where(owner == user.id).order_by(model.created_at)).all()
        document[kind] = [{name: plain(value) for name, value in zip(names, row)} for row in rows]
    return document
