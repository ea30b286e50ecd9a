"""Liveness and readiness."""

import logging

from flask import Blueprint
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db

log = logging.getLogger("loopin")
bp = Blueprint("health", __name__)


@bp.get("/health")
def health():
    """Readiness: the database answers `SELECT 1` (within the connect timeout when it is unreachable)."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        log.warning("health check: database unavailable (%s)", type(error).__name__)
        return {"status": "error", "database": "unavailable"}, 503
    return {"status": "ok", "database": "connected"}


@bp.get("/health/live")
def live():
    """Liveness: the process answers. Touches no database."""
    return {"status": "ok"}
