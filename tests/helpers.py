"""Small helpers shared by test modules."""

import socket
from contextlib import closing


def free_port():
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening_socket():
    """A TCP listener on a free port that never accepts: anything that connects waits in its backlog."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.setblocking(False)
    return listener


def was_connected_to(listener):
    """True if anything connected to `listener` (a connection waits in the backlog until accepted)."""
    try:
        connection, _ = listener.accept()
    except BlockingIOError:
        return False
    connection.close()
    return True
