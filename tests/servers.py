"""Real servers in subprocesses (waitress, `flask run`), and a tiny HTTP client for them."""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from helpers import TEST_CONFIG, free_port

REPO = Path(__file__).resolve().parent.parent


def server_environment(database_url, instance_path, **settings):
    """The environment a deployment would set: settings as variables, never the test's config dict."""
    values = {k: v for k, v in TEST_CONFIG.items() if k not in ("LOAD_DOTENV", "TESTING")}
    values.update(DATABASE_URL=database_url, INSTANCE_PATH=str(instance_path), **settings)
    env = {k: v for k, v in os.environ.items() if k not in values}
    env.update({k: str(v) for k, v in values.items()})
    env["PYTHONPATH"] = str(REPO)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def request(base, method, path, body=None, headers=None, raw=None, timeout=15):
    """(status, headers, parsed JSON body) over real HTTP; errors are answers too."""
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    all_headers = {"Content-Type": "application/json"} if data is not None else {}
    all_headers.update(headers or {})
    req = urllib.request.Request(base + path, data=data, method=method, headers=all_headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.headers, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        payload = error.read()
        return error.code, error.headers, json.loads(payload) if payload else None


def wait_until_answering(base, process, log_path, seconds=30, path="/health/live"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited early:\n{Path(log_path).read_text(encoding='utf-8')}")
        try:
            if request(base, "GET", path, timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"server did not answer in {seconds}s:\n{Path(log_path).read_text(encoding='utf-8')}")


@contextmanager
def running_server(command, env, log_path, port):
    """Start `command`, wait for /health/live, yield its base URL, then stop it and wait. terminate() is
    SIGTERM on POSIX (a clean shutdown) and TerminateProcess on Windows (none): tests that assert the
    shutdown say so and are skipped there."""
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(base, process, log_path)
        yield base, process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def waitress(env, log_path, threads=4, port=None):
    """`wsgi:app` on waitress as `loopin serve` runs it (loopin/core/server.py), with waitress-serve's
    flags."""
    port = port or free_port()
    command = [sys.executable, "-m", "loopin.core.server", f"--listen=127.0.0.1:{port}", f"--threads={threads}",
               "wsgi:app"]
    return running_server(command, env, log_path, port)
