"""Media: signed direct uploads to Cloudinary (`GET /media/signature`), and the rule that a post's media
comes from that cloud and folder only (rules.py)."""

from . import routes  # noqa: F401  (its views register on bp)
from .blueprint import bp


def init_app(app):
    app.register_blueprint(bp)
