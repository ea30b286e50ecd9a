"""Lifecycle: startup and shutdown logs, connections closed when the process ends, clean reloads."""

import os
import sys
import time

import pytest
from helpers import free_port, make_app, migrate_to_head
from servers import request, running_server, server_environment, waitress


def wait_for_log(path, text, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in path.read_text(encoding="utf-8"):
            return
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never appeared in the log:\n{path.read_text(encoding='utf-8')}")


@pytest.mark.skipif(os.name == "nt", reason="Popen.terminate() sends SIGTERM on POSIX; on Windows it is "
                    "TerminateProcess, which runs no shutdown (Ctrl+Break does: the SIGBREAK test below)")
@pytest.mark.postgresql
def test_waitress_stop_closes_every_connection(postgres_server, tmp_path):
    url = postgres_server.create_database("loopin_lifecycle")
    database = url.rsplit("/", 1)[1]
    count = f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{database}' AND application_name = 'loopin'"
    log = tmp_path / "waitress.log"
    try:
        migrate_to_head(url, tmp_path)
        with waitress(server_environment(url, tmp_path / "instance"), log, threads=4) as (base, process):
            for _ in range(8):
                assert request(base, "GET", "/health")[0] == 200
            assert postgres_server.execute(count)[0] >= 1
        assert process.returncode == 0  # SIGTERM ended it cleanly
        text = log.read_text(encoding="utf-8")
        assert text.index("Starting application") < text.index("Database engine initialized") \
            < text.index("Shutting down") < text.index("Database connections closed")
        for _ in range(50):  # the server notices closed sockets at once; allow it a moment to reap
            if postgres_server.execute(count)[0] == 0:
                break
            time.sleep(0.1)
        assert postgres_server.execute(count)[0] == 0
        assert "Traceback" not in text
    finally:
        postgres_server.drop_database(url)


def flask_run_debug(env, log, watched, port):
    command = [sys.executable, "-m", "flask", "--app", "loopin", "run", "--debug", "--reload",
               f"--port={port}", "--extra-files", str(watched)]
    # Without watchdog installed, werkzeug uses the stat reloader: the one Windows uses by default.
    return running_server(command, env, log, port)


@pytest.mark.parametrize("database", ["sqlite", "unreachable"])
def test_debug_reloader_restarts_cleanly(database, tmp_path):
    """Edit a watched file: the server logs shutdown then startup, answers again, shows no traceback.
    With an unreachable database the reload works just the same: importing the app does no I/O."""
    url = f"sqlite:///{tmp_path / 'dev.db'}" if database == "sqlite" else \
        f"postgresql://loopin@127.0.0.1:{free_port()}/loopin"
    if database == "sqlite":
        migrate_to_head(url, tmp_path)  # /health is ready only at the newest schema
    env = server_environment(url, tmp_path / "instance")
    env.pop("WERKZEUG_RUN_MAIN", None)
    watched = tmp_path / "watched.py"
    watched.write_text("# edited by the test\n", encoding="utf-8")
    log = tmp_path / "flask.log"
    port = free_port()
    with flask_run_debug(env, log, watched, port) as (base, _process):
        wait_for_log(log, "Debugger is active")
        time.sleep(1.1)  # the stat reloader compares modification times at one-second resolution
        watched.write_text("# edited again\n", encoding="utf-8")
        os.utime(watched, (time.time() + 2, time.time() + 2))
        wait_for_log(log, "Detected change")
        # Three startups: the reloader's parent, its first child, and the child that replaced it.
        deadline = time.monotonic() + 30
        while log.read_text(encoding="utf-8").count("Debugger is active") < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert log.read_text(encoding="utf-8").count("Starting application") == 3
        assert request(base, "GET", "/health/live")[0] == 200
        expected = 200 if database == "sqlite" else 503
        assert request(base, "GET", "/health")[0] == expected
    text = log.read_text(encoding="utf-8")
    first_start = text.index("Starting application")
    shutdown = text.index("Shutting down", first_start)
    assert text.index("Detected change") < shutdown < text.index("Starting application", shutdown)
    assert "Database connections closed" in text
    assert "Traceback" not in text


def test_windows_ctrl_break_ends_the_process_like_sigterm(monkeypatch, tmp_path):
    """Windows has SIGBREAK (Ctrl+Break, a service's stop), not SIGTERM from a console: the same
    handler. On Windows the real one; elsewhere a POSIX signal stands in for it."""
    import signal

    from loopin.core import lifecycle

    if not hasattr(signal, "SIGBREAK"):
        monkeypatch.setattr(signal, "SIGBREAK", signal.SIGUSR1, raising=False)
    monkeypatch.setattr(lifecycle, "_installed", False)
    previous = signal.getsignal(signal.SIGBREAK)
    signal.signal(signal.SIGBREAK, signal.SIG_DFL)
    try:
        lifecycle.register_shutdown(make_app("sqlite://", tmp_path))
        assert signal.getsignal(signal.SIGBREAK) is lifecycle.exit_on_sigterm
    finally:
        signal.signal(signal.SIGBREAK, previous)
