"""Rate limits (flask-limiter): failed logins per client IP and per account, registrations per IP,
refreshes per session, and a ceiling on every request per IP. 429 `{"detail"}` with `Retry-After`.

Limits live in memory by default and in Redis when RATELIMIT_STORAGE_URI=redis://…, so several server
processes share them. Failed logins count; successful ones do not. Once an account's limit is reached,
the right password gets the same 429 as a wrong one, and the limit expires by itself: nobody is locked
out for good, and failures against an email that has no account never stop it being registered.
"""

import jwt as pyjwt
from flask import current_app, request
from flask_limiter import Limiter

from .audit import audit

TOO_MANY_LOGINS = "Too many failed login attempts; try again later"
TOO_MANY_REQUESTS = "Too many requests; try again later"


def setting(name):
    return lambda: current_app.config[name]


def client_ip():
    # remote_addr is the peer, or the client named by X-Forwarded-For only when TRUSTED_PROXIES says so.
    return request.remote_addr or "unknown"


def login_account():
    """The account a login is for, from its body; bodies without an email share one key (they fail 422)."""
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    return f"account:{email.strip().lower()}" if isinstance(email, str) else "account:?"


def refresh_session():
    """The session a refresh is for. Unverified on purpose: this only picks a counter; the view verifies."""
    body = request.get_json(silent=True)
    token = body.get("refresh_token") if isinstance(body, dict) else None
    if not isinstance(token, str):
        token = request.headers.get("Authorization", "").partition(" ")[2]
    try:
        return f"session:{pyjwt.decode(token, options={'verify_signature': False})['sid']}"
    except (pyjwt.InvalidTokenError, KeyError, TypeError):
        return f"ip:{client_ip()}"


def failed_login(response):
    return response.status_code == 401


def log_lockout(limit):
    # The counter's key is not logged: for account limits it holds the attempted email.
    audit("lockout", "blocked", limit=str(limit.limit))


def endpoint_limits():
    """Each rate-limited endpoint with its limits (flask-limiter `limit()` arguments)."""
    login = {"deduct_when": failed_login, "error_message": TOO_MANY_LOGINS, "on_breach": log_lockout}
    return {
        "auth.login": [
            dict(limit_value=setting("RATELIMIT_LOGIN_PER_IP"), key_func=client_ip, scope="login-ip", **login),
            dict(limit_value=setting("RATELIMIT_LOGIN_PER_ACCOUNT"), key_func=login_account,
                 scope="login-account", **login),
        ],
        "auth.register": [dict(limit_value=setting("RATELIMIT_REGISTER_PER_IP"), key_func=client_ip,
                               scope="register-ip", error_message=TOO_MANY_REQUESTS)],
        "auth.refresh": [dict(limit_value=setting("RATELIMIT_REFRESH_PER_SESSION"), key_func=refresh_session,
                              scope="refresh-session", error_message=TOO_MANY_REQUESTS)],
    }


def init_rate_limits(app):
    """A Limiter of this app's own (flask-limiter keeps per-app settings on the Limiter object, so one
    shared between apps would let the first app's config win), applied to the endpoints by name."""
    app.config["RATELIMIT_DEFAULT"] = app.config["RATELIMIT_PER_IP"]
    app.config["RATELIMIT_HEADERS_ENABLED"] = True  # Retry-After and X-RateLimit-* headers
    app.config["RATELIMIT_KEY_PREFIX"] = "loopin"
    limiter = Limiter(key_func=client_ip)
    limiter.init_app(app)
    app.extensions["loopin.limiter"] = limiter  # the view wrappers hold it only weakly
    for endpoint, limits in endpoint_limits().items():
        view = app.view_functions[endpoint]
        for arguments in limits:
            view = limiter.limit(**arguments)(view)
        app.view_functions[endpoint] = view
    limiter.exempt(app.blueprints["health"])  # load balancers probe often; a probe is never refused
