"""Command-line commands, registered on the app's `flask` group."""


def register_cli(app):
    """Nothing yet beyond Flask-Migrate's `db` group."""
