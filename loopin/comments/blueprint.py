"""Comments live under their post: `/posts/{id}/comments/`."""

from flask import Blueprint

bp = Blueprint("comments", __name__, url_prefix="/posts")
