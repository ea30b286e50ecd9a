"""The mail feature has no routes; its blueprint carries the `flask mail` commands."""

from flask import Blueprint

bp = Blueprint("mail", __name__)
bp.cli.help = "The outbox: deliver queued mail."
bp.cli.short_help = "Deliver queued mail (the outbox)."
