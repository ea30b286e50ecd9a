"""The `/auth` blueprint, shared by the account routes and the session routes. Its commands (the
`sessions` group) sit at the top level of the `loopin` command."""

from flask import Blueprint

from ..web.http import no_store

bp = Blueprint("auth", __name__, url_prefix="/auth", cli_group=None)
# Answers carry tokens: no browser or shared cache may keep them.
bp.after_request(no_store)
