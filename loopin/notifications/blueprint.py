"""The `/notifications` blueprint; its commands form the `flask notifications` group."""

from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
bp.cli.help = "Retention of notifications."
bp.cli.short_help = "Purge old notifications."
