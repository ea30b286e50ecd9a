"""Every feature's models, imported in one place: Alembic (migrations/env.py) reads this module, so
`flask db migrate` sees every table. A new feature adds its models here, and its revision below."""

from .audit.models import AuditLog
from .auth.models import AuthSession, EmailToken, User
from .comments.models import Comment, CommentRevision
from .mail.models import OutboxMessage
from .moderation.models import Report
from .muting.models import Mute
from .notifications.models import AudienceSize, Notification, NotificationCursor, NotificationRead
from .posts.models import Post, PostRevision, PostTag
from .search.indexes import INDEXES
from .votes.models import Reaction, Vote

__all__ = ["AudienceSize", "AuditLog", "AuthSession", "Comment", "CommentRevision", "EmailToken", "Notification",
           "Mute", "NotificationCursor", "NotificationRead", "OutboxMessage", "Post", "PostRevision", "PostTag",
           "Reaction", "Report", "User", "Vote", "SCHEMA_REVISION", "include_object"]

# The migrations' head these models match: what readiness (/health) and `check` expect the database to
# be at. Known here, so a server never loads Alembic (8 MiB) to ask; tests/test_migrations.py fails
# when a new revision is added without updating it.
SCHEMA_REVISION = "0022_moderation"


def include_object(_object, name, type_, _reflected, _compare_to):
    """Alembic's filter: the search indexes' tables (side tables on PostgreSQL, FTS5 tables and their
    shadow tables on SQLite) are made by their migration and kept by triggers, with no model to compare."""
    return type_ != "table" or not any(name == index.name or name.startswith(f"{index.name}_") for index in INDEXES)
