"""The `/admin` blueprint."""

from flask import Blueprint

from ..web.http import no_store

bp = Blueprint("admin", __name__, url_prefix="/admin")
# Answers carry personal data: no browser or shared cache may keep them.
bp.after_request(no_store)
