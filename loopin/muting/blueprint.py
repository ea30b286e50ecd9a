"""The `/users/me/muted` blueprint: the caller's own mutes, which no browser or shared cache keeps."""

from flask import Blueprint

from ..web.http import no_store

bp = Blueprint("muting", __name__, url_prefix="/users/me/muted")
bp.after_request(no_store)
