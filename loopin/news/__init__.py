"""Campus news: the newest announcement posts in the shape of the original frontend's news widget."""

from . import routes  # noqa: F401  (its views register on bp)
from .blueprint import bp


def init_app(app):
    app.register_blueprint(bp)
