"""Password hashing: Argon2id (argon2-cffi) for every new hash; the original's bcrypt hashes verified
until their owner's next login replaces them.

Never truncated, never case-folded: the full password goes to Argon2id. Only a legacy bcrypt hash is
checked against the first 72 bytes, because that is what passlib hashed when the original stored it.
"""

import ctypes
import ctypes.util
import os
import sys
import threading
from contextlib import contextmanager

import bcrypt
from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from .argon2_buffers import pooled_hasher

EXTENSION_KEY = "loopin.password_hasher"
BCRYPT_PREFIXES = ("$2a$", "$2b$", "$2y$")
BCRYPT_MAX_BYTES = 72


def bcrypt_cost(hashed):
    """12 for `$2b$12$…`; None for anything that is not a bcrypt hash."""
    parts = hashed.split("$")
    return int(parts[2]) if hashed.startswith(BCRYPT_PREFIXES) and len(parts) > 3 and parts[2].isdigit() else None


# glibc's mallopt(M_MMAP_THRESHOLD): allocations above it are mmap()ed and given back to the system
# when freed. Left alone, glibc raises the threshold after the first free of a large block, and every
# later 19 MiB Argon2id buffer stays in the process's heap for good.
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 1024 * 1024


def return_large_buffers_to_the_system():
    """Fix glibc's mmap threshold (Linux with glibc only; elsewhere the allocator already returns them)."""
    if not sys.platform.startswith("linux"):
        return
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        if libc is not None and hasattr(libc, "mallopt"):
            libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)
    except OSError:  # musl and others: nothing to tune
        pass


class PasswordService:
    """Argon2id with the app's configured cost, and decoy hashes so that a login costs the same whether
    the account exists and whichever algorithm its hash uses. At most `concurrency` hashes run at once
    (default: one per CPU): more only share the same cores, each holding 19 MiB; the rest wait. Each
    running hash's 19 MiB is kept for the next (argon2_buffers), so a process holds at most
    `concurrency` of them, busy or idle."""

    def __init__(self, time_cost, memory_kib, parallelism, concurrency=None):
        concurrency = concurrency or os.cpu_count() or 1
        self.hasher = pooled_hasher(PasswordHasher(
            time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism, type=Type.ID
        ), keep=concurrency)
        self._decoy_hash = None
        self._bcrypt_decoys = {}  # cost -> a bcrypt hash of that cost
        self._slots = threading.BoundedSemaphore(concurrency)

    @contextmanager
    def _slot(self):
        with self._slots:
            yield

    def hash(self, password):
        with self._slot():
            return self.hasher.hash(password)

    def verify(self, stored_hash, password):
        """(matches, replacement hash or None). A replacement is offered when the stored hash is
        bcrypt or Argon2id with parameters other than the configured ones."""
        if stored_hash.startswith(BCRYPT_PREFIXES):
            return self._verify_bcrypt(stored_hash, password)
        try:
            with self._slot():
                self.hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False, None
        return True, self.hash(password) if self.hasher.check_needs_rehash(stored_hash) else None

    def _verify_bcrypt(self, stored_hash, password):
        secret = password.encode("utf-8")[:BCRYPT_MAX_BYTES]
        try:
            with self._slot():
                matches = bcrypt.checkpw(secret, stored_hash.encode("ascii"))
        except ValueError:  # a malformed stored hash is a failed login, not a 500
            return False, None
        return matches, self.hash(password) if matches else None

    def spend_equal_time(self, password):
        """Verify against a decoy: a login for an unknown email costs one full hash, like a wrong password."""
        if self._decoy_hash is None:
            self._decoy_hash = self.hash("decoy password, never matches a login")
        self.verify(self._decoy_hash, password)

    def spend_bcrypt_time(self, password, cost):
        """Verify against a bcrypt decoy of `cost`: while the original's hashes remain, every login pays
        for both algorithms, so the time does not tell which kind of account (if any) an email has."""
        if cost not in self._bcrypt_decoys:
            self._bcrypt_decoys[cost] = bcrypt.hashpw(b"decoy password", bcrypt.gensalt(cost)).decode("ascii")
        self._verify_bcrypt(self._bcrypt_decoys[cost], password)

    def verify_evenly(self, stored_hash, password, legacy_cost):
        """verify(), plus the decoy of whichever algorithm this hash does not use, so that unknown
        emails, Argon2id accounts and bcrypt accounts all cost one Argon2id and (while any bcrypt hash
        remains, `legacy_cost` not None) one bcrypt."""
        matches, replacement = self.verify(stored_hash, password)
        if stored_hash.startswith(BCRYPT_PREFIXES):
            if not matches:  # a match already paid for Argon2id: its replacement hash
                self.spend_equal_time(password)
        elif legacy_cost is not None:
            self.spend_bcrypt_time(password, legacy_cost)
        return matches, replacement

    def spend_unknown_account_time(self, password, legacy_cost):
        self.spend_equal_time(password)
        if legacy_cost is not None:
            self.spend_bcrypt_time(password, legacy_cost)


def init_passwords(app):
    return_large_buffers_to_the_system()
    app.extensions[EXTENSION_KEY] = PasswordService(
        time_cost=app.config["ARGON2_TIME_COST"],
        memory_kib=app.config["ARGON2_MEMORY_KIB"],
        parallelism=app.config["ARGON2_PARALLELISM"],
    )


def passwords():
    """The current app's password service."""
    return current_app.extensions[EXTENSION_KEY]
