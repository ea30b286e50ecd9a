"""Tokens: HS256 JWTs whose `sub` is the user's email, as the original issued them, plus a session id
(`sid`) that makes them revocable.

Every authenticated request costs one indexed query: the blocklist loader reads the token's session
with its user (or, for a token the original minted, which has no `sid`, the user), keeps it on `g`,
and the user loader answers from there.
"""

from datetime import datetime, timezone

from flask import current_app, g
from flask_jwt_extended import create_access_token, create_refresh_token
from sqlalchemy import select

from ..clock import as_utc, utcnow
from ..extensions import db
from ..models import AuthSession, User


def token_response(user, session):
    """The original's `{"access_token", "token_type"}`, with the session's refresh token beside it."""
    claims = {"sid": session.id}
    lifetime = current_app.config["JWT_ACCESS_TOKEN_EXPIRES"]
    return {
        "access_token": create_access_token(identity=user.email, additional_claims=claims),
        "token_type": "bearer",
        "refresh_token": create_refresh_token(
            identity=user.email, additional_claims={**claims, "jti": session.refresh_jti}),
        "expires_in": int(lifetime.total_seconds()),
    }


def token_subject(payload):
    """(session or None, user or None) for a verified token, read once per request."""
    subjects = g.setdefault("loopin_token_subjects", {})
    sid = payload.get("sid")
    key = sid or ("no session", payload["sub"])
    if key not in subjects:
        if sid:
            session = db.session.get(AuthSession, sid)
            subjects[key] = (session, session.user if session else None)
        else:
            subjects[key] = (None, db.session.scalar(select(User).where(User.email == payload["sub"])))
    return subjects[key]


def issued_at(payload):
    """When a token was minted; the original's tokens carry no `iat`, so it is inferred from `exp`."""
    if "iat" in payload:
        return datetime.fromtimestamp(payload["iat"], timezone.utc)
    lifetime = current_app.config["JWT_ACCESS_TOKEN_EXPIRES"]
    return datetime.fromtimestamp(payload["exp"], timezone.utc) - lifetime


def is_token_revoked(_jwt_header, payload):
    session, user = token_subject(payload)
    if payload.get("sid"):
        return session is None or not session.is_live(utcnow()) or session.user.email != payload["sub"]
    cutoff = as_utc(user.tokens_valid_after) if user is not None else None
    return cutoff is not None and issued_at(payload) <= cutoff


def load_token_user(_jwt_header, payload):
    """The active user a valid token names; None makes flask-jwt-extended refuse it with 401."""
    _session, user = token_subject(payload)
    return user if user is not None and user.is_active is not False else None


def register_token_loaders(jwt):
    jwt.token_in_blocklist_loader(is_token_revoked)
    jwt.user_lookup_loader(load_token_user)
