"""Writing the audit trail: one row per privileged action, added to the action's transaction."""

from ..core.extensions import db
from .models import AuditLog


def record_action(action, actor, target_type, target_id, **details):
    """Add the row for `action` by `actor` (None: the command line) on a target."""
    db.session.add(AuditLog(action=action, actor_id=actor.id if actor is not None else None,
                            target_type=target_type, target_id=str(target_id), details=details or None))
