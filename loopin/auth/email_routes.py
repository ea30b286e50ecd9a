"""The account lifecycle by email: verifying the address, and resetting a forgotten password. Mail is
queued in the action's transaction and sent after it commits (loopin/mail): no request waits on SMTP."""

from sqlalchemy import update

from ..core.clock import utcnow
from ..core.database import transaction
from ..core.extensions import db
from ..web.api import endpoint
from ..web.errors import error_response
from ..web.security_log import security_event
from .blueprint import bp
from .email_tokens import RESET_PASSWORD, VERIFY_EMAIL, is_live, redeem_token, revoke_tokens
from .limits import FORGOT_LIMITS, RESET_LIMITS, VERIFY_LIMITS
from .mails import request_password_reset, send_verification
from .models import User
from .passwords import passwords
from .schemas import Detail, ForgotPassword, PasswordReset, TokenIn, Verified
from .sessions import end_sessions

BAD_TOKEN = "Invalid or expired token"
ALREADY_VERIFIED = "Email address already verified"
VERIFICATION_SENT = "Verification email sent"
RESET_SENT = "If an account exists for this address, a reset link has been sent"
RESET_DONE = "Password has been reset"


def mark_verified(user_id, now):
    db.session.execute(update(User).where(User.id == user_id, User.email_verified_at.is_(None))
                       .values(email_verified_at=now))


@bp.post("/verify-email/request")
@endpoint(ok=Detail, status=202, auth=True, limits=VERIFY_LIMITS, tags=["auth"], errors={400: ALREADY_VERIFIED})
def request_verification(caller):
    """Mail a new verification link to the signed-in user's address (valid 24 hours)."""
    if caller.user.email_verified:
        return error_response(400, ALREADY_VERIFIED)
    with transaction():
        send_verification(caller.user)
    security_event("verification_mail", "success", caller.user.id)
    return Detail(detail=VERIFICATION_SENT), 202


@bp.post("/verify-email")
@endpoint(body=TokenIn, ok=Verified, tags=["auth"], errors={400: BAD_TOKEN})
def verify_email(body):
    """Follow a verification link: its token proves the address. Each token works once."""
    now = utcnow()
    with transaction():
        user_id = redeem_token(body.token, VERIFY_EMAIL, now)
        if user_id is not None:
            mark_verified(user_id, now)
    if user_id is None:
        security_event("email_verification", "failure", reason="bad_token")
        return error_response(400, BAD_TOKEN)
    security_event("email_verification", "success", user_id)
    return Verified(email_verified=True)


@bp.post("/password/forgot")
@endpoint(body=ForgotPassword, ok=Detail, status=202, limits=FORGOT_LIMITS, tags=["auth"])
def forgot_password(body):
    """Mail a reset link (valid 1 hour) if an active account has this address. The answer, and the work
    the request does (one outbox row), are the same either way: neither tells whether it has one."""
    with transaction():
        request_password_reset(body.email)
    return Detail(detail=RESET_SENT), 202


@bp.post("/password/reset")
@endpoint(body=PasswordReset, ok=Detail, limits=RESET_LIMITS, tags=["auth"], errors={400: BAD_TOKEN})
def reset_password(body):
    """Set a new password with a reset link's token: every session ends (tokens the original minted too),
    other reset links die, and the address counts as verified (the mail reached it)."""
    now = utcnow()
    live = is_live(body.token, RESET_PASSWORD, now)  # a bad token costs a lookup, never a hash
    db.session.rollback()  # the lookup's connection goes back to the pool: none waits on the hash
    if not live:
        security_event("password_reset", "failure", reason="bad_token")
        return error_response(400, BAD_TOKEN)
    hashed = passwords().hash(body.new_password)
    with transaction():
        user_id = redeem_token(body.token, RESET_PASSWORD, now)
        if user_id is not None:
            user = db.session.get(User, user_id)
            user.hashed_password = hashed
            revoke_tokens(user_id, RESET_PASSWORD)
            mark_verified(user_id, now)
            end_sessions(user, None, "all")
    if user_id is None:
        security_event("password_reset", "failure", reason="bad_token")
        return error_response(400, BAD_TOKEN)
    security_event("password_reset", "success", user_id)
    return Detail(detail=RESET_DONE)
