"""Single-use tokens mailed in links: random (32 bytes), stored as SHA-256 digests, redeemed once by one
atomic UPDATE (two clicks at once: one wins), expired after their lifetime."""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, select, update

from ..core.extensions import db
from .models import EmailToken

VERIFY_EMAIL, RESET_PASSWORD = "verify_email", "reset_password"
LIFETIMES = {VERIFY_EMAIL: timedelta(hours=24), RESET_PASSWORD: timedelta(hours=1)}


def digest(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(user, purpose, now):
    """A new token for `user`; only its digest is stored."""
    token = secrets.token_urlsafe(32)
    db.session.add(EmailToken(user_id=user.id, purpose=purpose, token_hash=digest(token),
                              expires_at=now + LIFETIMES[purpose]))
    return token


def is_live(token, purpose, now):
    """Whether the token could be redeemed now (a read, nothing spent): a bad token is refused before
    any costly work, and redeem_token still decides, atomically, for a good one."""
    live = select(EmailToken.id).where(EmailToken.token_hash == digest(token), EmailToken.purpose == purpose,
                                       EmailToken.used_at.is_(None), EmailToken.expires_at > now)
    return db.session.execute(live).first() is not None


def redeem_token(token, purpose, now):
    """The id of the user the token was issued to, spending it; None when it is unknown, spent, expired
    or for another purpose."""
    spend = (update(EmailToken)
             .where(EmailToken.token_hash == digest(token), EmailToken.purpose == purpose,
                    EmailToken.used_at.is_(None), EmailToken.expires_at > now)
             .values(used_at=now).returning(EmailToken.user_id))
    return db.session.execute(spend).scalar()


def revoke_tokens(user_id, purpose):
    """Every unspent token of this purpose dies (a password change ends pending reset links)."""
    db.session.execute(delete(EmailToken).where(EmailToken.user_id == user_id, EmailToken.purpose == purpose,
                                                EmailToken.used_at.is_(None)))
