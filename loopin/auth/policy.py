"""The password policy for new passwords (registration, password change), never for logins: accounts
taken over from the original may have shorter passwords, and they still sign in.

8 to 128 characters by default (counted in characters, not bytes), any unicode, spaces kept, no
composition rules, and not one of the 30,000 most common passwords (zxcvbn's frequency list).
"""

from functools import lru_cache

from flask import current_app
from pydantic_core import PydanticCustomError


@lru_cache(maxsize=1)
def common_passwords():
    # Loaded on first use, not at import: zxcvbn builds all its word lists when imported. Its password
    # list is lower-case, so candidates are compared lower-cased.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def enforce_password_policy(password):
    """A pydantic after-validator: the password, or an error whose message says what to change."""
    minimum, maximum = current_app.config["PASSWORD_MIN_LENGTH"], current_app.config["PASSWORD_MAX_LENGTH"]
    if len(password) < minimum:
        raise PydanticCustomError("password_too_short", "Password must be at least {min_length} characters long",
                                  {"min_length": minimum})
    if len(password) > maximum:
        raise PydanticCustomError("password_too_long", "Password must be at most {max_length} characters long",
                                  {"max_length": maximum})
    if password.lower() in common_passwords():
        raise PydanticCustomError("password_too_common",
                                  "This password is too common; choose one that is harder to guess")
    return password
