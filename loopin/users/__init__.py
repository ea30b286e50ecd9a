"""Profiles: the signed-in user's own profile (`/users/me`) and everyone's public one."""

from . import routes  # noqa: F401  (its views register on bp)
from .blueprint import bp


def init_app(app):
    app.register_blueprint(bp)
