"""The app of tests/production/test_server_handoff.py, served by `python -m loopin.core.server`:
`/big` answers two halves of HALF bytes and, between them, waits (30 s at most) for the file named by
HANDOFF_MARKER, which the test writes once it has read the first half."""

import os
import time
from pathlib import Path

HALF = 32 * 1024 * 1024  # far above what the sockets' buffers hold: the worker cannot send it all


def halves(marker):
    yield b"a" * HALF
    deadline = time.monotonic() + 30
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    yield b"b" * HALF


def app(environ, start_response):
    if environ["PATH_INFO"] == "/big":
        start_response("200 OK", [("Content-Type", "application/octet-stream"), ("Content-Length", str(2 * HALF))])
        return halves(Path(os.environ["HANDOFF_MARKER"]))
    start_response("200 OK", [("Content-Type", "application/json")])  # /health/live, for running_server
    return [b'{"status": "ok"}']
