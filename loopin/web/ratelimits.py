"""Rate limits (flask-limiter): a ceiling on every request per client IP, plus the limits each feature
declares on its endpoints (`@endpoint(limits=[Limit(...)])`). 429 `{"detail"}` with `Retry-After`.

Limits live in memory by default and in Redis when RATELIMIT_STORAGE_URI=redis://…, so several server
processes share them. An endpoint declared `rate_limited=False` (health probes) is never refused.
"""

from flask import current_app
from flask_limiter import Limiter
from limits import parse_many

from .api import declaration_of
from .client import client_ip


def setting(name):
    """A limit read from this app's configuration when the request is counted."""
    return lambda: current_app.config[name]


def limit_store_call(method, *args, default=None):
    """`method` of the current app's limit storage (memory or Redis), for features that keep a marker
    beside their counters. Never fails a request: with the store down, `default`."""
    try:
        return getattr(current_app.extensions["loopin.limiter"].storage, method)(*args)
    except Exception:  # noqa: BLE001 (redis errors and their kind; flask-limiter logs the outage)
        return default


def spend(limit_value, scope, key):
    """One hit on `key`'s counter under `scope` (limits such as "5 per hour;20 per day", counted in the
    same store as the endpoints'): False when a limit is already reached, then nothing is counted. For
    what is limited without refusing the request (mail not sent). Limits off, or the store down: True."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return True
    try:
        strategy = current_app.extensions["loopin.limiter"].limiter
        items = parse_many(limit_value)
        if not all(strategy.test(item, scope, key) for item in items):
            return False
        for item in items:
            strategy.hit(item, scope, key)
    except Exception:  # noqa: BLE001 (redis errors and their kind; flask-limiter logs the outage)
        return True
    return True


def init_rate_limits(app):
    """A Limiter of this app's own (flask-limiter keeps per-app settings on the Limiter object, so one
    shared between apps would let the first app's config win), applied to the endpoints that declare limits."""
    app.config["RATELIMIT_DEFAULT"] = app.config["RATELIMIT_PER_IP"]
    app.config["RATELIMIT_HEADERS_ENABLED"] = True  # Retry-After and X-RateLimit-* headers
    app.config["RATELIMIT_KEY_PREFIX"] = "loopin"
    # Redis down: keep serving with the same limits counted in this process's memory, and go back to
    # Redis when it answers again (flask-limiter checks it with a growing interval). Short timeouts,
    # so an unreachable Redis costs a request at most a second, once.
    app.config["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] = True
    if app.config["RATELIMIT_STORAGE_URI"].startswith(("redis://", "rediss://")):
        app.config["RATELIMIT_STORAGE_OPTIONS"] = {"socket_connect_timeout": 1, "socket_timeout": 1}
    limiter = Limiter(key_func=client_ip)
    limiter.init_app(app)
    app.extensions["loopin.limiter"] = limiter  # the view wrappers hold it only weakly
    for name, view in list(app.view_functions.items()):
        declaration = declaration_of(view)
        if declaration is None:
            continue
        if not declaration.rate_limited:
            limiter.exempt(view)
            continue
        for limit in declaration.limits:
            # override_defaults=False: an endpoint's own limits come on top of the per-IP ceiling.
            options = dict(key_func=limit.key_func, error_message=limit.error_message, override_defaults=False,
                           deduct_when=limit.deduct_when, on_breach=limit.on_breach, exempt_when=limit.exempt_when)
            if limit.shared:
                view = limiter.shared_limit(limit.limit_value, limit.scope, **options)(view)
            else:
                view = limiter.limit(limit.limit_value, scope=limit.scope, **options)(view)
        app.view_functions[name] = view
