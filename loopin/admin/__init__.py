"""Administration: users' roles and standing (`/admin/users`) and the audit trail (`/admin/audit`).
The `loopin users ...` commands that do the same from a shell live with the users feature."""

from . import routes  # noqa: F401  (its views register on bp)
from .blueprint import bp


def init_app(app):
    app.register_blueprint(bp)
