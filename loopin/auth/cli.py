"""The auth feature's commands."""

import click

from ..core.clock import utcnow
from ..core.database import transaction
from .blueprint import bp
from .sessions import purge_sessions


@bp.cli.command("purge-sessions")
def purge_sessions_command():
    """Delete expired and revoked sessions (listing one's sessions also purges that user's)."""
    with transaction():
        deleted = purge_sessions(utcnow())
    click.echo(f"Deleted {deleted} expired or revoked session(s).")
