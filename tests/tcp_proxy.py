"""A TCP proxy in front of the real PostgreSQL that a test can cut and restore: the only simulated
part of the database-fault tests. Cut: new connections are refused and live ones are dropped, as when
the server goes away; restore: it listens again on the same port. With a `wire` log (tests/pg_wire.py)
it also reads what each client sends, to count round trips."""

import socket
import threading

from helpers import free_port


class TcpProxy:
    def __init__(self, target_host, target_port, wire=None):
        self.target = (target_host, target_port)
        self.wire = wire
        self.port = free_port()
        self._sockets = set()
        self._lock = threading.Lock()
        self._listener = None
        self._stop = threading.Event()
        self._acceptor = None

    def restore(self):
        """Start (or resume) listening on the proxy's port; a proxy already listening stays as it is."""
        if self._acceptor is not None:
            return
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.settimeout(0.1)
        self._listener, self._stop = listener, threading.Event()
        self._acceptor = threading.Thread(target=self._accept_loop, args=(listener, self._stop), daemon=True)
        self._acceptor.start()

    def cut(self):
        """Refuse new connections and drop every live one."""
        if self._acceptor is not None:
            self._stop.set()
            self._acceptor.join()
            self._listener.close()
            self._acceptor = None
        with self._lock:
            for sock in self._sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
            self._sockets.clear()

    def _accept_loop(self, listener, stop):
        while not stop.is_set():
            try:
                client, _ = listener.accept()
            except (socket.timeout, OSError):
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=3)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets.update((client, upstream))
            stream = self.wire.stream() if self.wire is not None else None
            for source, sink, reader in ((client, upstream, stream), (upstream, client, None)):
                threading.Thread(target=self._pump, args=(source, sink, reader), daemon=True).start()

    @staticmethod
    def _pump(source, sink, reader):
        try:
            while data := source.recv(65536):
                if reader is not None and not reader.feed(data):
                    break  # dropped: the finally closes both ends, as a dead server would
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
