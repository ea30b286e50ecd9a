"""Usernames the original's later version left that Loopin cannot keep as they are, and what each
becomes. That version made them at a first Firebase sign-in from the address with Python's
`isalnum()` (so `rené`), compared them case-sensitively (so `Asha` and `asha`), and left accounts that
registered with a password without one. Loopin's rule (auth/usernames.py): 3 to 30 of `A-Z a-z 0-9 _ . -`,
unique whatever the letter case.

The first account (lowest id) keeps a name; the others are renamed: the name's (or, without one, the
address's) allowed characters, numbered from 2 where taken. Numbered, not random as for a new account
(no race in one pass): `loopin check` lists exactly what the upgrade will do."""

import re
from dataclasses import dataclass

from sqlalchemy import text

from ..auth.usernames import MAX_LENGTH, SHORT_FILLER, USERNAME_PATTERN, username_base

VALID = re.compile(USERNAME_PATTERN)


@dataclass(frozen=True)
class Rename:
    user_id: int
    old: str | None
    new: str


def cleaned(name):
    kept = "".join(c for c in name if c.isascii() and (c.isalnum() or c in "_.-"))[:MAX_LENGTH]
    return kept if len(kept) >= 3 else kept + SHORT_FILLER


def first_free(base, taken):
    number, candidate = 1, base
    while candidate.lower() in taken:
        number += 1
        candidate = base[:MAX_LENGTH - len(str(number))] + str(number)
    return candidate


def planned_renames(connection, o):
    """Every account whose username changes, in id order: one read of (id, email, username)."""
    accounts = connection.execute(text(f"SELECT id, email, username FROM {o}users ORDER BY id")).all()
    taken, kept = set(), set()
    for account in accounts:
        name = account.username
        if name and VALID.fullmatch(name) and name.lower() not in taken:
            taken.add(name.lower())
            kept.add(account.id)
    renames = []
    for account in accounts:
        if account.id in kept:
            continue
        new = first_free(cleaned(account.username) if account.username else username_base(account.email), taken)
        taken.add(new.lower())
        renames.append(Rename(account.id, account.username, new))
    return renames
