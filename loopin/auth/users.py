"""Accounts: creating them, checking a login, changing a password. No HTTP here, and no commit: the
caller's `transaction()` commits."""

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from ..core.extensions import db
from .models import User
from .passwords import passwords


class EmailAlreadyRegistered(Exception):
    pass


class WrongPassword(Exception):
    pass


def canonical_email(email):
    """One account per address whatever its letter case: the stored form of a new account's email, and
    the key its per-account limits are counted under."""
    return email.strip().lower()


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


def authenticate(email, password):
    """The user whose password this is, or None. Unknown emails cost one hash too (no timing oracle)."""
    user = find_login_user(email)
    if user is None:
        passwords().spend_equal_time(password)
        return None
    matches, replacement = passwords().verify(user.hashed_password, password)
    if not matches:
        return None
    if replacement is not None:
        # bcrypt from the original, or Argon2id at older parameters: upgrade while we know the password.
        user.hashed_password = replacement
        db.session.flush()
    return user


def change_password(user, current_password, new_password):
    """Replace the password after checking the current one; raises WrongPassword, changing nothing."""
    matches, _replacement = passwords().verify(user.hashed_password, current_password)
    if not matches:
        raise WrongPassword()
    user.hashed_password = passwords().hash(new_password)
    db.session.flush()
