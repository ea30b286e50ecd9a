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
from .usernames import new_username

LEGACY_KEY = "loopin.legacy_bcrypt_cost"


class EmailAlreadyRegistered(Exception):
    pass


class WrongPassword(Exception):
    pass


class UsernameRace(Exception):
    """Another new account took the same generated username in the same instant; the transaction
    failed and may simply run again (retry_username_race)."""


USERNAME_ATTEMPTS = 3


def retry_username_race(action):
    """Run `action` (a whole transaction) again when it lost a username race, up to USERNAME_ATTEMPTS."""
    for attempt in range(1, USERNAME_ATTEMPTS + 1):
        try:
            return action()
        except UsernameRace:
            if attempt == USERNAME_ATTEMPTS:
                raise


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


def add_account(email, **columns):
    """A new account for a canonical address, with a username and a display name from the start
    (`full_name` if given, else the username). Flushes; raises EmailAlreadyRegistered when the address
    is taken (a concurrent request may have won the race) and UsernameRace when only the name was."""
    username = new_username(email)
    full_name = columns.pop("full_name", None) or username
    user = User(email=email, username=username, full_name=full_name, **columns)
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError as error:
        # The unique indexes decide between simultaneous registrations (an address, or a name).
        if "username" in str(error.orig):
            raise UsernameRace() from None
        raise EmailAlreadyRegistered(email) from None
    return user


def create_user(email, password, **columns):
    """A new active account; raises EmailAlreadyRegistered, also when a concurrent request won the race.
    The password is hashed before the database is asked, so no connection waits on the hash."""
    email = canonical_email(email)
    hashed = passwords().hash(password)
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)) is not None:
        raise EmailAlreadyRegistered(email)
    return add_account(email, hashed_password=hashed, is_active=True, **columns)


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
    if user is None or user.hashed_password is None:  # no account, or one with no password (Firebase)
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
    """Raise WrongPassword unless `password` is the signed-in user's (a change or a deletion asks it).
    An account with no password has none to confirm."""
    if user.hashed_password is None:
        passwords().spend_unknown_account_time(password, None)
        raise WrongPassword()
    if not passwords().verify(user.hashed_password, password)[0]:
        raise WrongPassword()


def change_password(user, current_password, new_password):
    """Replace the password after checking the current one; raises WrongPassword, changing nothing."""
    confirm_password(user, current_password)
    user.hashed_password = passwords().hash(new_password)
    revoke_tokens(user.id, RESET_PASSWORD)  # a reset link mailed before the change dies with it
    db.session.flush()
