"""The access log (ACCESS_LOG=true): one line per request on `loopin.access`, whatever server runs
the app (waitress writes none of its own).

A WSGI middleware rather than Flask hooks, so refusals before any view (429, 413) and crashes are
logged too. The query string is never logged: links carry tokens there (a reset link, a mistaken
`?token=`), and the path alone says what was asked.
"""

import logging
import time

log = logging.getLogger("loopin.access")


class AccessLog:
    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        status = []

        def recording_start_response(status_line, headers, exc_info=None):
            status[:] = [status_line.split(" ", 1)[0]]
            return start_response(status_line, headers, exc_info)

        try:
            return self.wsgi_app(environ, recording_start_response)
        finally:
            # REMOTE_ADDR as ProxyFix (inside this middleware) left it: the client, when proxies are trusted.
            log.info("%s %s %s %s %.1fms", environ.get("REMOTE_ADDR", "-"), environ.get("REQUEST_METHOD", "-"),
                     environ.get("PATH_INFO", "/"), status[0] if status else "500",
                     (time.perf_counter() - started) * 1000)


def register_access_log(app):
    """Outermost, after ProxyFix is installed, so the line shows the client's address."""
    if app.config["ACCESS_LOG"]:
        app.wsgi_app = AccessLog(app.wsgi_app)
