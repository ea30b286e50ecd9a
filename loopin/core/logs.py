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
import threading
import time
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


QUEUE_SUMMARY_SECONDS = 10.0


class QueueDepthSummary(logging.Filter):
    """waitress warns "Task queue depth is N" once for every request that waits for a thread: thousands
    of lines a minute on a busy morning (4,066 in 16 s of load here). At most one line per
    QUEUE_SUMMARY_SECONDS passes, with the deepest queue and how many requests waited since the last
    one; the first is let through at once, so a queue that starts to build is seen when it does."""

    def __init__(self, interval=QUEUE_SUMMARY_SECONDS, clock=time.monotonic):
        super().__init__()
        self.interval, self.clock = interval, clock
        self.lock = threading.Lock()
        self.deepest = self.waited = 0
        self.last = None

    def filter(self, record):
        depth = record.args[0] if isinstance(record.args, tuple) and record.args else 0
        with self.lock:
            self.deepest, self.waited = max(self.deepest, depth), self.waited + 1
            now = self.clock()
            if self.last is not None and now - self.last < self.interval:
                return False
            record.msg = "Task queue depth up to %d; %d request(s) waited for a thread since the last such line"
            record.args = (self.deepest, self.waited)
            self.last, self.deepest, self.waited = now, 0, 0
        return True


def summarise_waitress_queue():
    """Once per process, whoever configured the handlers (Loopin or the host)."""
    queue = logging.getLogger("waitress.queue")
    if not any(isinstance(existing, QueueDepthSummary) for existing in queue.filters):
        queue.addFilter(QueueDepthSummary())


def configure_logging(level, log_format="text", lifecycle=True):
    """Give Loopin's loggers a handler unless the host (pytest, a WSGI server's config) already set
    one up; return the `loopin` logger."""
    logger = logging.getLogger("loopin")
    logger.setLevel(level.upper())
    lifecycle_log.setLevel(logging.NOTSET if lifecycle else logging.WARNING)
    summarise_waitress_queue()
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
