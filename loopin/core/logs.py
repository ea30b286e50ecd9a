"""Logging for the `loopin` logger: one format, configurable level, no secrets in any line."""

import logging

LOG_FORMAT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"
AUDIT_FORMAT = "%(message)s"  # the audit record is a JSON object with its own time: one per line


def configure_logging(level):
    """Give `loopin` a handler unless the host (pytest, a WSGI server's config) already set one up."""
    logger = logging.getLogger("loopin")
    logger.setLevel(level.upper())
    if not logger.handlers and not logging.getLogger().handlers:
        add_own_handler(logger, LOG_FORMAT)
        add_own_handler(logging.getLogger("loopin.audit"), AUDIT_FORMAT)
        # The rate limiter's warnings (its store is down, so limits fall back to memory) in the same
        # format; its per-request INFO lines stay out.
        limiter_log = logging.getLogger("flask-limiter")
        limiter_log.setLevel(logging.WARNING)
        add_own_handler(limiter_log, LOG_FORMAT)
    return logger


def add_own_handler(logger, format_):
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(format_))
    logger.addHandler(handler)
    # Ours is the only output: a root handler added later (Alembic's logging config) must not print
    # every line twice.
    logger.propagate = False
