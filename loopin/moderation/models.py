"""Reports of posts and comments. A report is open until an admin resolves its target; at most one
open report per reporter and target (the partial unique indexes: a second report answers 409)."""

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.extensions import db

SPAM, HARASSMENT, OFF_TOPIC, PERSONAL_DATA, OTHER = "spam", "harassment", "off_topic", "personal_data", "other"
REASONS = (SPAM, HARASSMENT, OFF_TOPIC, PERSONAL_DATA, OTHER)
DISMISSED, REMOVED, WARNED = "dismissed", "removed", "warned"
RESOLUTIONS = (DISMISSED, REMOVED, WARNED)
OPEN = text("resolved_at IS NULL")


class Report(db.Model):
    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # A deleted account's reports go with it; a target's go with the target.
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    post_id = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), nullable=True)
    comment_id = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), nullable=True)
    reason: Mapped[str] = mapped_column(String(16), nullable=False)
    details = mapped_column(Text, nullable=True)
    created_at = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())
    resolved_at = mapped_column(DateTime(timezone=True), nullable=True)  # NULL: open
    resolution = mapped_column(String(16), nullable=True)
    resolver_id = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)

    __table_args__ = (
        CheckConstraint("(post_id IS NULL) <> (comment_id IS NULL)", name="ck_reports_one_target"),
        CheckConstraint(f"reason IN {REASONS}", name="ck_reports_reason"),
        CheckConstraint(f"resolution IS NULL OR resolution IN {RESOLUTIONS}", name="ck_reports_resolution"),
        Index("uq_reports_open_post", "post_id", "reporter_id", unique=True, postgresql_where=OPEN, sqlite_where=OPEN),
        Index("uq_reports_open_comment", "comment_id", "reporter_id", unique=True, postgresql_where=OPEN,
              sqlite_where=OPEN),
        Index("ix_reports_post", "post_id"),  # the cascade, and a target's closed reports
        Index("ix_reports_comment", "comment_id"),
        Index("ix_reports_reporter", "reporter_id", "created_at"),  # the cascade, and the account export
        Index("ix_reports_resolver", "resolver_id"),  # the SET NULL from users
        {"sqlite_autoincrement": True},
    )
