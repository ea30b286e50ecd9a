"""Users: the signed-in user's own profile (`/users/me`) and everyone's public one; the account as a
whole, exported or deleted; and the `loopin users` commands. Deleting an account takes back what it
did in every feature, so users sit at the top of the layers (docs/architecture.md)."""

from . import account_routes, cli, routes  # noqa: F401  (their views and commands register on bp)
from .blueprint import bp


def init_app(app):
    app.register_blueprint(bp)
