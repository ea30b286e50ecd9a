"""Notifications: one row per event for its recipient, and one row per announcement for everyone it
reaches (fan-out on read). What a user has read of the announcements is kept per user: a marker
(everything up to this id is read, set by read-all) and a row per announcement read one by one."""

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text, false, func, text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.extensions import db

COMMENT, REPLY, UPVOTE, ANNOUNCEMENT = "comment", "reply", "upvote", "announcement"
MODERATION = "moderation"  # what moderation tells an author or a reporter (docs/moderation.md)
TYPES = (COMMENT, REPLY, UPVOTE, ANNOUNCEMENT, MODERATION)


class Notification(db.Model):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The recipient; NULL for an announcement, which reaches its audience when they read their inbox.
    user_id = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=True)
    type: Mapped[str] = mapped_column(String(16), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    message: Mapped[str] = mapped_column(Text, nullable=False)
    # The post an event is about: deleting the post deletes its notifications.
    post_id = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), nullable=True)
    sender_id = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    # An announcement's audience: lower(department), or NULL for everyone.
    audience_key = mapped_column(String(64), nullable=True)
    # Events only: an announcement's read state is its reader's (NotificationRead, NotificationCursor).
    is_read: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())
    created_at = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())

    __table_args__ = (
        CheckConstraint(f"type IN {TYPES}", name="ck_notifications_type"),
        CheckConstraint("(user_id IS NULL) = (type = 'announcement')", name="ck_notifications_recipient"),
        Index("ix_notifications_user", "user_id", "id"),  # an inbox, newest (highest id) first
        Index("ix_notifications_unread", "user_id", postgresql_where=text("NOT is_read"),
              sqlite_where=text("NOT is_read")),
        Index("ix_notifications_announcements", "id", postgresql_where=text("user_id IS NULL"),
              sqlite_where=text("user_id IS NULL")),
        # A post's first upvote by each voter notifies once: an unvote and a re-vote find this row.
        Index("uq_notifications_upvote", "user_id", "post_id", "sender_id", unique=True,
              postgresql_where=text("type = 'upvote'"), sqlite_where=text("type = 'upvote'")),
        Index("ix_notifications_post", "post_id"),  # the cascade from posts
        Index("ix_notifications_sender", "sender_id"),  # the SET NULL from users
        Index("ix_notifications_created", "created_at"),  # retention
    )

    def __repr__(self):
        return f"<Notification {self.id} {self.type}>"


class NotificationRead(db.Model):
    """An announcement one user marked read on its own (above their cursor)."""

    __tablename__ = "notification_reads"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id", ondelete="CASCADE"),
                                                 primary_key=True)

    __table_args__ = (Index("ix_notification_reads_notification", "notification_id"),)


class NotificationCursor(db.Model):
    """Every announcement up to `read_through` (an id) is read by this user: what read-all writes."""

    __tablename__ = "notification_cursors"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    read_through: Mapped[int] = mapped_column(Integer, nullable=False)


class AudienceSize(db.Model):
    """Active users per lower(department) ('' for none), kept by triggers on `users` (migration 0009)
    whatever changes a user: an announcement's count is one row read, at ten users or a million."""

    __tablename__ = "audience_sizes"

    department_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    members: Mapped[int] = mapped_column(Integer, nullable=False)
