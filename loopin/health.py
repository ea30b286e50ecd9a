"""Liveness and readiness."""

import logging

from typing import Literal

from flask import Blueprint
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .docs import endpoint
from .extensions import db

log = logging.getLogger("loopin")
bp = Blueprint("health", __name__)


class Health(BaseModel):
    status: Literal["ok", "error"]
    database: Literal["connected", "unavailable"]


class Live(BaseModel):
    status: Literal["ok"]


@bp.get("/health")
@endpoint(ok=Health, tags=["health"])
def health():
    """Readiness: the database answers `SELECT 1` (within the connect timeout when it is unreachable)."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        log.warning("health check: database unavailable (%s)", type(error).__name__)
        return {"status": "error", "database": "unavailable"}, 503
    return {"status": "ok", "database": "connected"}


@bp.get("/health/live")
@endpoint(ok=Live, tags=["health"])
def live():
    """Liveness: the process answers. Touches no database."""
    return {"status": "ok"}
