"""Notifications: events in the inbox, announcements read from one row, unread counts to poll."""

from . import cli, routes  # noqa: F401  (their views and commands register on bp)
from .blueprint import bp


def init_app(app):
    app.register_blueprint(bp)
