"""The auth endpoints' rate limits, declared here and attached by `@endpoint(limits=...)`.

Failed logins are counted three ways (only 401s count, so a successful sign-in never locks anyone out):
- per client IP;
- per (account, client): the short lockout. Five failures from one client lock that client out of
  that account for a while; the owner, from anywhere else, still signs in;
- per account, across clients: the cap (ASVS: at most 100 failures an hour). A client that signed in
  to the account successfully before is not held by the cap, so an attacker with many addresses
  cannot lock the owner out.
Wrong current passwords on `POST /auth/password` count as failed logins of the same (account, client);
after that budget, the session that made them is revoked. Registrations count per IP; refreshes per
(verified) session. Accounts are named by a keyed hash of their canonical address: the limit store
(memory or Redis) never holds an email.
"""

import hashlib
import hmac
from datetime import timedelta
from functools import cache

from flask import current_app, request
from pydantic import TypeAdapter

from ..core.database import transaction
from ..web.api import Limit
from ..web.client import bearer_token, client_ip
from ..web.ratelimits import limit_store_call, setting, spend
from ..web.security_log import security_event
from ..web.validation import FORM, request_json
from .addresses import canonical_email
from .firebase import is_firebase
from .schemas import Email
from .sessions import revoke_session
from .tokens import claims_of

TOO_MANY_LOGINS = "Too many failed login attempts; try again later"
TOO_MANY_REQUESTS = "Too many requests; try again later"
KNOWN_CLIENT_FOR = timedelta(days=30)
UNKNOWN_ACCOUNT = "account:?"  # the one key of every request whose account cannot be told


@cache
def email_adapter():
    return TypeAdapter(Email)


def account_tag(email):
    """The account an address means (validated, then canonical: display names, letter case, IDNA and
    fullwidth domains all name one account), as a keyed hash: stable, and no email in any store or log."""
    return keyed(canonical_email(email_adapter().validate_python(email)))


def keyed(text):
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()[:32]


def submitted_email():
    """The email of a login, from its JSON body or from OAuth2's password form (`username`)."""
    if request.mimetype == FORM:
        return request.form["username"]
    return request_json()["email"]


def login_account():
    """The account a login is for. Never raises: a key function runs before the view, and its failure
    would dodge every limit. Bodies with no valid email share one key (the view answers them 422)."""
    try:
        return f"account:{account_tag(submitted_email())}"
    except Exception:  # noqa: BLE001 (see above)
        return UNKNOWN_ACCOUNT


def login_account_client():
    return f"{login_account()}:{client_ip()}"


def caller_account():
    """The account of the request's (verified) token, a Firebase identity by its uid; anything else
    shares one key (the view answers 401, so nothing is counted against anyone). Never raises, like
    login_account."""
    try:
        claims = claims_of(bearer_token())
        return f"account:{keyed('firebase:' + claims['sub']) if is_firebase(claims) else account_tag(claims['sub'])}"
    except Exception:  # noqa: BLE001 (no token, or an unverifiable one)
        return UNKNOWN_ACCOUNT


def caller_account_client():
    """(account, client) of the token a password change is made with: its failures are login failures."""
    return f"{caller_account()}:{client_ip()}"


def known_client_key(account):
    return f"loopin/known-client/{account}/{client_ip()}"


def remember_client(email):
    """After a successful sign-in: this client may pass the account-wide cap for KNOWN_CLIENT_FOR."""
    if current_app.config["RATELIMIT_ENABLED"]:
        key = known_client_key(f"account:{account_tag(email)}")
        limit_store_call("incr", key, int(KNOWN_CLIENT_FOR.total_seconds()))


def is_known_client():
    account = login_account()
    return account != UNKNOWN_ACCOUNT and (limit_store_call("get", known_client_key(account), default=0) or 0) > 0


def refresh_session():
    """The session a refresh is for, from a verified token only: an unsigned token naming someone
    else's session must not use up that session's budget. Anything else counts against the client IP.
    Never raises, like login_account."""
    try:
        body = request_json()
        token = body.get("refresh_token") if isinstance(body, dict) else None
        return f"session:{claims_of(token if isinstance(token, str) else bearer_token())['sid']}"
    except Exception:  # noqa: BLE001 (an unverifiable token or unreadable body: the IP's budget)
        return f"ip:{client_ip()}"


def failed_login(response):
    return response.status_code == 401


def wrong_current_password(response):
    return response.status_code == 400


def log_lockout(limit):
    # The counter's key is not logged; the account is named by its keyed hash only.
    security_event("lockout", "blocked", limit=str(limit.limit), account=login_account().partition(":")[2] or None)


def revoke_guessing_session(limit):
    """Too many wrong current passwords: the session guessing them (a stolen token?) ends."""
    try:
        sid = claims_of(bearer_token()).get("sid")
    except Exception:  # noqa: BLE001 (no valid token: nothing to revoke)
        return
    if sid:
        with transaction():
            revoke_session(sid)
        security_event("password_change", "session_revoked", limit=str(limit.limit))


LOGIN = dict(error_message=TOO_MANY_LOGINS, deduct_when=failed_login, on_breach=log_lockout)
LOGIN_LIMITS = [
    Limit(setting("RATELIMIT_LOGIN_PER_IP"), client_ip, "login-ip", **LOGIN),
    Limit(setting("RATELIMIT_LOGIN_PER_ACCOUNT"), login_account_client, "login-account-client", shared=True, **LOGIN),
    Limit(setting("RATELIMIT_LOGIN_ACCOUNT_CAP"), login_account, "login-account", exempt_when=is_known_client,
          **LOGIN),
]
PASSWORD_CHANGE_LIMITS = [
    # The same scope and key as the login's short lockout: one budget for guessing this password.
    Limit(setting("RATELIMIT_LOGIN_PER_ACCOUNT"), caller_account_client, "login-account-client", TOO_MANY_LOGINS,
          deduct_when=wrong_current_password, on_breach=revoke_guessing_session, shared=True),
]
REGISTER_LIMITS = [Limit(setting("RATELIMIT_REGISTER_PER_IP"), client_ip, "register-ip", TOO_MANY_REQUESTS)]
# Exchanging a Firebase ID token: its failures count like failed logins from the client's address.
FIREBASE_LIMITS = [Limit(setting("RATELIMIT_LOGIN_PER_IP"), client_ip, "login-ip", **LOGIN)]


def mail_sent(response):
    return response.status_code == 202


# Reset requests count whatever the answer (it is always the same): per client and per address, so
# nobody can flood an inbox or probe many addresses quickly.
FORGOT_LIMITS = [
    Limit(setting("RATELIMIT_FORGOT_PER_IP"), client_ip, "forgot-ip", TOO_MANY_REQUESTS),
    Limit(setting("RATELIMIT_FORGOT_PER_ADDRESS"), login_account, "forgot-account", TOO_MANY_REQUESTS),
]


def mail_allowed(address):
    """One more mail to this address within RATELIMIT_MAIL_PER_ADDRESS? Counted per canonical address,
    not per account: registering, deleting and registering again cannot flood an inbox."""
    return spend(current_app.config["RATELIMIT_MAIL_PER_ADDRESS"], "mail-address", keyed(canonical_email(address)))


# Tokens are 256-bit random, so guessing is hopeless; this bounds the work a client can ask for.
RESET_LIMITS = [Limit(setting("RATELIMIT_RESET_PER_IP"), client_ip, "reset-ip", TOO_MANY_REQUESTS)]
VERIFY_LIMITS = [Limit(setting("RATELIMIT_VERIFY_PER_USER"), caller_account, "verify-account", TOO_MANY_REQUESTS,
                       deduct_when=mail_sent)]
REFRESH_LIMITS = [Limit(setting("RATELIMIT_REFRESH_PER_SESSION"), refresh_session, "refresh-session",
                        TOO_MANY_REQUESTS)]
