"""The app the in-process timing scripts measure (login_timing.py, forgot_timing.py): production hashing
cost, no rate limits, no background mail sender, its database migrated to the head."""

import flask_migrate

from loopin import create_app
from loopin.core.schema import register_migrations


def migrated_app(database_url, folder):
    app = create_app({"LOAD_DOTENV": False, "SECRET_KEY": "t" * 48, "DATABASE_URL": database_url,
                      "INSTANCE_PATH": str(folder), "RATELIMIT_ENABLED": False, "LOG_LEVEL": "WARNING",
                      "MAIL_SEND_INTERVAL": 0})
    register_migrations(app)  # a WSGI-style app has none (servers never load Alembic)
    with app.app_context():
        flask_migrate.upgrade()
    return app
