"""Posts and the feed: discussions, questions and announcements by department and tag, pinned first."""

from . import routes  # noqa: F401  (its views register on bp)
from .blueprint import bp


def init_app(app):
    app.register_blueprint(bp)
