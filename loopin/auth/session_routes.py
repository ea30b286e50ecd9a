"""Session endpoints: refresh, logout, the sessions list, password change."""

from flask import request
from flask_jwt_extended import current_user, decode_token, get_jwt, jwt_required

from ..audit import audit
from ..clock import as_utc
from ..docs import endpoint
from ..errors import NOT_AUTHENTICATED, error_response, unauthorized
from ..extensions import db
from ..validation import parse_json_body
from .blueprint import bp
from .schemas import (LogoutOut, LogoutRequest, PasswordChange, RefreshRequest, RevokedOut, SessionList,
                      TokenPair)
from .sessions import (SessionRefused, end_sessions, live_sessions, restart_chain, revoke_session,
                       rotate_refresh_token, start_session)
from .tokens import token_response, token_subject
from .users import WrongPassword, change_password


def presented_refresh_token():
    """From the JSON body `{"refresh_token"}`, or else `Authorization: Bearer` with no body."""
    if request.get_data(cache=True):
        return parse_json_body().refresh_token
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


@bp.post("/refresh")
@endpoint(body=RefreshRequest, ok=TokenPair, tags=["sessions"],
          errors={401: "No token, not a refresh token, session revoked or expired, or a spent token reused"})
def refresh():
    """Trade a refresh token for a new access token and a new refresh token; the old one is spent.

    Send `{"refresh_token": …}`, or no body and `Authorization: Bearer <refresh token>`."""
    token = presented_refresh_token()
    if token is None:
        return unauthorized(NOT_AUTHENTICATED)
    claims = decode_token(token)  # signature, algorithm and expiry; failures answer 401 via the jwt loaders
    if claims.get("type") != "refresh" or "sid" not in claims:
        return unauthorized("Not a refresh token")
    try:
        session = rotate_refresh_token(claims)
    except SessionRefused as refused:
        return unauthorized(refused.detail)
    return token_response(session.user, session)


@bp.post("/logout")
@endpoint(body=LogoutRequest, ok=LogoutOut, auth=True, tags=["sessions"])
@jwt_required()
def logout():
    """End this session (default), `{"scope": "others"}` every other one, or `"all"` of them.

    The body is optional: none means `{"scope": "current"}`."""
    scope = parse_json_body().scope if request.get_data(cache=True) else "current"
    revoked = end_sessions(current_user, get_jwt().get("sid"), scope)
    audit("logout", "success", current_user.id, scope=scope, revoked_sessions=revoked)
    return {"status": "ok", "scope": scope, "revoked_sessions": revoked}


@bp.get("/sessions")
@endpoint(ok=SessionList, auth=True, tags=["sessions"])
@jwt_required()
def sessions():
    """The signed-in user's live sessions; `current` marks the one this token belongs to."""
    current_sid = get_jwt().get("sid")
    return {"sessions": [{
        "id": session.id,
        "created_at": as_utc(session.created_at).isoformat(),
        "last_used_at": as_utc(session.last_used_at).isoformat(),
        "expires_at": as_utc(session.expires_at).isoformat(),
        "user_agent": session.user_agent,
        "ip": session.ip,
        "current": session.id == current_sid,
    } for session in live_sessions(current_user)]}


@bp.delete("/sessions/<sid>")
@endpoint(ok=RevokedOut, auth=True, tags=["sessions"], errors={404: "Session not found"})
@jwt_required()
def delete_session(sid):
    """End one of your sessions (signing that device out)."""
    if not revoke_session(current_user, sid):
        return error_response(404, "Session not found")
    return {"status": "ok", "revoked_sessions": 1}


@bp.post("/password")
@endpoint(body=PasswordChange, ok=TokenPair, auth=True, tags=["auth"],
          errors={400: "Incorrect password (nothing changed)"})
@jwt_required()
def password():
    """Change the password: every other session ends; this one gets fresh tokens."""
    change = parse_json_body()
    user = current_user
    try:
        change_password(user, change.current_password, change.new_password)
    except WrongPassword:
        audit("password_change", "failure", user.id, reason="wrong_current_password")
        return error_response(400, "Incorrect password")
    audit("password_change", "success", user.id)
    session, _user = token_subject(get_jwt())
    end_sessions(user, session.id if session else None, "others" if session else "current")
    if session is None:  # signed in with a token minted by the original: give it a real session now
        session = start_session(user)
    else:
        restart_chain(session)
        db.session.commit()
    return token_response(user, session)
