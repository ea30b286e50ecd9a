"""Search (docs/search.md): posts, comments and people by their words, ranked, with highlights; and
`loopin search reindex`."""

from ..core.preflight import register_check
from ..fulltext.support import NAME, check_full_text
from . import cli, routes  # noqa: F401  (their views and commands register on bp)
from .blueprint import bp


def init_app(app):
    app.register_blueprint(bp)
    register_check(app, NAME, check_full_text)
