"""The `/admin` blueprint; its commands form the `flask users` group."""

from flask import Blueprint

from ..web.http import no_store

bp = Blueprint("admin", __name__, url_prefix="/admin", cli_group="users")
# Answers carry personal data: no browser or shared cache may keep them.
bp.after_request(no_store)
bp.cli.help = "Make the first admin, change roles, deactivate and activate accounts."
bp.cli.short_help = "Manage accounts: roles, the first admin, (de)activation."
