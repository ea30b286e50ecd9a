"""Moderation (docs/moderation.md): reports of posts and comments, hiding what enough people reported
until an admin reviews it, and the admins' review queue. Editing with history lives with posts and
comments; mutes with `muting`."""

from . import routes  # noqa: F401  (its views register on the blueprints)
from .blueprint import reports_bp, review_bp


def init_app(app):
    app.register_blueprint(reports_bp)
    app.register_blueprint(review_bp)
