"""Loopin: the Flask/WSGI backend of Loop.in, a drop-in successor of its FastAPI original.

`create_app` reads like a table of contents. Importing this package does no work: no engine, no
connection, no file. The factory binds the engine; the first connection opens when a request needs it.

Layout: `core/` is process plumbing (settings, database, logging, lifecycle, pre-flight), `web/` is
request plumbing (the endpoint declaration and its OpenAPI document, validation, errors, HTTP hooks,
rate limits, audit), and every other package is a feature that uses them, never the reverse.
"""

import os

from flask import Flask

from . import (
    admin,
    auth,
    comments,
    health,
    mail,
    media,
    metrics,
    moderation,
    muting,
    news,
    notifications,
    posts,
    search,
    switching,
    users,
    votes,
)
from .core.cli import register_cli
from .core.config import configure
from .core.database import POOL_ADVICE, configure_sqlite, describe_database, threads_beyond_pool
from .core.extensions import cors, db, jwt
from .core.invocation import command_path, is_loading_commands, is_server, needs_migrations
from .core.lifecycle import register_shutdown
from .core.logs import configure_logging, lifecycle_log
from .core.reads import read_in_autocommit
from .core.reconnect import mark_statements, run_reads_again_on_a_new_connection
from .core.schema import register_schema
from .core.serving import tune_interpreter_for_serving
from .core.settings import SettingsError, load_settings
from .models import SCHEMA_REVISION
from .web.access_log import register_access_log
from .web.cursors import NEXT_CURSOR
from .web.docs import register_docs
from .web.errors import register_error_handlers
from .web.http import FastAPIStyleJSON, for_cross_origin_requests_only, register_http_hooks
from .web.ratelimits import init_rate_limits

FEATURES = (mail, auth, users, admin, media, posts, comments, votes, notifications, muting, moderation, news, search,
            health, switching, metrics)


def create_app(config=None):
    """Build the app. `config` overrides any setting (tests pass one; production uses the environment).

    Bad settings stop it with SettingsError (every one listed; exit status 2 on a command line), except
    while a command line only loads the app to list or find commands: then `--help` still lists them,
    `check` reports the settings, and any other command stops before it does anything.
    """
    settings, problems = load_settings(config)
    invoked = command_path()
    if problems and not is_loading_commands(invoked):
        raise SettingsError(problems)
    instance_path = os.path.abspath(settings["INSTANCE_PATH"]) if settings["INSTANCE_PATH"] else None
    app = Flask(__name__, instance_path=instance_path)
    app.json = FastAPIStyleJSON(app)
    log = configure_logging(settings["LOG_LEVEL"], settings["LOG_FORMAT"], lifecycle=is_server(invoked))
    if is_server(invoked):
        tune_interpreter_for_serving()
    lifecycle_log.info("Starting application")
    configure(app, settings)
    register_database(app, log)
    register_schema(app, SCHEMA_REVISION, migrations=needs_migrations(invoked))
    jwt.init_app(app)
    register_cors(app)
    for feature in FEATURES:
        feature.init_app(app)  # its blueprint, commands and hooks
    register_docs(app)  # after the features: documents their endpoints
    init_rate_limits(app)  # after the features: limits attach to their endpoints
    register_error_handlers(app)
    register_http_hooks(app)
    register_access_log(app)  # after the hooks: outside ProxyFix, so it logs the client's address
    register_cli(app, problems)
    register_shutdown(app)
    return app


def register_database(app, log):
    lifecycle_log.info("Database: %s", describe_database(app.config["SQLALCHEMY_DATABASE_URI"]))
    db.init_app(app)  # creates the engine; connects on first use only
    with app.app_context():
        configure_sqlite(db.engine)
        read_in_autocommit(db.engine)
        mark_statements(db.session)
        run_reads_again_on_a_new_connection(db.session)
    lifecycle_log.info("Database engine initialized")
    beyond = threads_beyond_pool(app.config)
    if beyond:
        log.warning("WAITRESS_THREADS=%s exceeds the connection pool (%s): busy threads will wait for "
                    "connections; %s", *beyond, POOL_ADVICE)


def register_cors(app):
    origins = [o.strip() for o in app.config["CORS_ORIGINS"].split(",") if o.strip()]
    # Any origin by default, as the original; no credentials, since tokens travel in headers, not cookies.
    any_origin = origins == ["*"]
    # A browser lets the frontend read X-Next-Cursor (keyset pagination) only when the answer says so.
    # Only a request with an Origin (a browser's cross-origin call) gets CORS headers, as the original's
    # CORSMiddleware answered; the rest skip flask-cors's work (a tenth of a /health request's CPU).
    # Error answers get them from the same hook (Flask runs after-request hooks on what error handlers
    # return, a 500's included), so flask-cors need not wrap the error handlers too.
    with for_cross_origin_requests_only(app):
        cors.init_app(app, origins="*" if any_origin else origins, send_wildcard=any_origin,
                      supports_credentials=False, expose_headers=[NEXT_CURSOR], always_send=False,
                      intercept_exceptions=False)
