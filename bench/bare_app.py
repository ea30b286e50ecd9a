"""The baseline: a bare WSGI app answering {"status":"ok"}, served by the same waitress as Loopin."""

import like_loopin  # noqa: F401  (the interpreter as Loopin's servers run it)

BODY = b'{"status":"ok"}'
HEADERS = [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))]


def app(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
