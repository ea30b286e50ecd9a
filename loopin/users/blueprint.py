"""The `/users` blueprint; its commands form the `loopin users` group."""

from flask import Blueprint

bp = Blueprint("users", __name__, url_prefix="/users")
bp.cli.help = "Make the first admin, change roles, deactivate, activate and delete accounts."
bp.cli.short_help = "Manage accounts: roles, the first admin, (de)activation, deletion."
