"""What a client sends to PostgreSQL, message by message: the round-trip proof of issue 26.

Fed the client-to-server bytes of each connection through TcpProxy (tests/tcp_proxy.py). After the
untyped opening (an SSL or GSSAPI request, then the startup packet), every message is a type byte and
a length (the frontend protocol, chapter 55 of PostgreSQL's manual). psycopg2 sends each statement as
one simple query ('Q'), and waits for its answer: one 'Q' is one round trip. The connection must not
use TLS (`sslmode=disable`), or there is nothing to read.

`drop_next(pattern)` makes the proxy drop the connection that next sends a query containing `pattern`,
before it reaches the server: a connection lost at an exact point of a request.
"""

import struct
import threading

SSL_REQUEST, GSSENC_REQUEST, CANCEL_REQUEST = 80877103, 80877104, 80877102


class ConnectionStream:
    """One connection's client bytes, cut into messages as they arrive (a read may hold half of one)."""

    def __init__(self, log, number):
        self.log, self.number = log, number
        self.buffer = b""
        self.started = False

    def feed(self, data):
        """Read `data`; False when the connection is to be dropped (nothing of `data` is forwarded)."""
        self.buffer += data
        while True:
            if not self.started:
                if len(self.buffer) < 8:
                    return True
                length, code = struct.unpack("!ii", self.buffer[:8])
                if len(self.buffer) < length:
                    return True
                self.buffer = self.buffer[length:]
                # An SSL or GSSAPI request comes before the startup packet; anything else is the startup.
                self.started = code not in (SSL_REQUEST, GSSENC_REQUEST, CANCEL_REQUEST)
                continue
            if len(self.buffer) < 5:
                return True
            kind, length = self.buffer[:1].decode("ascii"), struct.unpack("!i", self.buffer[1:5])[0]
            if len(self.buffer) < 1 + length:
                return True
            body, self.buffer = self.buffer[5:1 + length], self.buffer[1 + length:]
            if not self.log.record(self.number, kind, body):
                return False


class WireLog:
    """Every message the clients sent, in order: (connection number, type, SQL text or None)."""

    def __init__(self):
        self.messages = []
        self.dropped = []  # the queries whose connection was dropped instead
        self._lock = threading.Lock()
        self._connections = 0
        self._drop = None

    def stream(self):
        """A parser for a new connection (TcpProxy calls it once per accepted connection)."""
        with self._lock:
            self._connections += 1
            return ConnectionStream(self, self._connections)

    @property
    def connections(self):
        return self._connections

    def drop_next(self, pattern):
        with self._lock:
            self._drop = pattern

    def record(self, number, kind, body):
        """Log one message; False when its connection is to be dropped instead."""
        text = body.rstrip(b"\x00").decode("utf-8", "replace") if kind == "Q" else None
        with self._lock:
            if text is not None and self._drop is not None and self._drop in text:
                self._drop = None
                self.dropped.append(text)
                return False
            self.messages.append((number, kind, text))
            return True

    def during(self, action):
        """(the messages sent while `action()` ran, what it returned): queries as their SQL text, other
        messages as their type in brackets ("[X]" is a connection closing)."""
        with self._lock:
            start = len(self.messages)
        result = action()
        with self._lock:
            sent = self.messages[start:]
        return [text if kind == "Q" else f"[{kind}]" for _, kind, text in sent], result


def sent_by(wire, request):
    """(the messages one request sent once warmed up, its response): the first call fills the pool and
    the statement caches, the second is measured."""
    request()
    return wire.during(request)
