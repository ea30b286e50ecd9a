"""Loopin: the Flask/WSGI backend of Loop.in, a drop-in successor of its FastAPI original.

`create_app` reads like a table of contents. Importing this package does no work: no engine, no
connection, no file. The factory binds the engine; the first connection opens when a request needs it.
"""

import os

from flask import Flask

from . import auth, health
from .auth.passwords import init_passwords
from .auth.tokens import register_token_loaders
from .cli import register_cli
from .config import configure, load_settings
from .database import describe_database, pool_capacity
from .docs import register_docs
from .errors import register_error_handlers, register_jwt_loaders
from .extensions import cors, db, jwt, migrate
from .http import FastAPIStyleJSON, register_http_hooks
from .lifecycle import register_shutdown
from .logs import configure_logging
from .ratelimits import init_rate_limits

# Absolute, so `flask db upgrade` works from any working directory.
MIGRATIONS_DIRECTORY = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "migrations")


def create_app(config=None):
    """Build the app. `config` overrides any setting (tests pass one; production uses the environment)."""
    settings = load_settings(config)
    instance_path = os.path.abspath(settings["INSTANCE_PATH"]) if settings["INSTANCE_PATH"] else None
    app = Flask(__name__, instance_path=instance_path)
    app.json = FastAPIStyleJSON(app)
    log = configure_logging(settings["LOG_LEVEL"])
    log.info("Starting application")
    configure(app, settings)
    register_database(app, log)
    register_auth(app)
    register_cors(app)
    register_blueprints(app)
    register_docs(app)  # after the blueprints: documents their endpoints
    init_rate_limits(app)  # after the blueprints: limits attach to their endpoints
    register_error_handlers(app)
    register_http_hooks(app)
    register_cli(app)
    register_shutdown(app)
    return app


def register_database(app, log):
    log.info("Database: %s", describe_database(app.config["SQLALCHEMY_DATABASE_URI"]))
    db.init_app(app)  # creates the engine; connects on first use only
    log.info("Database engine initialized")
    capacity = pool_capacity(app.config)
    if capacity is not None and app.config["WAITRESS_THREADS"] > capacity:
        log.warning("WAITRESS_THREADS=%s exceeds the connection pool (%s): busy threads will wait for "
                    "connections; lower the threads or raise DB_POOL_SIZE/DB_MAX_OVERFLOW",
                    app.config["WAITRESS_THREADS"], capacity)
    # One transaction per revision: a revision that stops (0003 on case duplicates) leaves the ones
    # before it applied and itself untouched.
    migrate.init_app(app, db, directory=MIGRATIONS_DIRECTORY, render_as_batch=True, compare_type=True,
                     transaction_per_migration=True)


def register_auth(app):
    jwt.init_app(app)
    register_jwt_loaders(jwt)
    register_token_loaders(jwt)
    init_passwords(app)


def register_cors(app):
    origins = [o.strip() for o in app.config["CORS_ORIGINS"].split(",") if o.strip()]
    # Any origin by default, as the original; no credentials, since tokens travel in headers, not cookies.
    any_origin = origins == ["*"]
    cors.init_app(app, origins="*" if any_origin else origins, send_wildcard=any_origin, supports_credentials=False)


def register_blueprints(app):
    app.register_blueprint(auth.bp)
    app.register_blueprint(health.bp)
