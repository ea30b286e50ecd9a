"""`flask --app loopin mail deliver`: deliver what is due now (servers do it in the background too);
`mail purge`: delete sent and refused messages older than the retention."""

from datetime import timedelta

import click
from flask import current_app

from ..core.cli import Days
from ..core.clock import utcnow
from .blueprint import bp
from .delivery import deliver_due
from .retention import purge_outbox


@bp.cli.command("deliver")
def deliver_command():
    """Deliver every message that is due; failures stay queued for a later attempt."""
    delivered, refused, postponed = deliver_due()
    click.echo(f"Delivered {delivered} message(s); {postponed} postponed for a retry; {refused} refused for good.")


@bp.cli.command("purge")
@click.option("--older-than", "age", type=Days(), default=None,
              help="Sent or refused longer ago than this many days (default: MAIL_RETENTION_DAYS).")
def purge_command(age):
    """Delete sent and refused messages older than --older-than; queued ones stay."""
    age = age or timedelta(days=current_app.config["MAIL_RETENTION_DAYS"])
    deleted = purge_outbox(utcnow() - age)
    click.echo(f"Deleted {deleted} sent or refused message(s) older than {age.days} days.")
