"""Liveness and readiness. Never rate limited: load balancers probe often, and a probe is never refused."""

import logging
from typing import Literal

from flask import Blueprint, current_app
from pydantic import BaseModel
from sqlalchemy.exc import SQLAlchemyError

from ..core.schema import schema_state
from ..web.api import endpoint
from ..web.ratelimits import limit_store_call

log = logging.getLogger("loopin")
bp = Blueprint("health", __name__)


class Health(BaseModel):
    status: Literal["ok", "error"]
    database: Literal["connected", "unavailable"]
    # "behind" or "empty": run `flask --app loopin db upgrade`; null when the database does not answer.
    migrations: Literal["current", "behind", "empty"] | None
    # The shared rate-limit store when it is Redis (null: limits in this process's memory).
    rate_limit_store: Literal["connected", "unavailable"] | None


class Live(BaseModel):
    status: Literal["ok"]


def rate_limit_store():
    """Whether the Redis behind the rate limits answers; None when limits live in memory."""
    if not current_app.config["RATELIMIT_STORAGE_URI"].startswith(("redis://", "rediss://")):
        return None
    return "connected" if limit_store_call("check", default=False) else "unavailable"


@bp.get("/health")
@bp.get("/health/ready", endpoint="readiness_alias")
@endpoint(ok=Health, errors={503: (Health, "The database does not answer, or its schema is not at head")},
          rate_limited=False, tags=["health"])
def readiness():
    """Readiness: the database answers (within the connect timeout when it is unreachable) and its
    schema is at the newest migration. The rate limits' Redis is reported, not required: limits fall
    back to memory while it is down."""
    store = rate_limit_store()
    try:
        schema = schema_state()
    except SQLAlchemyError as error:
        log.warning("health check: database unavailable (%s)", type(error).__name__)
        return Health(status="error", database="unavailable", migrations=None, rate_limit_store=store), 503
    if schema != "current":
        log.warning("health check: schema %s; run `flask --app loopin db upgrade`", schema)
        return Health(status="error", database="connected", migrations=schema, rate_limit_store=store), 503
    return Health(status="ok", database="connected", migrations=schema, rate_limit_store=store)


@bp.get("/health/live")
@endpoint(ok=Live, rate_limited=False, database=False, tags=["health"])
def liveness():
    """Liveness: the process answers. Touches no database."""
    return Live(status="ok")
