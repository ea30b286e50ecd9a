"""Logging: one format for every line Loopin prints (its own, the audit's, the access log's,
Alembic's), as text or JSON, with a configurable level and no secrets in any line.

Loggers:
- `loopin`: the application. `loopin.lifecycle` (startup and shutdown) speaks for servers only: a
  one-shot command (`flask db upgrade`, `--help`) keeps it quiet.
- `loopin.audit`: one line per security event; its fields travel as the record's `audit` attribute.
- `loopin.access`: one line per request when ACCESS_LOG is true.
"""

import json
import logging
from datetime import datetime, timezone

TEXT_FORMAT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"
AUDIT_TEXT_FORMAT = "%(message)s"  # the audit record is a JSON object with its own time: one per line
# Other libraries' loggers that print through Loopin's handler: the rate limiter's warnings (its store
# is down, limits fall back to memory), the migration tool's progress, and waitress's own lines
# ("Serving on", a full task queue).
SHARED_LOGGERS = {"flask-limiter": logging.WARNING, "alembic": logging.INFO, "flask_migrate": logging.INFO,
                  "waitress": logging.INFO}

lifecycle_log = logging.getLogger("loopin.lifecycle")


class JSONFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, pid, message or the audit fields."""

    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "pid": record.process,
        }
        audit = getattr(record, "audit", None)
        if audit is not None:
            line.update(audit)
        else:
            line["message"] = record.getMessage()
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, separators=(",", ":"), default=str)


def formatter_for(log_format, text_format=TEXT_FORMAT):
    return JSONFormatter() if log_format.lower() == "json" else logging.Formatter(text_format)


def configure_logging(level, log_format="text", lifecycle=True):
    """Give Loopin's loggers a handler unless the host (pytest, a WSGI server's config) already set
    one up; return the `loopin` logger."""
    logger = logging.getLogger("loopin")
    logger.setLevel(level.upper())
    lifecycle_log.setLevel(logging.NOTSET if lifecycle else logging.WARNING)
    if not logger.handlers and not logging.getLogger().handlers:
        add_own_handler(logger, formatter_for(log_format))
        add_own_handler(logging.getLogger("loopin.audit"), formatter_for(log_format, AUDIT_TEXT_FORMAT))
        for name, shared_level in SHARED_LOGGERS.items():
            logging.getLogger(name).setLevel(shared_level)
            add_own_handler(logging.getLogger(name), formatter_for(log_format))
    return logger


def add_own_handler(logger, formatter):
    handler = logging.StreamHandler()  # stderr, which prints any character (backslashreplace)
    handler.setFormatter(formatter)
    logger.addHandler(handler)
    # Ours is the only output: a root handler added later must not print every line twice.
    logger.propagate = False
