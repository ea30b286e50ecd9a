"""Administration: users and roles (`/admin/users`, `flask users ...`) and the audit log (`/admin/audit`)."""

from . import cli, routes  # noqa: F401  (their views and commands register on bp)
from .blueprint import bp


def init_app(app):
    app.register_blueprint(bp)
