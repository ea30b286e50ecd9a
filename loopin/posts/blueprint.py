"""The `/posts` blueprint. Its collection answers at `/posts/` and `/posts` alike (no redirect, which
would drop an Authorization header or a body)."""

from flask import Blueprint

bp = Blueprint("posts", __name__, url_prefix="/posts")
