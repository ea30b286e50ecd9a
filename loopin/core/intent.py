"""Whether the work in hand may write. A request's method says so (GET, HEAD and OPTIONS only read),
and `transaction()` says so for everything inside it. Two things follow it: SQLite's write lock taken
at BEGIN (database.configure_sqlite) and PostgreSQL's reads in one round trip (reads.py)."""

from contextlib import contextmanager
from contextvars import ContextVar

from flask import has_request_context, request

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
_writing = ContextVar("loopin_writing", default=False)


def is_safe_request():
    """Serving a request whose method only reads (RFC 9110's safe methods)."""
    return has_request_context() and request.method in SAFE_METHODS


def will_write():
    """Inside transaction(), or serving a request that may change something (its method says so)."""
    return _writing.get() or (has_request_context() and request.method not in SAFE_METHODS)


def reads_only():
    """Serving a safe request, outside any transaction(): what runs now cannot change anything."""
    return not _writing.get() and is_safe_request()


@contextmanager
def writing():
    """Mark what runs inside as a write (transaction() wraps its work in this)."""
    marked = _writing.set(True)
    try:
        yield
    finally:
        _writing.reset(marked)
