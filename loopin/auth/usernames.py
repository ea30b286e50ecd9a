"""Usernames: every account has one from the moment it exists (registration, Firebase sign-in, the
command line, adoption), made from its address's local part by the original's rule: letters, digits,
`_` and `-` kept, and 4 random digits added when an account has it already, in any letter case. Random,
not the next number: new accounts from one local part arriving at once would all pick the same next
number, and all but one would fail on the unique index again and again. What people choose later
(`PUT /users/me`) may also hold `.`, as the original's frontend lets them type it."""

import secrets

from sqlalchemy import func, select

from ..core.extensions import db
from .models import User

USERNAME_PATTERN = r"^[A-Za-z0-9_.-]{3,30}$"
MAX_LENGTH = 30
RANDOM_DIGITS = 4
SHORT_FILLER = "user"  # "jo@" becomes "jouser"; an address with nothing usable, "user"


def username_base(email):
    """The local part as the original cleaned it (ASCII only: the username rule), at least 3 long."""
    local = email.rpartition("@")[0]
    base = "".join(c for c in local if c.isascii() and (c.isalnum() or c in "_-"))[:MAX_LENGTH]
    return base if len(base) >= 3 else base + SHORT_FILLER


def like_escaped(text):
    return text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def new_username(email):
    """A username no account has yet, for a new account with this address. One query: the names that
    could collide (those starting with the base's first characters). A concurrent account taking the
    same name meets the unique index; the caller runs its transaction again (users.retry_username_race),
    and then the base is taken and the random digits make a second collision unlikely."""
    base = username_base(email)
    prefix = like_escaped(base[:MAX_LENGTH - RANDOM_DIGITS])
    taken = set(db.session.scalars(select(func.lower(User.username))
                                   .where(func.lower(User.username).like(prefix + "%", escape="\\"))))
    candidate = base
    while candidate.lower() in taken:
        candidate = base[:MAX_LENGTH - RANDOM_DIGITS] + str(secrets.randbelow(9000) + 1000)
    return candidate
