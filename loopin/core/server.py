"""waitress as Loopin serves with it (`loopin serve`): waitress's own server, with one change to how
its I/O loop treats a connection whose answer a worker thread is sending.

waitress's loop (one thread) asks every connection, at every turn, whether it has output to send. A
worker writes an answer by putting it in the connection's output buffer and sending it itself,
holding the buffer's lock across `send()`, which releases the GIL. From that moment the loop sees
output waiting, finds the lock taken, and turns again: it asks every connection once more, drops the
GIL in `select()` (which returns at once: the socket is writable) and takes it straight back. CPython
lets a thread waiting for the GIL ask for it only after a switch interval in which the GIL changed
hands not once, so the worker that holds the lock waits while the loop spins, and each turn costs
one question per open connection. At 16 connections that is ~1 turn per request; at 64, 4–6 turns
and 12–20 failed flushes per request, and twice the CPU per request: the collapse from 16 to 64
connections in bench/FINDINGS.md (issue 26), for any app whose workers the loop is busy beside.

So while a worker holds a connection's buffer, the loop leaves that connection out of its turn; the
worker sends the answer itself, and wakes the loop whenever it leaves output behind (a slow client's
full socket), which waitress would otherwise find only at its next turn. Closing connections and a
buffer over waitress's high watermark (where a worker waits for the loop to drain it) are asked as
before.

`python -m loopin.core.server [waitress-serve's flags] wsgi:app` is `waitress-serve` on this server.
"""

import logging
import sys

from waitress.channel import HTTPChannel
from waitress.runner import run
from waitress.server import BaseWSGIServer, create_server


class HandOffChannel(HTTPChannel):
    """waitress's connection, which the I/O loop does not try to flush while a worker sends on it."""

    def writable(self):
        return super().writable() and not self.left_to_its_worker()

    def left_to_its_worker(self):
        """A worker is sending this connection's answer (it holds the buffer), so the loop need not
        look: unless the connection is to be closed, or the worker waits for the loop to drain a
        buffer over the high watermark."""
        if not self.requests or self.will_close or self.close_when_flushed:
            return False
        if self.total_outbufs_len > self.adj.outbuf_high_watermark:
            return False
        if self.outbuf_lock.acquire(blocking=False):
            self.outbuf_lock.release()
            return False
        return True

    def write_soon(self, data):
        written = super().write_soon(data)
        if self.total_outbufs_len and self.connected:
            # Output left behind (the client's socket was full) while the loop skipped this
            # connection: wake the loop now that the buffer is free, so it sends the rest.
            self.server.pull_trigger()
        return written


def create_handoff_server(app, **adjustments):
    """waitress's `create_server` whose listening sockets accept into HandOffChannel."""
    sockets = {}
    server = create_server(app, map=sockets, **adjustments)
    for listener in sockets.values():
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = HandOffChannel
    return server


def serve(app, **adjustments):
    """`waitress.serve` with HandOffChannel: the same adjustments, the same "Serving on" line."""
    logging.basicConfig()  # as waitress.serve does: a root handler unless one is there
    server = create_handoff_server(app, **adjustments)
    server.print_listen("Serving on http://{}:{}")
    server.run()


def main(argv=None):
    """waitress-serve's command line (the same flags and help) on this server."""
    return run(argv or sys.argv, _serve=serve)


if __name__ == "__main__":
    sys.exit(main())
