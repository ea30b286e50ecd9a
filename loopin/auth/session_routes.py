"""Session endpoints: refresh, logout, the sessions list, password change."""

from ..core.database import transaction
from ..web.api import endpoint
from ..web.client import bearer_token
from ..web.errors import NOT_AUTHENTICATED, error_response, unauthorized
from ..web.security_log import security_event
from .blueprint import bp
from .limits import PASSWORD_CHANGE_LIMITS, REFRESH_LIMITS
from .schemas import (
    LogoutOut,
    LogoutRequest,
    PasswordChange,
    RefreshRequest,
    RevokedOut,
    SessionList,
    SessionOut,
    TokenPair,
)
from .sessions import end_sessions, live_sessions, revoke_session, rotate_refresh_token, start_session
from .tokens import claims_of, is_session_id, issue_tokens
from .users import WrongPassword, change_password


@bp.post("/refresh")
@endpoint(body=RefreshRequest, body_optional=True, ok=TokenPair, limits=REFRESH_LIMITS, tags=["sessions"],
          errors={401: "No token, not a refresh token, session revoked or expired, or a spent token reused"})
def refresh(body):
    """Trade a refresh token for a new access token and a new refresh token; the old one is spent.

    Send `{"refresh_token": …}`, or no body and `Authorization: Bearer <refresh token>`."""
    token = body.refresh_token if body is not None else bearer_token()
    if not token:
        return unauthorized(NOT_AUTHENTICATED)
    claims = claims_of(token)
    if claims.get("type") != "refresh" or "sid" not in claims:
        return unauthorized("Not a refresh token")
    with transaction():
        rotation = rotate_refresh_token(claims)  # a reused token's revocation is committed here too
    if rotation.reused:
        security_event("refresh_reuse", "session_revoked", rotation.session.user_id)
    if rotation.refusal:
        return unauthorized(rotation.refusal)
    return issue_tokens(rotation.session.user, rotation.session)


@bp.post("/logout")
@endpoint(body=LogoutRequest, body_optional=True, ok=LogoutOut, auth=True, tags=["sessions"])
def logout(body, caller):
    """End this session (default), `{"scope": "others"}` every other one, or `"all"` of them.

    The body is optional: none means `{"scope": "current"}`."""
    scope = body.scope if body is not None else "current"
    with transaction():
        revoked = end_sessions(caller.user, caller.session_id, scope)
    security_event("logout", "success", caller.user.id, scope=scope, revoked_sessions=revoked)
    return LogoutOut(status="ok", scope=scope, revoked_sessions=revoked)


@bp.get("/sessions")
@endpoint(ok=SessionList, auth=True, tags=["sessions"])
def sessions(caller):
    """The signed-in user's live sessions; `current` marks the one this token belongs to."""
    with transaction():  # commits the purge of the user's dead sessions
        live = live_sessions(caller.user)
    return SessionList(sessions=[SessionOut(
        id=session.id, created_at=session.created_at, last_used_at=session.last_used_at,
        expires_at=session.expires_at, user_agent=session.user_agent, ip=session.ip,
        current=session.id == caller.session_id,
    ) for session in live])


@bp.delete("/sessions/<sid>")
@endpoint(ok=RevokedOut, auth=True, tags=["sessions"], errors={404: "Session not found"})
def delete_session(sid, caller):
    """End one of your sessions (signing that device out)."""
    if not is_session_id(sid):  # not an id this server makes: nothing to look up
        return error_response(404, "Session not found")
    with transaction():
        revoked = revoke_session(sid, owner=caller.user)
    if not revoked:
        return error_response(404, "Session not found")
    return RevokedOut(status="ok", revoked_sessions=1)


@bp.post("/password")
@endpoint(body=PasswordChange, ok=TokenPair, auth=True, tags=["auth"], limits=PASSWORD_CHANGE_LIMITS,
          errors={400: "Incorrect password (nothing changed)"})
def password(body, caller):
    """Change the password: every session ends, this one's tokens included, and fresh tokens for a new
    session come back. Tokens minted by the original end too.

    Wrong current passwords count as failed logins of this account from this client; past that budget
    the answer is 429 and the session that made them is revoked."""
    user = caller.user
    try:
        with transaction():
            change_password(user, body.current_password, body.new_password)
            end_sessions(user, None, "all")
            session = start_session(user)
    except WrongPassword:
        security_event("password_change", "failure", user.id, reason="wrong_current_password")
        return error_response(400, "Incorrect password")
    security_event("password_change", "success", user.id)
    return issue_tokens(user, session)
