"""Posts and the feed: discussions, questions and announcements by department and tag, pinned first."""

from ..votes.targets import register_target
from . import edit_routes, routes  # noqa: F401  (their views register on bp)
from .blueprint import bp
from .counters import POST_TARGET


def init_app(app):
    app.register_blueprint(bp)
    register_target(app, "post", POST_TARGET)
