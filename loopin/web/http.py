"""What every HTTP answer gets: a body limit checked before parsing, hardening headers, and the
original's JSON formatting."""

import functools
from contextlib import contextmanager

from flask import abort, current_app, request
from flask.json.provider import DefaultJSONProvider
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

from .api import declaration_of

# A JSON API renders nothing, so its answers may not be framed, sniffed or used as a script source.
API_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
HSTS = "max-age=31536000; includeSubDomains"


def refuse_oversized_body():
    """413 from the declared length, before anything reads the body. Chunked bodies are capped by
    MAX_CONTENT_LENGTH while they are read. Endpoints that take no body never read one, so the limit
    is theirs only (and documented only for them)."""
    declaration = declaration_of(current_app.view_functions.get(request.endpoint))
    if declaration is not None and declaration.body is None:
        return
    limit = request.max_content_length
    if limit is not None and request.content_length is not None and request.content_length > limit:
        abort(413, description=f"Request body too large: the limit is {limit} bytes")


def add_security_headers(response):
    """The hardening headers, where a feature's own hook has not set them already. One pass over the
    answer's headers: a lookup or an assignment each scans them all (a tenth of a bare request's cost)."""
    headers = response.headers
    present = {name.lower() for name, _ in headers.items()}
    headers.extend([(name, value) for name, value in API_SECURITY_HEADERS.items() if name.lower() not in present])
    if request.is_secure and "strict-transport-security" not in present:
        headers.add("Strict-Transport-Security", HSTS)
    return response


def no_store(response):
    """An after-request hook for blueprints whose answers carry tokens: no browser or shared cache keeps them."""
    response.headers["Cache-Control"] = "no-store"
    return response


@contextmanager
def for_cross_origin_requests_only(app):
    """After-request hooks an extension registers inside this block run only for a request that
    carries an Origin header (a browser's cross-origin call always does). For flask-cors: with no
    Origin it adds nothing, yet its hook still matched the path and built an empty set of headers for
    every answer (bench/FINDINGS.md). The extension registers through Flask's public `after_request`,
    which is what this block wraps (register flask-cors with `intercept_exceptions=False`, or it also
    wraps the error handlers, which the hook covers already)."""
    register = app.after_request

    def register_for_cross_origin_requests(hook):
        @functools.wraps(hook)
        def if_cross_origin(response):
            return hook(response) if "HTTP_ORIGIN" in request.environ else response

        return register(if_cross_origin)

    app.after_request = register_for_cross_origin_requests  # shadows the method for this block only
    try:
        yield
    finally:
        del app.after_request


class NoCookieSession(SecureCookieSessionInterface):
    """Loopin keeps nothing in cookies (tokens travel in the Authorization header), yet Flask's cookie
    session builds a signing serializer on every request to look for one. A null session instead:
    reading it finds nothing, writing it fails loudly."""

    def open_session(self, app, request):
        return self.make_null_session(app)


def trust_proxies(app):
    """Believe X-Forwarded-For/-Proto only from as many proxies as TRUSTED_PROXIES says sit in front;
    with 0 (the default) a client cannot choose the IP its limits are counted against."""
    hops = app.config["TRUSTED_PROXIES"]
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def check_coroutines_once(app):
    """Flask asks `inspect.iscoroutinefunction` of the view and of every hook at every call (six times
    an /auth/me); through `ensure_sync`, Flask's documented override point, it asks once per function:
    3 % of an /auth/me's instructions (callgrind, bench/FINDINGS.md). Bounded, since `after_this_request`
    hooks are new functions at every request."""
    app.ensure_sync = functools.lru_cache(maxsize=256)(app.ensure_sync)


def register_http_hooks(app):
    app.session_interface = NoCookieSession()
    check_coroutines_once(app)
    trust_proxies(app)
    app.before_request(refuse_oversized_body)
    app.after_request(add_security_headers)


class FastAPIStyleJSON(DefaultJSONProvider):
    """JSON written as the original wrote it (Starlette's JSONResponse): compact, keys in the order
    written, non-ASCII as is, no trailing newline. Byte-identical bodies keep strict clients working."""

    sort_keys = False
    ensure_ascii = False

    def response(self, *args, **kwargs):
        if args and kwargs:
            raise TypeError("jsonify() takes positional or keyword arguments, not both")
        payload = kwargs or (args[0] if len(args) == 1 else list(args) or None)
        return self._app.response_class(self.dumps(payload, separators=(",", ":")), mimetype=self.mimetype)
