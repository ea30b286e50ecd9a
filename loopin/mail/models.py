"""The outbox: every message Loopin sends, written in the transaction of the action that causes it, so
a rolled-back action sends nothing and a committed one is never lost, whatever the SMTP server does."""

from sqlalchemy import DateTime, Index, Integer, String, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.extensions import db


class OutboxMessage(db.Model):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320), nullable=False)
    subject: Mapped[str] = mapped_column(String(200), nullable=False)
    # Emptied once sent: a link's token lives no longer than it must.
    body: Mapped[str] = mapped_column(Text, nullable=False)
    # A message composed when it is delivered (subject and body empty until then), by the template the
    # feature that queued it registered: what a request writes then never depends on who the recipient
    # is (a password reset request for an address with no account writes the same row).
    template = mapped_column(String(32), nullable=True)
    message_id: Mapped[str] = mapped_column(String(255), nullable=False)  # the same on every attempt
    created_at = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    next_attempt_at = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())
    # A sender that claims a message owns it until then; one that died loses it when the claim lapses.
    claimed_until = mapped_column(DateTime(timezone=True), nullable=True)
    sent_at = mapped_column(DateTime(timezone=True), nullable=True)
    failed_at = mapped_column(DateTime(timezone=True), nullable=True)  # refused for good (5xx)
    last_error = mapped_column(String(500), nullable=True)

    __table_args__ = (
        Index("ix_outbox_due", "next_attempt_at", postgresql_where=text("sent_at IS NULL AND failed_at IS NULL"),
              sqlite_where=text("sent_at IS NULL AND failed_at IS NULL")),
    )

    def __repr__(self):
        return f"<OutboxMessage {self.id}>"
