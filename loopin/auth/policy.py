"""The password policy for new passwords (registration, password change), never for logins: accounts
taken over from the original may have shorter passwords, and they still sign in.

8 to 128 characters by default (counted in characters, not bytes), any unicode, spaces kept, no
composition rules, and not one of the 30,000 most common passwords (zxcvbn's frequency list).
"""

import ast
import os
from functools import lru_cache
from importlib.util import find_spec

from flask import current_app
from pydantic_core import PydanticCustomError

PASSWORDS_LINE = '    "passwords": '


@lru_cache(maxsize=1)
def common_passwords():
    """zxcvbn's list of the 30,000 most common passwords: one lower-case, comma-joined string, framed
    by commas, so `,candidate,` is a whole-entry search (candidates are lower-cased, and one holding a
    comma is never listed).

    Read as data from the file zxcvbn ships, on first use: importing zxcvbn builds every one of its
    word lists (names, Wikipedia words, film lines) at a cost of 12.5 MiB per process, and Loopin needs
    only this one. `find_spec` locates the package without importing it. Kept as the string (0.25 MiB)
    rather than a set of 30,000 strings (5 MiB): the scan takes about 0.1 ms, beside a 20 ms hash, on
    registrations and password changes only."""
    folder = find_spec("zxcvbn").submodule_search_locations[0]
    with open(os.path.join(folder, "frequency_lists.py"), encoding="utf-8") as source:
        line = next(line for line in source if line.startswith(PASSWORDS_LINE))
    listed = ast.literal_eval(line[len(PASSWORDS_LINE):].split(".split(", 1)[0])
    return f",{listed},"


def is_common(password):
    candidate = password.lower()
    return "," not in candidate and f",{candidate}," in common_passwords()


def enforce_password_policy(password):
    """A pydantic after-validator: the password, or an error whose message says what to change."""
    minimum, maximum = current_app.config["PASSWORD_MIN_LENGTH"], current_app.config["PASSWORD_MAX_LENGTH"]
    if len(password) < minimum:
        raise PydanticCustomError("password_too_short", "Password must be at least {min_length} characters long",
                                  {"min_length": minimum})
    if len(password) > maximum:
        raise PydanticCustomError("password_too_long", "Password must be at most {max_length} characters long",
                                  {"max_length": maximum})
    if is_common(password):
        raise PydanticCustomError("password_too_common",
                                  "This password is too common; choose one that is harder to guess")
    return password
