"""`flask --app loopin notifications purge --older-than 90d`: retention, for cron or Task Scheduler."""

import re
from datetime import timedelta

import click

from ..core.clock import utcnow
from .blueprint import bp
from .retention import purge_notifications

DEFAULT_RETENTION = "90d"


class Days(click.ParamType):
    """A number of days: `90d` or `90`, at least 1."""

    name = "days"

    def convert(self, value, param, ctx):
        if isinstance(value, timedelta):
            return value
        found = re.fullmatch(r"\s*(\d{1,5})\s*d?\s*", str(value))
        if not found or int(found.group(1)) < 1:
            self.fail(f"{value!r} is not a number of days such as 90d", param, ctx)
        return timedelta(days=int(found.group(1)))


@bp.cli.command("purge")
@click.option("--older-than", "age", type=Days(), default=DEFAULT_RETENTION, show_default=True,
              help="Delete notifications older than this many days (90d or 90).")
def purge_command(age):
    """Delete notifications and announcements older than --older-than."""
    deleted = purge_notifications(utcnow() - age)
    click.echo(f"Deleted {deleted} notification(s) older than {age.days} days.")
