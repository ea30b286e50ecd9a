"""Comments: a flat list per post, threaded by `parent_id`. A deleted comment with replies stays as a
placeholder ("[deleted]", no author) so the thread keeps its shape."""

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, Text, false, func
from sqlalchemy.orm import Mapped, mapped_column

from ..core.extensions import db

DELETED_CONTENT = "[deleted]"
# What a thread shows instead of a comment the reader may not read (hidden by reports, or by someone
# they mute) where others replied to it: the replies keep their place.
HIDDEN_CONTENT, MUTED_CONTENT = "[hidden]", "[muted]"
# A thread nests at most this many comments deep (a top-level comment is 1): a reply beyond it hangs
# under the deepest allowed comment instead (services.attach_point), as forums cap nesting.
MAX_DEPTH = 10


class Comment(db.Model):
    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), nullable=False)
    # NULL once deleted as a placeholder.
    author_id = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=True)
    # SET NULL, not CASCADE: a comment with replies is never deleted (it stays as a placeholder), so this
    # acts only while a whole post goes, and its deletion never recurses down a thread (migration 0015).
    parent_id = mapped_column(ForeignKey("comments.id", ondelete="SET NULL"), nullable=True)
    content: Mapped[str] = mapped_column(Text, nullable=False)
    is_deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())
    created_at = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())
    upvotes: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    downvotes: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    # Reactions on it, kept like the vote counters: a page whose comments have none skips the lookup.
    reactions_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    edited_at = mapped_column(DateTime(timezone=True), nullable=True)  # NULL until its first edit
    # Set while reports hide it (docs/moderation.md): its post counts it no more, and a thread shows it
    # to its author and admins only (to others as a placeholder where it has replies).
    hidden_at = mapped_column(DateTime(timezone=True), nullable=True)

    __table_args__ = (
        Index("ix_comments_post", "post_id", "id"),  # a post's thread, oldest (lowest id) first
        Index("ix_comments_parent", "parent_id"),  # "has it replies?", and the cascade
        # Ids never reused on SQLite (revision 0016): audit rows name them.
        {"sqlite_autoincrement": True},
    )


class CommentRevision(db.Model):
    """A comment's text before an edit. A comment that becomes a placeholder loses its revisions too."""

    __tablename__ = "comment_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), nullable=False)
    editor_id = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    content: Mapped[str] = mapped_column(Text, nullable=False)
    replaced_at = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())

    __table_args__ = (Index("ix_comment_revisions_comment", "comment_id", "id"), {"sqlite_autoincrement": True})
