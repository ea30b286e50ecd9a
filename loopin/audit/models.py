"""The audit trail's table: what an admin (or the command line) did, to what, and when. The actions
are named by the features that record them (SET_ROLE in admin, PIN_POST in posts, ...)."""

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from ..core.extensions import db


class AuditLog(db.Model):
    __tablename__ = "audit_logs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(String(32), nullable=False)
    # NULL: the command line, or an actor whose account has since been deleted.
    actor_id = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    target_type: Mapped[str] = mapped_column(String(32), nullable=False)
    target_id: Mapped[str] = mapped_column(String(64), nullable=False)
    details = mapped_column(JSON, nullable=True)
    created_at = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now(), index=True)

    def __repr__(self):
        return f"<AuditLog {self.id} {self.action}>"
