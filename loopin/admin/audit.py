"""Writing the audit log: one row per privileged action, in the same transaction as the action, so an
action and its record commit together or not at all."""

from ..core.extensions import db
from .models import AuditLog


def record_action(action, actor, target_type, target_id, **details):
    """Add the row for `action` by `actor` (None: the command line) on a target."""
    db.session.add(AuditLog(action=action, actor_id=actor.id if actor is not None else None,
                            target_type=target_type, target_id=str(target_id), details=details or None))
