"""The `/search` blueprint; its commands form the `flask search` group."""

from flask import Blueprint

bp = Blueprint("search", __name__, url_prefix="/search")
bp.cli.help = "The search indexes."
bp.cli.short_help = "Rebuild the search indexes."
