"""Comments: threaded discussion under a post, with placeholders for deleted comments that have replies."""

from ..votes.targets import register_target
from . import routes  # noqa: F401  (its views register on bp)
from .blueprint import bp
from .counters import COMMENT_TARGET


def init_app(app):
    app.register_blueprint(bp)
    register_target(app, "comment", COMMENT_TARGET)
