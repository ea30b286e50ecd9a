"""The `/news` blueprint: its collection answers at `/news/` and `/news`."""

from flask import Blueprint

bp = Blueprint("news", __name__, url_prefix="/news")
