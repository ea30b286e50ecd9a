"""What a client sends to PostgreSQL, message by message: the round-trip proof of issue 26.

Fed the client-to-server bytes of each connection through TcpProxy (tests/tcp_proxy.py). After the
untyped opening (an SSL or GSSAPI request, then the startup packet), every message is a type byte and
a length (the frontend protocol, chapter 55 of PostgreSQL's manual). psycopg2 sends each statement as
one simple query ('Q'), and waits for its answer: one 'Q' is one round trip. The connection must not
use TLS (`sslmode=disable`), or there is nothing to read.
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
        self.buffer += data
        while True:
            if not self.started:
                if len(self.buffer) < 8:
                    return
                length, code = struct.unpack("!ii", self.buffer[:8])
                if len(self.buffer) < length:
                    return
                self.buffer = self.buffer[length:]
                # An SSL or GSSAPI request comes before the startup packet; anything else is the startup.
                self.started = code not in (SSL_REQUEST, GSSENC_REQUEST, CANCEL_REQUEST)
                continue
            if len(self.buffer) < 5:
                return
            kind, length = self.buffer[:1].decode("ascii"), struct.unpack("!i", self.buffer[1:5])[0]
            if len(self.buffer) < 1 + length:
                return
            body, self.buffer = self.buffer[5:1 + length], self.buffer[1 + length:]
            self.log.record(self.number, kind, body)


class WireLog:
    """Every message the clients sent, in order: (connection number, type, SQL text or None)."""

    def __init__(self):
        self.messages = []
        self._lock = threading.Lock()
        self._connections = 0

    def stream(self):
        """A parser for a new connection (TcpProxy calls it once per accepted connection)."""
        with self._lock:
            self._connections += 1
            return ConnectionStream(self, self._connections)

    @property
    def connections(self):
        return self._connections

    def record(self, number, kind, body):
        text = body.rstrip(b"\x00").decode("utf-8", "replace") if kind == "Q" else None
        with self._lock:
            self.messages.append((number, kind, text))

    def during(self, action):
        """(the messages sent while `action()` ran, what it returned): queries as their SQL text, other
        messages as their type in brackets ("[X]" is a connection closing)."""
        with self._lock:
            start = len(self.messages)
        result = action()
        with self._lock:
            sent = self.messages[start:]
        return [text if kind == "Q" else f"[{kind}]" for _, kind, text in sent], result
