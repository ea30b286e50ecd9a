"""The `/media` blueprint."""

from flask import Blueprint

from ..web.http import no_store

bp = Blueprint("media", __name__, url_prefix="/media")
# A signature is good for an hour of uploads: no cache may keep it.
bp.after_request(no_store)
