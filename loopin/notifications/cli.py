"""`flask --app loopin notifications purge --older-than 90d`: retention, for cron or Task Scheduler."""

import click

from ..core.cli import Days
from ..core.clock import utcnow
from .blueprint import bp
from .retention import purge_notifications

DEFAULT_RETENTION = "90d"


@bp.cli.command("purge")
@click.option("--older-than", "age", type=Days(), default=DEFAULT_RETENTION, show_default=True,
              help="Delete notifications older than this many days (90d or 90).")
def purge_command(age):
    """Delete notifications and announcements older than --older-than."""
    deleted = purge_notifications(utcnow() - age)
    click.echo(f"Deleted {deleted} notification(s) older than {age.days} days.")
