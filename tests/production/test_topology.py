"""The production topology, end to end: nginx in front of two waitress processes on one PostgreSQL,
limits in Redis. It survives slow clients that would exhaust waitress alone (slowloris), and a request
with both Content-Length and Transfer-Encoding never reaches waitress as two requests."""

import shutil
import socket
import subprocess
import time
from contextlib import ExitStack, closing, contextmanager

import pytest
from helpers import HEALTHY, free_port
from postgres import in_ci
from servers import request, server_environment, waitress

SLOW_CLIENTS = 300

NGINX_CONF = """
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 2048; }}
http {{
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    # Slow clients wait in nginx (cheap), never in waitress's threads.
    client_header_timeout 10s;
    client_body_timeout 10s;
    client_max_body_size 1m;
    upstream loopin {{ server 127.0.0.1:{a}; server 127.0.0.1:{b}; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://loopin;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
}}
"""


def nginx_binary():
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if shutil.os.path.exists("/usr/sbin/nginx") else None)
    if binary is None:
        if in_ci():
            pytest.fail("CI=true but nginx is not installed (.ci/run installs it)")
        pytest.skip("nginx is not installed (Debian: apt-get install nginx-light)")
    return binary


@contextmanager
def nginx(tmp_path, upstreams):
    binary = nginx_binary()
    port = free_port()
    conf = tmp_path / "nginx.conf"
    conf.write_text(NGINX_CONF.format(tmp=tmp_path, a=upstreams[0], b=upstreams[1], port=port), encoding="utf-8")
    tmp_path.chmod(0o777)  # nginx's workers (user nobody when started as root) write their temp files here
    process = subprocess.Popen([binary, "-c", str(conf), "-p", str(tmp_path)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                if request(base, "GET", "/health/live", timeout=2)[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError((tmp_path / "error.log").read_text(encoding="utf-8"))
        yield base, port
    finally:
        process.terminate()
        process.wait(timeout=15)


@pytest.fixture
def topology(pg_app, postgres_url, redis_url, tmp_path):
    """nginx -> two waitress processes -> PostgreSQL, limits in Redis, TRUSTED_PROXIES=1."""
    env = server_environment(postgres_url, tmp_path / "instance", RATELIMIT_ENABLED="true",
                             RATELIMIT_STORAGE_URI=redis_url, TRUSTED_PROXIES="1")
    with ExitStack() as stack:
        ports = []
        for name in ("a", "b"):
            base, _process = stack.enter_context(waitress(env, tmp_path / f"{name}.log"))
            ports.append(int(base.rsplit(":", 1)[1]))
        nginx_tmp = tmp_path / "nginx"
        nginx_tmp.mkdir()
        yield stack.enter_context(nginx(nginx_tmp, ports)), ports


def slow_client(port):
    """A connection that sends half a request and then nothing: waitress would give it a channel."""
    connection = socket.create_connection(("127.0.0.1", port), timeout=5)
    connection.sendall(b"GET /health HTTP/1.1\r\nHost: loopin\r\nX-Slow: ")
    return connection


def test_slow_clients_do_not_starve_the_api_behind_nginx(topology):
    (base, port), _ports = topology
    with ExitStack() as stack:
        for _ in range(SLOW_CLIENTS):
            stack.enter_context(closing(slow_client(port)))
        for _ in range(20):
            status, _headers, body = request(base, "GET", "/health", timeout=5)
            assert (status, body) == (200, {**HEALTHY, "rate_limit_store": "connected"})
        status, _headers, _body = request(base, "POST", "/auth/register",
                                          {"email": "slow@test.edu", "password": "correct horse battery"}, timeout=10)
        assert status == 200


def read_until_closed(connection, seconds=5):
    connection.settimeout(seconds)
    received = b""
    try:
        while chunk := connection.recv(65536):
            received += chunk
    except socket.timeout:
        pass
    return received


def test_content_length_with_transfer_encoding_is_never_two_requests(topology):
    """RFC 9112 6.3: with both headers the message is suspect. The smuggled second request must not
    be answered (waitress alone would serve it on the same connection)."""
    (_base, port), _ports = topology
    smuggled = b"GET /health/live HTTP/1.1\r\nHost: loopin\r\n\r\n"
    body = b"0\r\n\r\n" + smuggled
    attack = (b"POST /auth/login HTTP/1.1\r\nHost: loopin\r\nContent-Type: application/json\r\n"
              b"Content-Length: " + str(len(body)).encode() + b"\r\nTransfer-Encoding: chunked\r\n\r\n" + body)
    with closing(socket.create_connection(("127.0.0.1", port), timeout=5)) as connection:
        connection.sendall(attack)
        answer = read_until_closed(connection)
    assert answer.count(b"HTTP/1.1 ") == 1, answer[:500]
    assert b'{"status":"ok"}' not in answer


def test_waitress_alone_is_starved_by_the_same_slow_clients(pg_app, postgres_url, tmp_path):
    """The contrast that makes the nginx test mean something: the README's lone process is not for
    the internet."""
    env = server_environment(postgres_url, tmp_path / "instance")
    with waitress(env, tmp_path / "alone.log") as (base, _process), ExitStack() as stack:
        port = int(base.rsplit(":", 1)[1])
        for _ in range(SLOW_CLIENTS):
            try:
                stack.enter_context(closing(slow_client(port)))
            except OSError:
                break  # the backlog is full: already starved
        with pytest.raises(OSError):
            request(base, "GET", "/health/live", timeout=3)
