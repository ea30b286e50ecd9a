"""Votes and reactions: one vote per user and target, one reaction per user, target and emoji, held by
unique indexes (NULLs never collide, so a post's and a comment's rows share each table)."""

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, SmallInteger, String, func
from sqlalchemy.orm import Mapped, mapped_column

from ..core.extensions import db

ONE_TARGET = "(post_id IS NULL) <> (comment_id IS NULL)"


class ByUserOnPostOrComment:
    """A user's row on exactly one target, a post or a comment; it goes when any of them goes."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    post_id = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), nullable=True)
    comment_id = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), nullable=True)
    created_at = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())


class Vote(ByUserOnPostOrComment, db.Model):
    __tablename__ = "votes"

    vote_type: Mapped[int] = mapped_column(SmallInteger, nullable=False)

    __table_args__ = (
        CheckConstraint(ONE_TARGET, name="ck_votes_one_target"),
        CheckConstraint("vote_type IN (1, -1)", name="ck_votes_type"),
        Index("uq_votes_user_post", "user_id", "post_id", unique=True),
        Index("uq_votes_user_comment", "user_id", "comment_id", unique=True),
        Index("ix_votes_post", "post_id"),
        Index("ix_votes_comment", "comment_id"),
    )


class Reaction(ByUserOnPostOrComment, db.Model):
    __tablename__ = "reactions"

    emoji: Mapped[str] = mapped_column(String(64), nullable=False)

    __table_args__ = (
        CheckConstraint(ONE_TARGET, name="ck_reactions_one_target"),
        Index("uq_reactions_user_post_emoji", "user_id", "post_id", "emoji", unique=True),
        Index("uq_reactions_user_comment_emoji", "user_id", "comment_id", "emoji", unique=True),
        Index("ix_reactions_post", "post_id", "emoji"),
        Index("ix_reactions_comment", "comment_id", "emoji"),
    )
