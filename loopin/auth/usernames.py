"""Usernames: every account has one from the moment it exists (registration, Firebase sign-in, the
command line, adoption), made from its address's local part by the original's rule: letters, digits,
`_` and `-` kept, digits added until no account has it in any letter case. What people choose later
(`PUT /users/me`) may also hold `.`, as the original's frontend lets them type it."""

import re

from sqlalchemy import func, select

from ..core.extensions import db
from .models import User

USERNAME_PATTERN = r"^[A-Za-z0-9_.-]{3,30}$"
MAX_LENGTH = 30
SHORT_FILLER = "user"  # "jo@" becomes "jouser"; an address with nothing usable, "user"


def username_base(email):
    """The local part as the original cleaned it (ASCII only: the username rule), at least 3 long."""
    local = email.rpartition("@")[0]
    base = "".join(c for c in local if c.isascii() and (c.isalnum() or c in "_-"))[:MAX_LENGTH]
    return base if len(base) >= 3 else base + SHORT_FILLER


def first_free(base, taken):
    """`base`, else `base` with the smallest number after it that no name in `taken` (lower case) has."""
    number = 1
    candidate = base
    while candidate.lower() in taken:
        number += 1
        suffix = str(number)
        candidate = base[:MAX_LENGTH - len(suffix)] + suffix
    return candidate


def like_escaped(text):
    return text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def new_username(email):
    """A username no account has yet, for a new account with this address. One query: the names that
    could collide (those starting with the base's first characters). A concurrent account taking the
    same name meets the unique index; the caller's transaction then fails and is retried by the
    client, as for any unique value."""
    base = username_base(email)
    prefix = like_escaped(base[:MAX_LENGTH - 6])
    taken = set(db.session.scalars(select(func.lower(User.username))
                                   .where(func.lower(User.username).like(prefix + "%", escape="\\"))))
    return first_free(base, taken)


def is_valid_username(value):
    return re.fullmatch(USERNAME_PATTERN, value) is not None
