"""Whether the work in hand may write. A request's method says so (GET, HEAD and OPTIONS only read),
and `transaction()` says so for everything inside it. Two things follow it: SQLite's write lock taken
at BEGIN (database.configure_sqlite) and PostgreSQL's reads in one round trip (reads.py)."""

from contextlib import contextmanager
from contextvars import ContextVar

from flask import has_request_context, request

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
WRITTEN = "loopin.written"  # request.environ key: a transaction() of this request has committed
_writing = ContextVar("loopin_writing", default=False)


def is_safe_request():
    """Serving a request whose method only reads (RFC 9110's safe methods)."""
    return has_request_context() and request.method in SAFE_METHODS


def will_write():
    """Inside transaction(), or serving a request that may change something (its method says so)."""
    return _writing.get() or (has_request_context() and request.method not in SAFE_METHODS)


def reads_only():
    """Serving a request outside any transaction() that either cannot change anything (a safe method)
    or has made its change already (a transaction() committed: what follows reads the answer back)."""
    return not _writing.get() and has_request_context() and (
        request.method in SAFE_METHODS or request.environ.get(WRITTEN, False))


@contextmanager
def writing():
    """Mark what runs inside as a write (transaction() wraps its work in this); once it completes, the
    request has written."""
    marked = _writing.set(True)
    try:
        yield
    finally:
        _writing.reset(marked)
    if has_request_context():
        request.environ[WRITTEN] = True
