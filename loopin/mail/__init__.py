"""Mail: an outbox written in each action's transaction, delivered after commit by a background sender
per server process and by `flask mail deliver`, over SMTP or, in development, to .eml files."""

from ..core.invocation import command_path, is_server
from . import cli  # noqa: F401  (its commands register on bp)
from .blueprint import bp
from .outbox import SENDER, listen_for_commits, queue_mail, register_template
from .sender import BackgroundSender

__all__ = ["queue_mail", "register_template", "init_app"]


def init_app(app):
    app.register_blueprint(bp)
    listen_for_commits()
    interval = app.config["MAIL_SEND_INTERVAL"]
    if interval > 0 and is_server(command_path()):
        sender = BackgroundSender(app, interval)
        app.extensions[SENDER] = sender
        sender.start()
