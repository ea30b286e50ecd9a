"""Who mutes whom. Muting is private: nothing the muted user can read tells them."""

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, func
from sqlalchemy.orm import Mapped, mapped_column

from ..core.extensions import db


class Mute(db.Model):
    __tablename__ = "mutes"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    muted_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())

    __table_args__ = (
        CheckConstraint("user_id <> muted_id", name="ck_mutes_not_self"),
        Index("ix_mutes_muted", "muted_id"),  # the cascade when the muted account goes
    )
