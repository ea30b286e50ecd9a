"""Profiles: the signed-in user's own profile (`/users/me`) and everyone's public one; the account's
export and deletion."""

from . import account_routes, routes  # noqa: F401  (their views register on bp)
from .blueprint import bp


def init_app(app):
    app.register_blueprint(bp)
