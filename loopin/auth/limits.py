"""The auth endpoints' rate limits, declared here and attached by `@endpoint(limits=...)`.

Failed logins count per client IP and per account (only 401s count, so successful sign-ins never lock
anyone out); registrations per IP; refreshes per session. Once an account's limit is reached, the right
password gets the same 429 as a wrong one, and the limit expires by itself: nobody is locked out for
good, and failures against an email that has no account never stop it being registered.
"""

from flask import request

from ..web.api import Limit
from ..web.audit import audit
from ..web.client import bearer_token, client_ip
from ..web.ratelimits import setting
from .tokens import verified_claims
from .users import canonical_email

TOO_MANY_LOGINS = "Too many failed login attempts; try again later"
TOO_MANY_REQUESTS = "Too many requests; try again later"


def login_account():
    """The account a login is for, by its canonical email; bodies without one share a key (they fail 422).
    Never raises: a key function runs before the view, and its failure would dodge every limit."""
    try:
        body = request.get_json(silent=True)
        email = body.get("email") if isinstance(body, dict) else None
        return f"account:{canonical_email(email)}" if isinstance(email, str) else "account:?"
    except Exception:  # noqa: BLE001 (RecursionError from a deeply nested body, and its kind)
        return "account:?"


def refresh_session():
    """The session a refresh is for, from a verified token only: an unsigned token naming someone
    else's session must not use up that session's budget. Anything else counts against the client IP.
    Never raises, like login_account."""
    try:
        body = request.get_json(silent=True)
        token = body.get("refresh_token") if isinstance(body, dict) else None
        return f"session:{verified_claims(token if isinstance(token, str) else bearer_token())['sid']}"
    except Exception:  # noqa: BLE001 (an unverifiable token or unreadable body: the IP's budget)
        return f"ip:{client_ip()}"


def failed_login(response):
    return response.status_code == 401


def log_lockout(limit):
    # The counter's key is not logged: for account limits it holds the attempted email.
    audit("lockout", "blocked", limit=str(limit.limit))


LOGIN = dict(error_message=TOO_MANY_LOGINS, deduct_when=failed_login, on_breach=log_lockout)
LOGIN_LIMITS = [
    Limit(setting("RATELIMIT_LOGIN_PER_IP"), client_ip, "login-ip", **LOGIN),
    Limit(setting("RATELIMIT_LOGIN_PER_ACCOUNT"), login_account, "login-account", **LOGIN),
]
REGISTER_LIMITS = [Limit(setting("RATELIMIT_REGISTER_PER_IP"), client_ip, "register-ip", TOO_MANY_REQUESTS)]
REFRESH_LIMITS = [Limit(setting("RATELIMIT_REFRESH_PER_SESSION"), refresh_session, "refresh-session",
                        TOO_MANY_REQUESTS)]
