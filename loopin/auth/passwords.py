"""Password hashing: Argon2id (argon2-cffi) for every new hash; the original's bcrypt hashes verified
until their owner's next login replaces them.

Never truncated, never case-folded: the full password goes to Argon2id. Only a legacy bcrypt hash is
checked against the first 72 bytes, because that is what passlib hashed when the original stored it.
"""

import bcrypt
from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

EXTENSION_KEY = "loopin.password_hasher"
BCRYPT_PREFIXES = ("$2a$", "$2b$", "$2y$")
BCRYPT_MAX_BYTES = 72


class PasswordService:
    """Argon2id with the app's configured cost, and a decoy hash so unknown emails cost the same."""

    def __init__(self, time_cost, memory_kib, parallelism):
        self.hasher = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism, type=Type.ID
        )
        self._decoy_hash = None

    def hash(self, password):
        return self.hasher.hash(password)

    def verify(self, stored_hash, password):
        """(matches, replacement hash or None). A replacement is offered when the stored hash is
        bcrypt or Argon2id with parameters other than the configured ones."""
        if stored_hash.startswith(BCRYPT_PREFIXES):
            return self._verify_bcrypt(stored_hash, password)
        try:
            self.hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False, None
        return True, self.hash(password) if self.hasher.check_needs_rehash(stored_hash) else None

    def _verify_bcrypt(self, stored_hash, password):
        secret = password.encode("utf-8")[:BCRYPT_MAX_BYTES]
        try:
            matches = bcrypt.checkpw(secret, stored_hash.encode("ascii"))
        except ValueError:  # a malformed stored hash is a failed login, not a 500
            return False, None
        return matches, self.hash(password) if matches else None

    def spend_equal_time(self, password):
        """Verify against a decoy: a login for an unknown email costs one full hash, like a wrong password."""
        if self._decoy_hash is None:
            self._decoy_hash = self.hash("decoy password, never matches a login")
        self.verify(self._decoy_hash, password)


def init_passwords(app):
    app.extensions[EXTENSION_KEY] = PasswordService(
        time_cost=app.config["ARGON2_TIME_COST"],
        memory_kib=app.config["ARGON2_MEMORY_KIB"],
        parallelism=app.config["ARGON2_PARALLELISM"],
    )


def passwords():
    """The current app's password service."""
    return current_app.extensions[EXTENSION_KEY]
