"""The `/users` blueprint; its commands form the `loopin users` group. Its answers are the caller's own
account (email, enrollment number, the export) or a public profile: no browser or shared cache keeps
any of them, as for `/auth/me`."""

from flask import Blueprint

from ..web.http import no_store

bp = Blueprint("users", __name__, url_prefix="/users")
bp.after_request(no_store)
bp.cli.help = "Make the first admin, change roles, deactivate, activate and delete accounts."
bp.cli.short_help = "Manage accounts: roles, the first admin, (de)activation, deletion."
