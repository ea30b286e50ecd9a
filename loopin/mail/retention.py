"""The outbox keeps a message's address only as long as it helps: sent and refused messages go after
MAIL_RETENTION_DAYS (each server's sender purges after its passes; `loopin mail purge` too), and a
deleted account's at once, sent or not (users/deletion.py)."""

from sqlalchemy import delete, func, or_, select

from ..core.database import transaction
from ..core.extensions import db
from .models import OutboxMessage as Outbox

BATCH = 5_000


def purge_outbox(cutoff):
    """Sent or refused before `cutoff`: deleted in batches, each its own transaction. How many."""
    deleted = 0
    while True:
        with transaction():
            done = select(Outbox.id).where(or_(Outbox.sent_at < cutoff, Outbox.failed_at < cutoff)).limit(BATCH)
            removed = db.session.execute(delete(Outbox).where(Outbox.id.in_(done.scalar_subquery())))
        deleted += removed.rowcount
        if removed.rowcount < BATCH:
            return deleted


def forget_address(address):
    """Every message to this address, in the caller's transaction (an account being deleted)."""
    db.session.execute(delete(Outbox).where(func.lower(Outbox.recipient) == address.lower()))
