"""What every HTTP answer gets: a body limit checked before parsing, hardening headers, and the
original's JSON formatting."""

from flask import abort, current_app, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.middleware.proxy_fix import ProxyFix

from .docs import DOCS_BLUEPRINT

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
    MAX_CONTENT_LENGTH while they are read."""
    limit = request.max_content_length
    if limit is not None and request.content_length is not None and request.content_length > limit:
        abort(413, description=f"Request body too large: the limit is {limit} bytes")


def add_security_headers(response):
    headers = response.headers
    blueprint = request.blueprint
    if blueprint == DOCS_BLUEPRINT:
        # The Swagger UI page runs its own scripts and calls the API from the page.
        headers["Content-Security-Policy"] = current_app.config["DOCS_CSP"]
    headers.update({name: value for name, value in API_SECURITY_HEADERS.items() if name not in headers})
    if blueprint == "auth":
        # Tokens must not be kept by browsers or shared caches.
        response.headers["Cache-Control"] = "no-store"
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def trust_proxies(app):
    """Believe X-Forwarded-For/-Proto only from as many proxies as TRUSTED_PROXIES says sit in front;
    with 0 (the default) a client cannot choose the IP its limits are counted against."""
    hops = app.config["TRUSTED_PROXIES"]
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def register_http_hooks(app):
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
