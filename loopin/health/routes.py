"""Liveness and readiness. Never rate limited: load balancers probe often, and a probe is never refused."""

import logging
from typing import Literal

from flask import Blueprint
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..core.extensions import db
from ..web.api import endpoint

log = logging.getLogger("loopin")
bp = Blueprint("health", __name__)


class Health(BaseModel):
    status: Literal["ok", "error"]
    database: Literal["connected", "unavailable"]


class Live(BaseModel):
    status: Literal["ok"]


@bp.get("/health")
@endpoint(ok=Health, errors={503: (Health, "The database does not answer")}, rate_limited=False,
          tags=["health"])
def readiness():
    """Readiness: the database answers `SELECT 1` (within the connect timeout when it is unreachable)."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        log.warning("health check: database unavailable (%s)", type(error).__name__)
        return Health(status="error", database="unavailable"), 503
    return Health(status="ok", database="connected")


@bp.get("/health/live")
@endpoint(ok=Live, rate_limited=False, database=False, tags=["health"])
def liveness():
    """Liveness: the process answers. Touches no database."""
    return Live(status="ok")
