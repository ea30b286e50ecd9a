"""Sessions: start one at sign-in, rotate its refresh token, detect reuse, end it.

Revocation lives in the database, so every server process sees it at once.
"""

import uuid
from datetime import timedelta

from flask import current_app, request
from sqlalchemy import delete, or_, select, update

from ..audit import audit
from ..clock import as_utc, utcnow
from ..extensions import db
from ..models import AuthSession

USER_AGENT_MAX = 256


class SessionRefused(Exception):
    """A refresh that must be answered 401; `detail` says why, about this session only."""

    def __init__(self, detail):
        super().__init__(detail)
        self.detail = detail


def new_jti():
    return str(uuid.uuid4())


def start_session(user):
    """A new session for a sign-in (register, login)."""
    now = utcnow()
    session = AuthSession(
        id=uuid.uuid4().hex, user_id=user.id, refresh_jti=new_jti(), created_at=now, last_used_at=now,
        expires_at=now + current_app.config["JWT_REFRESH_TOKEN_EXPIRES"],
        user_agent=(request.user_agent.string or None) and request.user_agent.string[:USER_AGENT_MAX],
        ip=request.remote_addr,
    )
    db.session.add(session)
    db.session.commit()
    return session


def rotate_refresh_token(claims):
    """Spend the presented refresh token: (session, the refresh jti to hand out).

    The current token rotates. The one spent just before it still works within the grace window, so
    two tabs refreshing at once both succeed; they get the same new chain. Any other spent token is the
    signature of a stolen one: the whole session is revoked.
    """
    now = utcnow()
    # FOR UPDATE (PostgreSQL): two refreshes of one session are decided one after the other.
    session = db.session.scalar(
        select(AuthSession).where(AuthSession.id == claims.get("sid")).with_for_update(of=AuthSession))
    if session is None or session.revoked_at is not None:
        raise SessionRefused("Session has been revoked")
    if not session.is_live(now):
        raise SessionRefused("Session has expired")
    if session.user.email != claims["sub"] or session.user.is_active is False:
        raise SessionRefused("Could not validate credentials")
    grace = timedelta(seconds=current_app.config["REFRESH_REUSE_GRACE_SECONDS"])
    if claims["jti"] == session.refresh_jti:
        session.previous_refresh_jti, session.refresh_jti = session.refresh_jti, new_jti()
        session.rotated_at = now
    elif claims["jti"] == session.previous_refresh_jti and as_utc(session.rotated_at) + grace >= now:
        pass  # the other tab's refresh: hand out the chain's current token again
    else:
        session.revoked_at = now
        db.session.commit()
        audit("refresh_reuse", "session_revoked", session.user_id)
        raise SessionRefused("Refresh token reuse detected: session revoked")
    session.last_used_at = now
    db.session.commit()
    return session


def end_sessions(user, current_sid, scope):
    """Revoke this session, every other one, or all of them; the number revoked.

    Tokens with no session (minted by the original) are ended by `tokens_valid_after`: by "all", by
    "others" when called from a session, and by "current" when called with one of them.
    """
    now = utcnow()
    live = [AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None)]
    if scope == "current":
        live.append(AuthSession.id == current_sid)
    elif scope == "others" and current_sid is not None:
        live.append(AuthSession.id != current_sid)
    revoked = db.session.execute(update(AuthSession).where(*live).values(revoked_at=now)).rowcount
    called_with_session = current_sid is not None
    ends_sessionless_tokens = (scope == "all" or (scope == "others" and called_with_session)
                               or (scope == "current" and not called_with_session))
    if ends_sessionless_tokens:
        user.tokens_valid_after = now
    db.session.commit()
    return revoked


def live_sessions(user):
    """The user's live sessions; their dead ones are purged on the way (opportunistic clean-up, where
    they would otherwise show; `flask purge-sessions` does everyone's)."""
    now = utcnow()
    if purge_sessions(now, user_id=user.id):
        db.session.commit()
    query = select(AuthSession).where(AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None),
                                      AuthSession.expires_at > now).order_by(AuthSession.last_used_at.desc())
    return db.session.scalars(query).all()


def revoke_session(user, sid):
    """End one of the user's own sessions; False when it is not theirs or not live."""
    result = db.session.execute(update(AuthSession).where(
        AuthSession.id == sid, AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None)
    ).values(revoked_at=utcnow()))
    db.session.commit()
    return result.rowcount == 1


def restart_chain(session):
    """A fresh refresh token for this session (after a password change): older ones stop working."""
    session.previous_refresh_jti, session.rotated_at = None, None
    session.refresh_jti = new_jti()
    session.last_used_at = utcnow()


def purge_sessions(now, user_id=None):
    """Delete expired and revoked sessions (a missing session is as refused as a revoked one)."""
    dead = or_(AuthSession.expires_at <= now, AuthSession.revoked_at.is_not(None))
    query = delete(AuthSession).where(dead)
    if user_id is not None:
        query = query.where(AuthSession.user_id == user_id)
    # No in-Python evaluation against loaded sessions: SQLite's timestamps come back without a zone,
    # and nothing loaded in this request can be a dead session anyway.
    return db.session.execute(query, execution_options={"synchronize_session": False}).rowcount
