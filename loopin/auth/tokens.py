"""Tokens: HS256 JWTs whose `sub` is the user's email, as the original issued them, plus a session id
(`sid`) that makes them revocable.

flask-jwt-extended mints them. Verifying is at most one PyJWT decode per token per request
(flask-jwt-extended's own path decodes every token four times): the rate limits' keys, the
authenticator and the refresh view share it (claims_of), and a token already verified by this process
only has its expiry checked again (verified_claims). Then one indexed query: the token's session
joined with its user (on a connection of its own when the request only reads: read_session_user), or,
for a token the original minted (no `sid`), the user.
"""

import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache, lru_cache
from typing import Any

import jwt as pyjwt
from flask import current_app, request
from flask_jwt_extended import create_access_token, create_refresh_token
from sqlalchemy import bindparam, select
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import instance_dict, manager_of_class

from ..core.clock import as_utc, utcnow
from ..core.extensions import db
from ..core.intent import reads_only
from ..core.prepared import PreparedRead
from ..web.api import Requirement
from ..web.client import bearer_token
from ..web.errors import BEARER_CHALLENGE, INVALID_CREDENTIALS, NOT_AUTHENTICATED, ApiError
from .firebase import firebase_claims, is_firebase, looks_like_firebase
from .identities import firebase_user
from .models import AuthSession, User, session_is_live
from .schemas import TokenPair

TOKEN_REVOKED = "Token has been revoked"
# Content-making endpoints `require` it: while EMAIL_VERIFICATION=required, an unverified address may
# read but not write (403).
VERIFIED_ADDRESS = Requirement("Email address not verified")
SESSION_ID = re.compile(r"[0-9a-f]{32}")  # uuid4().hex, as start_session makes them
# Tokens whose signature this process has checked and remembers (a few hundred bytes each).
VERIFIED_TOKENS = 4096


@dataclass(frozen=True)
class Caller:
    """Who made an authenticated request: the user, the session their token belongs to (None for a
    token the original minted) and the token's claims."""

    user: User
    session_id: str | None
    claims: dict
    extra: Any = None  # the endpoint's `caller_extra`, read in the same statement as the user


def issue_tokens(user, session):
    """The original's `{"access_token", "token_type"}`, with the session's refresh token beside it."""
    claims = {"sid": session.id}
    lifetime = current_app.config["JWT_ACCESS_TOKEN_EXPIRES"]
    return TokenPair(
        access_token=create_access_token(identity=user.email, additional_claims=claims),
        token_type="bearer",
        refresh_token=create_refresh_token(identity=user.email,
                                           additional_claims={**claims, "jti": session.refresh_jti}),
        expires_in=int(lifetime.total_seconds()),
    )


def unauthenticated(detail=INVALID_CREDENTIALS):
    """The 401 (with the bearer challenge) of a missing, bad, expired or revoked token."""
    return ApiError(401, detail, BEARER_CHALLENGE)


def is_session_id(value):
    return isinstance(value, str) and SESSION_ID.fullmatch(value) is not None


@lru_cache(maxsize=VERIFIED_TOKENS)
def signed_claims(token, key, algorithms):
    """PyJWT's verdict on a token: its claims when `key` signed it and it had not expired when first
    seen; InvalidTokenError otherwise (a refusal is not kept)."""
    return pyjwt.decode(token, key, algorithms=list(algorithms), options={"require": ["exp", "sub"]})


def verified_claims(token):
    """The claims of a token this server signed and that has not expired, or 401. The claims are
    checked for type too: a validly signed token with an odd `sub` or `sid` is refused, never a 500.

    The signature is checked once per token per process (signed_claims), not once per request: a
    client sends the same access token with every request for its lifetime. For the same bytes and
    key the verdict cannot change except by time, and time can only turn `exp` against a token (`nbf`
    and `iat` only become valid), so a token seen before has `exp` checked again, as PyJWT checks it."""
    config = current_app.config
    try:
        claims = signed_claims(token, config["JWT_SECRET_KEY"], tuple(config["JWT_DECODE_ALGORITHMS"]))
    except pyjwt.InvalidTokenError:
        raise unauthenticated() from None
    if int(claims["exp"]) <= time.time():
        raise unauthenticated()
    subject = claims["sub"]
    if not isinstance(subject, str) or "\x00" in subject or ("sid" in claims and not is_session_id(claims["sid"])):
        raise unauthenticated()
    return dict(claims)  # a copy: the kept claims are shared by every request with this token


def claims_of(token):
    """The claims of a token this server signed, or of a Firebase ID token (firebase.py), verified once
    per request whoever asks: a limit's key function, the authenticator, a view. The outcome is kept in
    the request's WSGI environ (a test holding an app context open keeps one `g` across requests, never
    one environ), a refusal included."""
    decoded = request.environ.setdefault("loopin.decoded_tokens", {})
    if token not in decoded:
        try:
            # Only a server that takes Firebase tokens looks at a token's header first (a Loopin token
            # pays nothing for it otherwise); without one, verified_claims refuses RS256 anyway.
            firebase = current_app.config["FIREBASE_PROJECT_ID"] and looks_like_firebase(token)
            decoded[token] = firebase_claims(token, unauthenticated) if firebase else verified_claims(token)
        except ApiError as refusal:
            decoded[token] = refusal
    found = decoded[token]
    if isinstance(found, ApiError):
        raise found
    return found


def issued_at(claims):
    """When a token was minted; the original's tokens carry no `iat`, so it is inferred from `exp`."""
    if "iat" in claims:
        return datetime.fromtimestamp(claims["iat"], timezone.utc)
    return datetime.fromtimestamp(claims["exp"], timezone.utc) - current_app.config["JWT_ACCESS_TOKEN_EXPIRES"]


def with_extra(statement, extra, dialect):
    return statement.add_columns(extra(dialect).label("extra")) if extra is not None else statement


@cache
def session_user_query(extra, dialect):
    """Built once per endpoint extra and database, on first use: building the statement would otherwise
    cost as much as running it."""
    statement = (select(User, AuthSession.revoked_at, AuthSession.expires_at)
                 .join(AuthSession, AuthSession.user_id == User.id).where(AuthSession.id == bindparam("sid")))
    return with_extra(statement, extra, dialect)


@cache
def sessionless_user_query(extra, dialect):
    return with_extra(select(User).where(User.email == bindparam("email")), extra, dialect)


@cache
def user_attributes():
    """The User attributes the read-only lookup selects, in order."""
    return tuple(User.__mapper__.column_attrs)


@cache
def session_user_row_query(extra, dialect):
    """session_user_query as plain columns: the user's, then the session's, then the extra."""
    sessions = AuthSession.__table__
    statement = (select(*(attribute.columns[0] for attribute in user_attributes()),
                        sessions.c.revoked_at.label("session_revoked_at"),
                        sessions.c.expires_at.label("session_expires_at"))
                 .join_from(User.__table__, sessions, sessions.c.user_id == User.id)
                 .where(sessions.c.id == bindparam("sid")))
    return with_extra(statement, extra, dialect)


@cache
def prepared_session_user_read(extra, dialect):
    """session_user_row_query, which PostgreSQL plans once per connection (core/prepared.py)."""
    name = "loopin_caller" if extra is None else f"loopin_caller_{extra.__name__}"
    return PreparedRead(name, session_user_row_query(extra, dialect))


def detached_user(row):
    """A User from a row's leading columns, as if a finished session had loaded it: its attributes
    read, never loaded again (all are there), and attached unchanged if a later session adds it.
    Filled as the ORM's own loader fills one (a quarter of the cost of User(**columns))."""
    user = manager_of_class(User).new_instance()  # as the ORM's loader makes one: no __init__, no events
    instance_dict(user).update((attribute.key, value) for attribute, value in zip(user_attributes(), row))
    make_transient_to_detached(user)
    return user


def read_session_user(claims, extra, dialect):
    """The lookup of a request that only reads, on a connection of its own returned at once: an ORM
    Session and its entity loading cost as much again as the statement (bench/FINDINGS.md), and a
    view that reads nothing else (/auth/me, the unread count) then opens no Session at all."""
    with db.engine.connect() as connection:
        row = prepared_session_user_read(extra, dialect).execute(connection, {"sid": claims["sid"]}).first()
    if row is None:
        return None, None, None
    return detached_user(row), (row.session_revoked_at, row.session_expires_at), row


def session_user(claims, extra, dialect):
    """(the user of a live session the claims name, the extra), or 401 "Token has been revoked". A
    request that writes finds the user in its own Session, so it may change the row it holds."""
    if reads_only():
        user, session_times, row = read_session_user(claims, extra, dialect)
    else:
        row = db.session.execute(session_user_query(extra, dialect), {"sid": claims["sid"]}).first()
        user, session_times = (row.User, (row.revoked_at, row.expires_at)) if row is not None else (None, None)
    if user is None or not session_is_live(*session_times, utcnow()) or user.email != claims["sub"]:
        raise unauthenticated(TOKEN_REVOKED)
    return user, row.extra if extra is not None else None


def sessionless_user(claims, extra, dialect):
    """(the user an original-era token names, the extra), unless "log out everywhere" or a password
    change ended it; (None, None) when there is no such user."""
    row = db.session.execute(sessionless_user_query(extra, dialect), {"email": claims["sub"]}).first()
    if row is None:
        return None, None
    cutoff = as_utc(row.User.tokens_valid_after)
    if cutoff is not None and issued_at(claims) <= cutoff:
        raise unauthenticated(TOKEN_REVOKED)
    return row.User, row.extra if extra is not None else None


def firebase_caller(claims, extra, dialect):
    """(the account of a Firebase identity, the extra): made or linked on first sight (identities.py).
    "Log out everywhere", a password reset or a claim by a verified identity refuse the Firebase tokens
    minted before it, as they refuse the original's."""
    user = firebase_user(claims)
    cutoff = as_utc(user.tokens_valid_after)
    if cutoff is not None and datetime.fromtimestamp(claims["iat"], timezone.utc) <= cutoff:
        raise unauthenticated(TOKEN_REVOKED)
    value = db.session.execute(select(extra(dialect)).select_from(User).where(User.id == user.id)).scalar() \
        if extra is not None else None
    return user, value


def authenticate_request(declaration=None):
    """The Caller of this request's access token, or 401: the authenticator behind `@endpoint(auth=True)`.
    The endpoint's `caller_extra` is computed in the same statement that finds the user; an endpoint
    that makes content (`requires=[VERIFIED_ADDRESS]`) refuses an unverified address while
    EMAIL_VERIFICATION=required."""
    extra = declaration.caller_extra if declaration is not None else None
    token = bearer_token()
    if token is None:
        raise unauthenticated(NOT_AUTHENTICATED)
    claims = claims_of(token)
    if claims.get("type", "access") != "access":
        raise unauthenticated()
    dialect = db.engine.dialect.name  # not the Session's bind: asking it makes the request a Session
    find = firebase_caller if is_firebase(claims) else session_user if "sid" in claims else sessionless_user
    user, value = find(claims, extra, dialect)
    if user is None or not user.can_sign_in:
        raise unauthenticated()
    if declaration is not None and VERIFIED_ADDRESS in declaration.requires and not user.email_verified \
            and current_app.config["EMAIL_VERIFICATION"] == "required":
        raise ApiError(403, VERIFIED_ADDRESS.refusal)
    return Caller(user=user, session_id=claims.get("sid"), claims=claims, extra=value)
