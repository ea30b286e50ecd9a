"""Votes and reactions: toggles with exact counters under concurrency, on whatever the features above
register as targets (votes/targets.py: posts and comments do)."""

from . import routes  # noqa: F401  (its views register on the blueprints)
from .blueprint import reactions_bp, votes_bp


def init_app(app):
    app.register_blueprint(votes_bp)
    app.register_blueprint(reactions_bp)
