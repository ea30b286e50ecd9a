"""The auth feature's commands: `loopin sessions purge` (and its first spelling, `loopin purge-sessions`,
kept hidden so that crontabs written for it keep working)."""

import click
from flask.cli import AppGroup

from ..core.clock import utcnow
from ..core.database import transaction
from .blueprint import bp
from .sessions import purge_sessions

sessions_cli = AppGroup("sessions", help="Sign-in sessions: delete the expired and revoked ones.")


def purge():
    """Delete expired and revoked sessions (listing one's sessions also purges that user's)."""
    with transaction():
        deleted = purge_sessions(utcnow())
    click.echo(f"Deleted {deleted} expired or revoked session(s).")


sessions_cli.command("purge")(purge)
bp.cli.add_command(sessions_cli)
bp.cli.command("purge-sessions", hidden=True)(purge)
