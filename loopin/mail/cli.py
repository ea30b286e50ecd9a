"""`flask --app loopin mail deliver`: deliver what is due now (servers do it in the background too)."""

import click

from .blueprint import bp
from .delivery import deliver_due


@bp.cli.command("deliver")
def deliver_command():
    """Deliver every message that is due; failures stay queued for a later attempt."""
    delivered, refused, postponed = deliver_due()
    click.echo(f"Delivered {delivered} message(s); {postponed} postponed for a retry; {refused} refused for good.")
