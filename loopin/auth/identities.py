"""Accounts by verified identity, never by a bare email: a Firebase uid finds its account; on its first
sight the token's address must be verified by Google and in ALLOWED_EMAIL_DOMAINS, and then an account
with that address is linked to it, or one is made (role student, address verified, no password).

Pre-hijacking: someone may have registered a password account with an address they do not own and
waited for its owner. When a verified identity claims an account whose address was never verified,
that account's sessions end, its password stops working (a reset link, mailed to the owner, still
sets a new one) and tokens minted before the claim are refused; the link is in the security log.
"""

from datetime import datetime, timedelta, timezone

from flask import current_app
from sqlalchemy import func, select

from ..core.clock import as_utc, utcnow
from ..core.database import transaction
from ..core.extensions import db
from ..web.errors import ApiError
from ..web.security_log import security_event
from .addresses import allowed_domains, canonical_email, in_allowed_domain
from .models import User
from .sessions import end_sessions
from .users import EmailAlreadyRegistered, add_account, retry_username_race

UNVERIFIED_IDENTITY = "The Firebase account's email address is not verified"
NO_ADDRESS = "The Firebase account has no email address"
DOMAIN_REFUSED = "Sign-in is limited to addresses at: "
NAME_MAX, PHOTO_MAX = 100, 2048


def by_uid(uid):
    return db.session.scalar(select(User).where(User.firebase_uid == uid))


def firebase_user(claims):
    """The account of a verified Firebase identity (`claims` from firebase_claims), linked or made on
    first sight in a transaction of its own; 403 when the identity may not have one."""
    user = by_uid(claims["sub"])
    if user is not None:
        return user
    address = first_sight_address(claims)
    try:
        return retry_username_race(lambda: claim_account(claims, address))
    except EmailAlreadyRegistered:  # a request with the same identity made it a moment ago
        user = by_uid(claims["sub"])
        if user is None:
            raise
        return user


def first_sight_address(claims):
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise ApiError(403, NO_ADDRESS)
    if claims.get("email_verified") is not True:
        raise ApiError(403, UNVERIFIED_IDENTITY)
    allowed = allowed_domains(current_app.config["ALLOWED_EMAIL_DOMAINS"])
    if not in_allowed_domain(email, allowed):
        raise ApiError(403, DOMAIN_REFUSED + ", ".join(allowed))
    return canonical_email(email)


def public_text(value, limit):
    return value.strip()[:limit] or None if isinstance(value, str) else None


def photo(value):
    return value if isinstance(value, str) and value.startswith("https://") and len(value) <= PHOTO_MAX else None


def claim_account(claims, address):
    uid, now = claims["sub"], utcnow()
    with transaction():
        user = db.session.scalar(select(User).where(func.lower(User.email) == address).with_for_update())
        if user is None:
            user = add_account(address, hashed_password=None, is_active=True, firebase_uid=uid, email_verified_at=now,
                               full_name=public_text(claims.get("name"), NAME_MAX),
                               profile_photo_url=photo(claims.get("picture")))
            event, details = "signup", {"method": "firebase"}
        else:
            details = {"method": "firebase", "password_disabled": user.email_verified_at is None
                       and user.hashed_password is not None, "relinked": user.firebase_uid is not None}
            if user.email_verified_at is None:
                # Whoever registered this address never proved it: nothing of theirs may stay signed in.
                earlier_cutoff = as_utc(user.tokens_valid_after)
                end_sessions(user, None, "all")
                user.hashed_password = None
                # Tokens minted before this identity's own are refused from now on (its own still works).
                issued = datetime.fromtimestamp(claims["iat"], timezone.utc)
                cutoff = min(issued - timedelta(seconds=1), now)
                user.tokens_valid_after = max(cutoff, earlier_cutoff) if earlier_cutoff else cutoff
                user.email_verified_at = now
            user.firebase_uid = uid
            db.session.flush()
            event = "identity_link"
    security_event(event, "success", user.id, **details)
    return user
