"""Accounts: creating them, checking a login, changing a password. No HTTP here, and no commit: the
caller's `transaction()` commits."""

import time

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from ..core.extensions import db
from .addresses import canonical_email
from .email_tokens import RESET_PASSWORD, revoke_tokens
from .models import User
from .passwords import bcrypt_cost, passwords

LEGACY_KEY = "loopin.legacy_bcrypt_cost"


class EmailAlreadyRegistered(Exception):
    pass


class WrongPassword(Exception):
    pass


def find_login_user(email):
    """The account a login for `email` means, or None.

    New accounts are stored lower-cased. Accounts taken over from the original may differ only by case;
    while such duplicates exist, the email exactly as stored wins, so each of them can still log in.
    """
    candidates = db.session.scalars(
        select(User).where(or_(User.email == email, func.lower(User.email) == canonical_email(email))).limit(3)
    ).all()
    for user in candidates:
        if user.email == email:
            return user
    return candidates[0] if len(candidates) == 1 else None


def create_user(email, password):
    """A new active account; raises EmailAlreadyRegistered, also when a concurrent request won the race.
    The password is hashed before the database is asked, so no connection waits on the hash."""
    email = canonical_email(email)
    hashed = passwords().hash(password)
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)) is not None:
        raise EmailAlreadyRegistered(email)
    user = User(email=email, hashed_password=hashed, is_active=True)
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:
        # The unique indexes decide between two simultaneous registrations of one address.
        raise EmailAlreadyRegistered(email) from None
    return user


LEGACY_CHECK_SECONDS = 300


def legacy_bcrypt_cost():
    """The cost of the original's bcrypt hashes while any remain in `users`, else None. Read at most
    every LEGACY_CHECK_SECONDS per process: it only falls, as users log in and are upgraded."""
    cached = current_app.extensions.get(LEGACY_KEY)
    now = time.monotonic()
    if cached is None or now - cached[0] > LEGACY_CHECK_SECONDS:
        legacy = db.session.scalar(select(User.hashed_password).where(User.hashed_password.like("$2%")).limit(1))
        cached = current_app.extensions[LEGACY_KEY] = (now, bcrypt_cost(legacy) if legacy else None)
    return cached[1]


def authenticate(email, password):
    """The user whose password this is, or None. Every outcome costs the same hashing (no timing oracle
    on whether the email has an account, or whether its hash is still the original's bcrypt)."""
    user = find_login_user(email)
    legacy_cost = legacy_bcrypt_cost()
    if user is None:
        passwords().spend_unknown_account_time(password, legacy_cost)
        return None
    matches, replacement = passwords().verify_evenly(user.hashed_password, password, legacy_cost)
    if not matches:
        return None
    if replacement is not None:
        # bcrypt from the original, or Argon2id at older parameters: upgrade while we know the password.
        user.hashed_password = replacement
        db.session.flush()
    return user


def confirm_password(user, password):
    """Raise WrongPassword unless `password` is the signed-in user's (a change or a deletion asks it)."""
    if not passwords().verify(user.hashed_password, password)[0]:
        raise WrongPassword()


def change_password(user, current_password, new_password):
    """Replace the password after checking the current one; raises WrongPassword, changing nothing."""
    confirm_password(user, current_password)
    user.hashed_password = passwords().hash(new_password)
    revoke_tokens(user.id, RESET_PASSWORD)  # a reset link mailed before the change dies with it
    db.session.flush()
