"""Posts and their tags. Counters (votes, comments, shares) and the popularity score live on the post
and change by atomic SQL in the transaction that changes what they count (counters.py)."""

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.extensions import db

DISCUSSION, QUESTION, ANNOUNCEMENT = "discussion", "question", "announcement"
POST_TYPES = (DISCUSSION, QUESTION, ANNOUNCEMENT)
MEDIA_TYPES = ("image", "video")


class Post(db.Model):
    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # NULL once its author deleted their account and chose to leave their posts (anonymized).
    author_id = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    content: Mapped[str] = mapped_column(Text, nullable=False, default="")
    department: Mapped[str] = mapped_column(String(64), nullable=False)
    # casefold()ed department: the case-insensitive filter is an index lookup on both databases.
    department_key: Mapped[str] = mapped_column(String(64), nullable=False)
    type: Mapped[str] = mapped_column(String(16), nullable=False, default=DISCUSSION)
    # As shown: "Academic,Event" (the whole-tag filter reads post_tags, never this string).
    tags: Mapped[str | None] = mapped_column(String(400), nullable=True)
    is_anonymous: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # A pin is in force while pinned_at is set and pinned_until is NULL (infinite) or in the future.
    pinned_at = mapped_column(DateTime(timezone=True), nullable=True)
    pinned_until = mapped_column(DateTime(timezone=True), nullable=True)
    created_at = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())
    upvotes: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    downvotes: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    comments_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    share_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    score: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    media_url = mapped_column(String(2048), nullable=True)
    media_public_id = mapped_column(String(255), nullable=True)
    media_type = mapped_column(String(8), nullable=True)
    edited_at = mapped_column(DateTime(timezone=True), nullable=True)  # NULL until its first edit
    # Set while reports hide it (docs/moderation.md): shown to its author and admins only.
    hidden_at = mapped_column(DateTime(timezone=True), nullable=True)

    __table_args__ = (
        CheckConstraint(f"type IN {POST_TYPES}", name="ck_posts_type"),
        CheckConstraint(f"media_type IS NULL OR media_type IN {MEDIA_TYPES}", name="ck_posts_media_type"),
        # The feed: newest first, whole or by department; pins in force are looked up apart (few rows).
        Index("ix_posts_created", "created_at", "id"),
        Index("ix_posts_department_created", "department_key", "created_at", "id"),
        Index("ix_posts_author_created", "author_id", "created_at", "id"),
        Index("ix_posts_pinned", "pinned_at", postgresql_where=text("pinned_at IS NOT NULL"),
              sqlite_where=text("pinned_at IS NOT NULL")),
        Index("ix_posts_score", "score", "created_at"),
        Index("ix_posts_type_created", "type", "created_at", "id"),  # the newest announcements (news)
        # Ids never reused on SQLite (revision 0016): audit rows name them.
        {"sqlite_autoincrement": True},
    )

    def __repr__(self):
        return f"<Post {self.id}>"


class PostTag(db.Model):
    """One row per (post, tag): the whole-tag filter is an index lookup, never a substring scan."""

    __tablename__ = "post_tags"

    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    tag_key: Mapped[str] = mapped_column(String(32), primary_key=True)  # casefold()ed

    __table_args__ = (Index("ix_post_tags_tag", "tag_key", "post_id"),)


class PostRevision(db.Model):
    """A post as it was before an edit: what a reply answered stays readable to its author and admins."""

    __tablename__ = "post_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), nullable=False)
    # Who made the edit that replaced this version (the author, or an admin); NULL once that account is gone.
    editor_id = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    content: Mapped[str] = mapped_column(Text, nullable=False)
    department: Mapped[str] = mapped_column(String(64), nullable=False)
    type: Mapped[str] = mapped_column(String(16), nullable=False)
    tags: Mapped[str | None] = mapped_column(String(400), nullable=True)
    replaced_at = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())

    __table_args__ = (Index("ix_post_revisions_post", "post_id", "id"), {"sqlite_autoincrement": True})
