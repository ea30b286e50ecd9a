"""Comments: threaded discussion under a post, with placeholders for deleted comments that have replies."""

from . import routes  # noqa: F401  (its views register on bp)
from .blueprint import bp


def init_app(app):
    app.register_blueprint(bp)
