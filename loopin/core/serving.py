"""How a serving process runs the interpreter: a thread that gets an answer from PostgreSQL takes the
GIL back sooner.

Every round trip releases the GIL, and waitress's threads (its I/O loop and WAITRESS_THREADS workers)
then wait to take it back; CPython makes a waiting thread wait up to one switch interval (5 ms by
default) before the holder is asked to let go. With many clients at once every thread is always
waiting, and the server spends more CPU per request switching: at 64 connections /health did 0.65 of
its 16-connection rate and /auth/me 0.77; with 0.5 ms, 0.88 and 0.91 (bench/switch_interval.py,
bench/FINDINGS.md, issue 26). Most of that was waitress's loop spinning on a worker's lock, which
core/server.py ends; on that server 0.5 ms is still a little better (/health 0.96 against 0.94).
It is set for serving processes only (a WSGI server importing the app, `loopin run`, `loopin serve`);
one-shot commands keep CPython's default.
"""

import sys

SWITCH_INTERVAL_SECONDS = 0.0005


def tune_interpreter_for_serving():
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
