"""loopin/core/server.py, the server `loopin serve` runs: waitress's I/O loop leaves a connection
alone while a worker sends on it (the loop spun on the worker's lock, the collapse at 64 connections
in bench/FINDINGS.md), and still sends at once what a worker left unsent."""

import os
import socket
import sys
import threading

import pytest
from handoff_app import HALF
from helpers import free_port
from servers import REPO, running_server

from loopin.core.server import HandOffChannel, create_handoff_server


def ok(_environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


@pytest.fixture
def server():
    """A server on a free port, its loop not running: the test drives it."""
    server = create_handoff_server(ok, host="127.0.0.1", port=0, threads=1)
    yield server
    for dispatcher in list(server._map.values()):
        dispatcher.close()
    server.task_dispatcher.shutdown()


def accepted_channel(server):
    """The connection the listening socket makes of a real client's connect."""
    client = socket.create_connection(("127.0.0.1", server.effective_port))
    before = set(server._map)
    server.handle_accept()
    (channel,) = (server._map[fd] for fd in set(server._map) - before)
    return client, channel


def held(lock):
    """The lock held by another thread (as a worker holds it across send()) until the event is set."""
    taken, release = threading.Event(), threading.Event()

    def hold():
        with lock:
            taken.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    taken.wait(10)
    return release, thread


def test_the_loop_leaves_a_connection_alone_while_a_worker_sends_on_it(server):
    client, channel = accepted_channel(server)
    with client:
        assert isinstance(channel, HandOffChannel)
        # A request in service with its answer in the buffer: waitress's loop flushes it when it can.
        channel.requests, channel.total_outbufs_len = [object()], 200
        assert channel.writable()
        release, worker = held(channel.outbuf_lock)
        try:
            assert not channel.writable()  # waitress's own channel answers True here, and the loop spins
            channel.total_outbufs_len = server.adj.outbuf_high_watermark + 1
            assert channel.writable()  # the worker waits for the loop to drain the buffer
            channel.total_outbufs_len, channel.close_when_flushed = 200, True
            assert channel.writable()  # the loop closes the connection once flushed
        finally:
            release.set()
            worker.join()
        channel.requests, channel.total_outbufs_len, channel.close_when_flushed = [], 0, False


def free_in_another_thread(lock):
    """Whether another thread could take the lock now (the loop's thread, trying it)."""
    taken = []

    def try_it():
        taken.append(lock.acquire(blocking=False))
        if taken[0]:
            lock.release()

    thread = threading.Thread(target=try_it)
    thread.start()
    thread.join()
    return taken[0]


def test_a_worker_that_leaves_output_unsent_wakes_the_loop_once_the_buffer_is_free(server):
    """A client that does not read: the worker's send takes part of the answer and the loop must send
    the rest. waitress wakes the loop while the worker still holds the buffer, which the loop now
    skips; the wake-up that counts is the one after the worker let go."""
    client, channel = accepted_channel(server)
    with client:
        client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
        channel.socket.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 65536)
        wakes = []
        server.pull_trigger = lambda: wakes.append(free_in_another_thread(channel.outbuf_lock))
        channel.write_soon(b"x" * (4 * 1024 * 1024))
        assert channel.total_outbufs_len > 0  # left for the loop
        assert wakes and wakes[-1] is True
        del server.pull_trigger
        assert channel.writable()  # the loop, woken, sees it


def test_what_a_worker_leaves_unsent_is_sent_while_the_app_still_works(tmp_path):
    """End to end over real HTTP: an answer of two 32 MiB halves, each more than the sockets hold, with
    the app waiting between them until the client has read the first. waitress's loop looks at a
    connection it skipped only at its next event or after `--asyncore-loop-timeout` (120 s here), so a
    lost wake-up leaves the client waiting (a 20 s timeout fails the test); the test above decides the
    race that makes such a loss rare (1 request in 100 here without the wake-up)."""
    marker, port = tmp_path / "first-half-read", free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "tests")]),
           "HANDOFF_MARKER": str(marker)}
    command = [sys.executable, "-m", "loopin.core.server", f"--listen=127.0.0.1:{port}", "--threads=2",
               "--asyncore-loop-timeout=120", "handoff_app:app"]
    with running_server(command, env, tmp_path / "server.log", port):
        with socket.create_connection(("127.0.0.1", port), timeout=20) as client:
            client.sendall(b"GET /big HTTP/1.1\r\nHost: test\r\n\r\n")
            head, body = read_head(client)
            body = read_at_least(client, body, HALF)  # socket.timeout if the rest stays in the buffer
            assert body[:HALF] == b"a" * HALF
            marker.touch()
            body = read_at_least(client, body, 2 * HALF)
    assert head.startswith(b"HTTP/1.1 200 OK") and body == b"a" * HALF + b"b" * HALF


def read_head(client):
    received = b""
    while b"\r\n\r\n" not in received:
        received += client.recv(65536)
    head, _, body = received.partition(b"\r\n\r\n")
    return head, body


def read_at_least(client, received, size):
    chunks = [received]
    total = len(received)
    while total < size:
        chunk = client.recv(1024 * 1024)
        assert chunk, "the server closed the connection"
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)
