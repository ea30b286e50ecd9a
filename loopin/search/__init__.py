"""Search (docs/search.md): posts, comments and people by their words, ranked, with highlights; and
`loopin search reindex`."""

from . import cli, routes  # noqa: F401  (their views and commands register on bp)
from .blueprint import bp


def init_app(app):
    app.register_blueprint(bp)
