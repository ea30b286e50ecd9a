"""Mute (docs/moderation.md): who a user does not want to hear from. The lists and notifications of the
features above read `conditions.py`; nothing tells the muted user."""

from . import routes  # noqa: F401  (its views register on bp)
from .blueprint import bp


def init_app(app):
    app.register_blueprint(bp)
