"""One error shape for the whole app, the original's: `{"detail": ...}`.

HTTP errors (404/405/413/415 and the rest), refusals a view or the declaration raises (ApiError: 401,
403, ...), validation failures (422, FastAPI's list) and database faults (503) all go through here.
"""

import logging

from flask import jsonify
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException

log = logging.getLogger("loopin")

BEARER_CHALLENGE = {"WWW-Authenticate": "Bearer"}
NOT_AUTHENTICATED = "Not authenticated"
INVALID_CREDENTIALS = "Could not validate credentials"
DATABASE_UNAVAILABLE = "Database unavailable"
DATABASE_BUSY = "Database busy"
# PostgreSQL's query_canceled: our statement_timeout fired. The database is up but overloaded.
QUERY_CANCELED = "57014"
# Every database 503 says when to try again: a lost connection is already replaced, and an outage or
# a full pool is worth a retry a moment later, not a storm of them.
DATABASE_RETRY_AFTER = {"Retry-After": "2"}


class ApiError(Exception):
    """An answer other than the declared success, raised where returning it is awkward (authentication)."""

    def __init__(self, status, detail, headers=None):
        super().__init__(detail)
        self.status, self.detail, self.headers = status, detail, headers


class ValidationFailed(Exception):
    """A request body that failed validation; `errors` is FastAPI's list of error objects."""

    def __init__(self, errors):
        super().__init__("request validation failed")
        self.errors = errors


def error_response(status, detail, headers=None):
    response = jsonify(detail=detail)
    response.status_code = status
    response.headers.update(headers or {})
    return response


def unauthorized(detail):
    """401 with the bearer challenge, as FastAPI's OAuth2PasswordBearer answers."""
    return error_response(401, detail, BEARER_CHALLENGE)


def http_error_message(error):
    """Werkzeug's default descriptions are HTML-page prose; FastAPI answers with the short name."""
    if error.description and error.description != type(error).description:
        return error.description
    return error.name


def handle_http_error(error):
    headers = {}
    if getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    return error_response(error.code, http_error_message(error), headers)


def handle_api_error(error):
    return error_response(error.status, error.detail, error.headers)


def handle_validation_failed(error):
    return jsonify(detail=error.errors), 422


def handle_database_error(error):
    """A database that cannot be reached or is overloaded is a 503, never a traceback."""
    if isinstance(error, sa_exc.TimeoutError) or getattr(error.orig, "pgcode", None) == QUERY_CANCELED:
        log.warning("database busy: %s", type(error).__name__)
        return error_response(503, DATABASE_BUSY, DATABASE_RETRY_AFTER)
    # Engines use hide_parameters, so the message carries no row values (hashes, emails).
    log.error("database unavailable: %s", str(error).splitlines()[0])
    return error_response(503, DATABASE_UNAVAILABLE, DATABASE_RETRY_AFTER)


def handle_unexpected_error(_error):
    # HTTP errors never get here: Flask picks the more specific HTTPException handler.
    log.exception("unhandled error")
    return error_response(500, "Internal Server Error")


def register_error_handlers(app):
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(ApiError, handle_api_error)
    app.register_error_handler(ValidationFailed, handle_validation_failed)
    app.register_error_handler(sa_exc.OperationalError, handle_database_error)
    app.register_error_handler(sa_exc.InterfaceError, handle_database_error)
    app.register_error_handler(sa_exc.TimeoutError, handle_database_error)
    app.register_error_handler(Exception, handle_unexpected_error)
