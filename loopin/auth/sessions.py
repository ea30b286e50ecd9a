"""Sessions: start one at sign-in, rotate its refresh token, detect reuse, end it.

Revocation lives in the database, so every server process sees it at once. Like every service, these
functions change and flush; the caller's `transaction()` commits.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, or_, select, update

from ..core.clock import as_utc, utcnow
from ..core.extensions import db
from ..web.client import client_ip, client_user_agent
from .models import AuthSession


@dataclass(frozen=True)
class Rotation:
    """The outcome of spending a refresh token: the session to issue tokens for, or why not (`refusal`,
    with `reused` when the refusal revoked the session, which the caller commits and audits)."""

    session: AuthSession | None = None
    refusal: str | None = None
    reused: bool = False


def new_jti():
    return str(uuid.uuid4())


def start_session(user):
    """A new session for a sign-in (register, login, password change)."""
    now = utcnow()
    session = AuthSession(
        id=uuid.uuid4().hex, user_id=user.id, refresh_jti=new_jti(), created_at=now, last_used_at=now,
        expires_at=now + current_app.config["JWT_REFRESH_TOKEN_EXPIRES"],
        user_agent=client_user_agent(), ip=client_ip(),
    )
    db.session.add(session)
    db.session.flush()
    end_sessions_beyond_cap(user, now)
    return session


def end_sessions_beyond_cap(user, now):
    """Revoke the user's least recently used live sessions beyond SESSIONS_PER_USER: logins from a
    script cannot grow the table without bound."""
    newest = (select(AuthSession.id).where(AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None))
              .order_by(AuthSession.last_used_at.desc(), AuthSession.created_at.desc())
              .limit(current_app.config["SESSIONS_PER_USER"]))
    db.session.execute(update(AuthSession).where(
        AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None), AuthSession.id.not_in(newest)
    ).values(revoked_at=now), execution_options={"synchronize_session": False})


def rotate_refresh_token(claims):
    """Spend the presented refresh token.

    The current token rotates. The one spent just before it still works within the grace window, so
    two tabs refreshing at once both succeed; they get the same new chain. Any other spent token is the
    signature of a stolen one: the whole session is revoked.
    """
    now = utcnow()
    # FOR UPDATE (PostgreSQL): two refreshes of one session are decided one after the other.
    session = db.session.scalar(
        select(AuthSession).where(AuthSession.id == claims["sid"]).with_for_update(of=AuthSession))
    if session is None or session.revoked_at is not None:
        return Rotation(refusal="Session has been revoked")
    if not session.is_live(now):
        return Rotation(refusal="Session has expired")
    if session.user.email != claims["sub"] or not session.user.can_sign_in:
        return Rotation(refusal="Could not validate credentials")
    grace = timedelta(seconds=current_app.config["REFRESH_REUSE_GRACE_SECONDS"])
    if claims.get("jti") == session.refresh_jti:
        session.previous_refresh_jti, session.refresh_jti = session.refresh_jti, new_jti()
        session.rotated_at = now
    elif claims.get("jti") == session.previous_refresh_jti and as_utc(session.rotated_at) + grace >= now:
        pass  # the other tab's refresh: hand out the chain's current token again
    else:
        session.revoked_at = now
        db.session.flush()
        return Rotation(session=session, refusal="Refresh token reuse detected: session revoked", reused=True)
    session.last_used_at = now
    db.session.flush()
    return Rotation(session=session)


def end_sessions(user, current_sid, scope):
    """Revoke this session, every other one, or all of them; the number revoked.

    Tokens with no session (minted by the original) are ended by `tokens_valid_after`, by every scope
    except "current" called from a real session.
    """
    now = utcnow()
    live = [AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None)]
    if scope == "current":
        live.append(AuthSession.id == current_sid)
    elif scope == "others" and current_sid is not None:
        live.append(AuthSession.id != current_sid)
    revoked = db.session.execute(update(AuthSession).where(*live).values(revoked_at=now)).rowcount
    # Tokens without a session cannot be told apart, so every scope but "this session" ends them all
    # (an original-era caller's "others" ends its own token too).
    if not (scope == "current" and current_sid is not None):
        user.tokens_valid_after = now
    db.session.flush()
    return revoked


def live_sessions(user):
    """The user's live sessions; their dead ones are purged on the way (opportunistic clean-up, where
    they would otherwise show; `flask purge-sessions` does everyone's)."""
    now = utcnow()
    purge_sessions(now, user_id=user.id)
    query = select(AuthSession).where(AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None),
                                      AuthSession.expires_at > now).order_by(AuthSession.last_used_at.desc())
    return db.session.scalars(query).all()


def revoke_session(sid, owner=None):
    """End a live session: one of `owner`'s own, or (no owner: a security measure, not a user's
    request) whoever's it is. False when there is no such live session."""
    live = [AuthSession.id == sid, AuthSession.revoked_at.is_(None)]
    if owner is not None:
        live.append(AuthSession.user_id == owner.id)
    return db.session.execute(update(AuthSession).where(*live).values(revoked_at=utcnow())).rowcount == 1


def purge_sessions(now, user_id=None):
    """Delete expired and revoked sessions (a missing session is as refused as a revoked one)."""
    dead = or_(AuthSession.expires_at <= now, AuthSession.revoked_at.is_not(None))
    query = delete(AuthSession).where(dead)
    if user_id is not None:
        query = query.where(AuthSession.user_id == user_id)
    # No in-Python evaluation against loaded sessions: SQLite's timestamps come back without a zone,
    # and nothing loaded in this request can be a dead session anyway.
    return db.session.execute(query, execution_options={"synchronize_session": False}).rowcount
